using System.Xml.Linq;
using Portal.Core.Signing;

namespace Portal.Bench.Http;

/// <summary>Signed one-off calls to the Portal's Query API (IAM seeding, one AssumeRole), parsing the XML answers.</summary>
internal sealed class PortalApiClient : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _endpoint;
    private readonly string _hostAndPort;
    private readonly TimeProvider _time;

    public PortalApiClient(Uri endpoint, TimeProvider time)
    {
        _endpoint = endpoint;
        _hostAndPort = endpoint.Authority;
        _time = time;
    }

    /// <summary>Calls an IAM action (version 2010-05-08) and returns the response document; throws on a non-200.</summary>
    public Task<XDocument> IamAsync(SigV4Credentials credentials, params (string Name, string Value)[] parameters) =>
        CallAsync(credentials, "iam", [("Version", "2010-05-08"), .. parameters]);

    /// <summary>Calls an STS action (version 2011-06-15) and returns the response document; throws on a non-200.</summary>
    public Task<XDocument> StsAsync(SigV4Credentials credentials, params (string Name, string Value)[] parameters) =>
        CallAsync(credentials, "sts", [("Version", "2011-06-15"), .. parameters]);

    /// <summary>The first element with the given local name, whatever its namespace.</summary>
    public static string Value(XDocument document, string localName) =>
        document.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value
        ?? throw new InvalidOperationException($"The response has no <{localName}>: {document}");

    public void Dispose() => _http.Dispose();

    private async Task<XDocument> CallAsync(SigV4Credentials credentials, string service, (string Name, string Value)[] parameters)
    {
        var request = PresignedRequest.Sign(_hostAndPort, PresignedRequest.Form(parameters), credentials, service, _time.GetUtcNow());
        using var message = request.ToMessage(_endpoint);
        using var response = await _http.SendAsync(message).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var action = parameters.First(p => p.Name == "Action").Value;
            throw new InvalidOperationException($"{service}:{action} answered {(int)response.StatusCode}: {text}");
        }

        return XDocument.Parse(text);
    }
}
