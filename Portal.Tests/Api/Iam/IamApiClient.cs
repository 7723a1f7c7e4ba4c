using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Signing;

namespace Portal.Tests.Api.Iam;

/// <summary>Sends SigV4-signed (service "iam") Query requests to the in-process Portal and parses the XML answer.</summary>
internal sealed class IamApiClient
{
    public static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    public static readonly SigV4Credentials Root = new(PortalAppFactory.RootAccessKeyId, PortalAppFactory.RootSecret);

    public static readonly AccountId Account = AccountId.Parse(PortalAppFactory.AccountId);

    private readonly PortalAppFactory _factory;

    public IamApiClient(PortalAppFactory factory) => _factory = factory;

    public IamDirectory Directory
    {
        get
        {
            _ = _factory.Server;
            return _factory.Services.GetRequiredService<IamDirectory>();
        }
    }

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    public Task<IamResponse> CallAsRootAsync(string action, params (string Name, string Value)[] parameters) => CallAsync(Root, action, parameters);

    public async Task<IamResponse> CallAsync(SigV4Credentials credentials, string action, params (string Name, string Value)[] parameters)
    {
        var client = _factory.CreateClient();
        var pairs = new List<(string Name, string Value)> { ("Action", action), ("Version", "2010-05-08") };
        pairs.AddRange(parameters);
        var body = string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", client.BaseAddress!.Authority),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        };
        var signed = SigV4Signer.SignHeaders("POST", "/", string.Empty, headers, bytes, credentials, "us-east-1", "iam", DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in signed)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await client.SendAsync(request);
        return new IamResponse(action, response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>An IAM user with an access key and the given inline identity policy (none when null).</summary>
    public async Task<(UserInfo User, SigV4Credentials Credentials)> NewUserAsync(string? policy = null)
    {
        var directory = Directory;
        var user = (await directory.CreateUserAsync(Account, Unique("u"))).Value!;
        var key = (await directory.CreateAccessKeyAsync(Account, user.Id)).Value!;
        if (policy is not null)
        {
            Assert.True((await directory.PutInlinePolicyAsync(user.Id, "p", policy)).Succeeded);
        }

        return (user, new SigV4Credentials(key.Key.AccessKeyId, key.SecretAccessKey));
    }

    public static string Allow(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";
}

/// <summary>One answer: status, document and convenient accessors for the result and the error envelope.</summary>
internal sealed record IamResponse(string Action, HttpStatusCode Status, XDocument Xml)
{
    public XElement Root => Xml.Root!;

    public XElement Result => Root.Element(IamApiClient.Ns + Action + "Result")
        ?? throw new Xunit.Sdk.XunitException($"No {Action}Result in: {Xml}");

    public string? ErrorCode => Root.Element(IamApiClient.Ns + "Error")?.Element(IamApiClient.Ns + "Code")?.Value;

    public string Value(params string[] path)
    {
        var e = Result;
        foreach (var name in path)
        {
            e = e.Element(IamApiClient.Ns + name) ?? throw new Xunit.Sdk.XunitException($"No {name} in: {Xml}");
        }

        return e.Value;
    }

    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200 but got {(int)Status}: {Xml}");
        Assert.Equal(IamApiClient.Ns + Action + "Response", Root.Name);
        Assert.NotEmpty(Root.Element(IamApiClient.Ns + "ResponseMetadata")!.Element(IamApiClient.Ns + "RequestId")!.Value);
    }

    public void AssertError(int status, string code)
    {
        Assert.True((int)Status == status && ErrorCode == code, $"Expected {status} {code} but got {(int)Status}: {Xml}");
        Assert.Equal(IamApiClient.Ns + "ErrorResponse", Root.Name);
    }
}
