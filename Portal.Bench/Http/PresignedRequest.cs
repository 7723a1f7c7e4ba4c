using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Portal.Core.Signing;

namespace Portal.Bench.Http;

/// <summary>One SigV4-signed <c>POST /</c>, ready to send as is (by wrk or by <see cref="HttpClient"/>).</summary>
internal sealed record PresignedRequest(string Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>
    /// Signs a form body the way the SDKs do: <c>Host</c>, <c>Content-Type</c> and an <c>amz-sdk-invocation-id</c>
    /// signed, so that replayed requests with the same body still differ (STS-SPEC §5.3). The signature's
    /// <c>X-Amz-Date</c> is <paramref name="now"/>, accepted for the server's clock-skew window (15 min, STS-SPEC §5.5).
    /// </summary>
    public static PresignedRequest Sign(string hostAndPort, string body, SigV4Credentials credentials, string service, DateTimeOffset now)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", hostAndPort),
            new("Content-Type", FormContentType),
            new("amz-sdk-invocation-id", Guid.NewGuid().ToString()),
        };
        var signed = SigV4Signer.SignHeaders("POST", "/", string.Empty, headers, Encoding.UTF8.GetBytes(body), credentials, "us-east-1", service, now);
        return new PresignedRequest(body, signed);
    }

    /// <summary>Builds a form body from name/value pairs, percent-encoded as the SDKs do.</summary>
    public static string Form(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>An STS AssumeRole body with the given session name.</summary>
    public static string AssumeRoleBody(string roleArn, string sessionName) =>
        Form(("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", sessionName));

    /// <summary>The STS GetCallerIdentity body.</summary>
    public static string GetCallerIdentityBody() => Form(("Action", "GetCallerIdentity"), ("Version", "2011-06-15"));

    /// <summary>Signs <paramref name="count"/> requests produced by <paramref name="body"/> from the request index.</summary>
    public static IReadOnlyList<PresignedRequest> SignMany(int count, string hostAndPort, Func<int, string> body, SigV4Credentials credentials, string service, DateTimeOffset now)
    {
        var result = new PresignedRequest[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Sign(hostAndPort, body(i), credentials, service, now);
        }

        return result;
    }

    /// <summary>A session name that differs per request and per run.</summary>
    public static string SessionName(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{index}");

    /// <summary>Copies the request into a message for <see cref="HttpClient"/>, keeping every header byte for byte.</summary>
    public HttpRequestMessage ToMessage(Uri endpoint)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)),
        };
        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}
