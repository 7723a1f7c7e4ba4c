using System.Globalization;
using System.Text;
using Portal.Core.Signing;

namespace Portal.Tests.Core.Signing;

/// <summary>Parses the raw HTTP text of the test vectors into a <see cref="SignedRequest"/>.</summary>
internal static class RawHttp
{
    public static SignedRequest Parse(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text.TrimEnd('\n') : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        if (string.IsNullOrWhiteSpace(body))
        {
            body = string.Empty;
        }

        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? string.Empty : target[(question + 1)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].TrimStart(' ')));
        }

        return SignedRequest.WithBody(method, path, query, headers, Encoding.UTF8.GetBytes(body));
    }
}

/// <summary>An in-memory key table standing in for the host's resolver.</summary>
internal sealed class FakeSecretResolver : ISigningSecretResolver
{
    private readonly Dictionary<string, (string Secret, string? Token)> _keys = new(StringComparer.Ordinal);

    public Dictionary<string, SigningSecretResolution> Overrides { get; } = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public FakeSecretResolver Add(string accessKeyId, string secret, string? token = null)
    {
        _keys[accessKeyId] = (secret, token);
        return this;
    }

    public ValueTask<SigningSecretResolution> ResolveAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        Calls++;
        if (Overrides.TryGetValue(accessKeyId, out var resolution))
        {
            return ValueTask.FromResult(resolution);
        }

        if (!_keys.TryGetValue(accessKeyId, out var key) || key.Token != sessionToken)
        {
            return ValueTask.FromResult(SigningSecretResolution.Unknown);
        }

        return ValueTask.FromResult(SigningSecretResolution.Found(key.Secret, "principal:" + accessKeyId));
    }
}

internal static class AmzTime
{
    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.ParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

/// <summary>Small edits of an immutable request, for "valid baseline broken in one place" tests.</summary>
internal static class RequestEdits
{
    public static SignedRequest With(
        this SignedRequest request,
        string? method = null,
        string? rawPath = null,
        string? rawQuery = null,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null,
        string? body = null) =>
        SignedRequest.WithBody(
            method ?? request.Method,
            rawPath ?? request.RawPath,
            rawQuery ?? request.RawQuery,
            headers ?? request.Headers,
            body is null ? request.Body : Encoding.UTF8.GetBytes(body));

    public static SignedRequest WithHeader(this SignedRequest request, string name, string value)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var replaced = false;
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                if (!replaced)
                {
                    headers.Add(new(header.Key, value));
                    replaced = true;
                }

                continue;
            }

            headers.Add(header);
        }

        if (!replaced)
        {
            headers.Add(new(name, value));
        }

        return request.With(headers: headers);
    }

    public static SignedRequest AddHeader(this SignedRequest request, string name, string value) =>
        request.With(headers: [.. request.Headers, new(name, value)]);

    public static SignedRequest WithoutHeader(this SignedRequest request, string name) =>
        request.With(headers: request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList());

    public static string Header(this SignedRequest request, string name) =>
        request.Headers.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Replaces text inside the Authorization header.</summary>
    public static SignedRequest EditAuthorization(this SignedRequest request, string oldValue, string newValue)
    {
        var authorization = request.Header("Authorization");
        Assert.Contains(oldValue, authorization, StringComparison.Ordinal);
        return request.WithHeader("Authorization", authorization.Replace(oldValue, newValue, StringComparison.Ordinal));
    }
}
