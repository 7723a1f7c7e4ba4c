namespace Portal.Tests.Api.Iam;

public sealed class IamProviderApiTests : IClassFixture<PortalAppFactory>
{
    private static readonly string AccountArn = $"arn:aws:iam::{PortalAppFactory.AccountId}";
    private static readonly string Thumbprint = new('a', 40);
    private readonly IamApiClient _api;

    public IamProviderApiTests(PortalAppFactory factory) => _api = new IamApiClient(factory);

    [Fact]
    public async Task SamlProvider_CreateGetListDelete_RoundTripsTheMetadata()
    {
        // Arrange
        var name = IamApiClient.Unique("Okta");
        var metadata = Metadata();

        // Act
        var create = await _api.CallAsRootAsync("CreateSAMLProvider", ("Name", name), ("SAMLMetadataDocument", metadata));
        var arn = create.Value("SAMLProviderArn");
        var duplicate = await _api.CallAsRootAsync("CreateSAMLProvider", ("Name", name), ("SAMLMetadataDocument", metadata));
        var get = await _api.CallAsRootAsync("GetSAMLProvider", ("SAMLProviderArn", arn));
        var list = await _api.CallAsRootAsync("ListSAMLProviders");
        var delete = await _api.CallAsRootAsync("DeleteSAMLProvider", ("SAMLProviderArn", arn));
        var gone = await _api.CallAsRootAsync("GetSAMLProvider", ("SAMLProviderArn", arn));

        // Assert
        create.AssertOk();
        Assert.Equal($"{AccountArn}:saml-provider/{name}", arn);
        duplicate.AssertError(409, "EntityAlreadyExists");
        get.AssertOk();
        Assert.Equal(metadata, get.Value("SAMLMetadataDocument"));
        Assert.NotEmpty(get.Value("CreateDate"));
        var member = list.Result.Element(IamApiClient.Ns + "SAMLProviderList")!.Elements(IamApiClient.Ns + "member").Single(m => m.Element(IamApiClient.Ns + "Arn")!.Value == arn);
        Assert.NotNull(member.Element(IamApiClient.Ns + "CreateDate"));
        Assert.Null(list.Result.Element(IamApiClient.Ns + "IsTruncated"));
        delete.AssertOk();
        gone.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task UpdateSamlProvider_NewDocument_ReplacesItUnderTheSameArn()
    {
        // Arrange
        var name = IamApiClient.Unique("saml");
        var arn = (await _api.CallAsRootAsync("CreateSAMLProvider", ("Name", name), ("SAMLMetadataDocument", Metadata()))).Value("SAMLProviderArn");
        var next = Metadata().Replace("</md:EntityDescriptor>", "<!-- rolled over --></md:EntityDescriptor>", StringComparison.Ordinal);

        // Act
        var update = await _api.CallAsRootAsync("UpdateSAMLProvider", ("SAMLProviderArn", arn), ("SAMLMetadataDocument", next));

        // Assert
        update.AssertOk();
        Assert.Equal(arn, update.Value("SAMLProviderArn"));
        Assert.Equal(next, (await _api.CallAsRootAsync("GetSAMLProvider", ("SAMLProviderArn", arn))).Value("SAMLMetadataDocument"));
    }

    [Fact]
    public async Task UpdateSamlProvider_UnknownArn_IsNoSuchEntity()
    {
        // Act
        var update = await _api.CallAsRootAsync("UpdateSAMLProvider", ("SAMLProviderArn", $"{AccountArn}:saml-provider/Nobody"), ("SAMLMetadataDocument", Metadata()));

        // Assert
        update.AssertError(404, "NoSuchEntity");
    }

    [Theory]
    [InlineData("dtd", 400, "InvalidInput")]
    [InlineData("not-xml", 400, "InvalidInput")]
    [InlineData("not-metadata", 400, "InvalidInput")]
    [InlineData("sp-only", 400, "InvalidInput")]
    [InlineData("too-short", 400, "ValidationError")]
    public async Task CreateSamlProvider_BadMetadata_IsRefused(string breakWith, int status, string code)
    {
        // Arrange
        var metadata = breakWith switch
        {
            // Entity expansion must never run: DTDs are prohibited outright.
            "dtd" => "<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>" + Metadata(),
            "not-xml" => Metadata()[..^5],
            "not-metadata" => Metadata().Replace("urn:oasis:names:tc:SAML:2.0:metadata", "urn:example:other", StringComparison.Ordinal),
            "sp-only" => Metadata().Replace("IDPSSODescriptor", "SPSSODescriptor", StringComparison.Ordinal),
            _ => "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>",
        };

        // Act
        var r = await _api.CallAsRootAsync("CreateSAMLProvider", ("Name", IamApiClient.Unique("p")), ("SAMLMetadataDocument", metadata));

        // Assert
        r.AssertError(status, code);
    }

    [Fact]
    public async Task GetSamlProvider_ArnOfAnotherAccount_IsNoSuchEntity()
    {
        // Arrange
        var name = IamApiClient.Unique("Shared");
        (await _api.CallAsRootAsync("CreateSAMLProvider", ("Name", name), ("SAMLMetadataDocument", Metadata()))).AssertOk();

        // Act
        var r = await _api.CallAsRootAsync("GetSAMLProvider", ("SAMLProviderArn", $"arn:aws:iam::999988887777:saml-provider/{name}"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task OidcProvider_CreateGetListDelete_RoundTrips()
    {
        // Arrange
        var host = IamApiClient.Unique("idp") + ".example.com";
        var url = $"https://{host}/tenant";

        // Act
        var create = await _api.CallAsRootAsync("CreateOpenIDConnectProvider", ("Url", url), ("ClientIDList.member.1", "app-1"), ("ClientIDList.member.2", "app-2"), ("ThumbprintList.member.1", Thumbprint));
        var arn = create.Value("OpenIDConnectProviderArn");
        var duplicate = await _api.CallAsRootAsync("CreateOpenIDConnectProvider", ("Url", url), ("ClientIDList.member.1", "app-1"));
        var get = await _api.CallAsRootAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", arn));
        var list = await _api.CallAsRootAsync("ListOpenIDConnectProviders");
        var delete = await _api.CallAsRootAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", arn));
        var deleteAgain = await _api.CallAsRootAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", arn));

        // Assert
        create.AssertOk();
        Assert.Equal($"{AccountArn}:oidc-provider/{host}/tenant", arn);
        duplicate.AssertError(409, "EntityAlreadyExists");
        get.AssertOk();
        Assert.Equal($"{host}/tenant", get.Value("Url"));
        Assert.Equal(["app-1", "app-2"], get.Result.Element(IamApiClient.Ns + "ClientIDList")!.Elements(IamApiClient.Ns + "member").Select(e => e.Value));
        Assert.Equal(Thumbprint, get.Value("ThumbprintList", "member"));
        Assert.Contains(list.Result.Element(IamApiClient.Ns + "OpenIDConnectProviderList")!.Elements(IamApiClient.Ns + "member"), m => m.Element(IamApiClient.Ns + "Arn")!.Value == arn);
        delete.AssertOk();
        deleteAgain.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task CreateOidcProvider_HttpOnLoopback_IsAllowedForLocalDevelopment()
    {
        // Act
        var r = await _api.CallAsRootAsync("CreateOpenIDConnectProvider", ("Url", $"http://127.0.0.1:8{Random.Shared.Next(100, 999)}/{IamApiClient.Unique("dev")}"), ("ClientIDList.member.1", "app"));

        // Assert
        r.AssertOk();
    }

    [Theory]
    [InlineData("http://idp.example.com", null, 400, "InvalidInput")]
    [InlineData("https://idp.example.com/?x=1", null, 400, "InvalidInput")]
    [InlineData("ftp://idp.example.com", null, 400, "InvalidInput")]
    [InlineData("https://idp.example.com", "abc", 400, "ValidationError")]
    public async Task CreateOidcProvider_BadUrlOrThumbprint_IsRefused(string url, string? thumbprint, int status, string code)
    {
        // Arrange
        var parameters = new List<(string, string)> { ("Url", url), ("ClientIDList.member.1", "app") };
        if (thumbprint is not null)
        {
            parameters.Add(("ThumbprintList.member.1", thumbprint));
        }

        // Act
        var r = await _api.CallAsRootAsync("CreateOpenIDConnectProvider", [.. parameters]);

        // Assert
        r.AssertError(status, code);
    }

    [Fact]
    public async Task CreateOidcProvider_IamUserWithoutPermission_IsAccessDeniedAndCreatesNothing()
    {
        // Arrange
        var (_, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:GetOpenIDConnectProvider"));
        var url = $"https://{IamApiClient.Unique("h")}.example.com";

        // Act
        var r = await _api.CallAsync(creds, "CreateOpenIDConnectProvider", ("Url", url), ("ClientIDList.member.1", "app"));

        // Assert
        r.AssertError(403, "AccessDenied");
        var providers = await _api.Directory.ListProvidersAsync(IamApiClient.Account, "OIDC");
        Assert.DoesNotContain(providers, p => p.Name == url);
    }

    private static string Metadata()
    {
        // A realistic size (IAM requires at least 1000 characters): the certificate is filler, not parsed here.
        var cert = Convert.ToBase64String(Enumerable.Range(0, 900).Select(i => (byte)i).ToArray());
        return $"""
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
    }
}
