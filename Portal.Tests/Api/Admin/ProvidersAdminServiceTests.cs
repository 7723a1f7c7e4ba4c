using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Authentication.Oidc;
using Portal.Authentication.Saml2;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;
using Portal.Services.Admin;
using Portal.Tests.Api.Saml2;
using Portal.Tests.Core.Federation.Saml;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Api.Admin;

/// <summary>The identity-providers admin service inside the real Portal (SQLite, master key, OIDC codec, named HTTP clients).</summary>
public sealed class ProvidersAdminServiceTests : IAsyncLifetime, IDisposable
{
    private const string Account = PortalAppFactory.AccountId;
    private const string Actor = "arn:aws:iam::111122223333:user/admin";
    private const string LoopbackIssuer = "http://127.0.0.1:5999/realms/dev";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly PortalAppFactory _base = new();
    private readonly StubHandler _idp = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly MetadataServer _metadata = new();
    private readonly RecordingAuditSink _audit = new();
    private WebApplicationFactory<Program> _app = default!;

    public Task InitializeAsync()
    {
        _metadata.Start();

        // The metadata server listens on loopback, which the fetcher refuses unless the operator allows internal addresses.
        _app = _base.WithWebHostBuilder(b => b.UseSetting(ProvidersServiceCollectionExtensions.MetadataFetchSection + ":AllowInternalAddresses", "true").ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IAuditSink>(_audit);
            services.AddHttpClient(OidcSignInDefaults.LoopbackHttpClientName).ConfigurePrimaryHttpMessageHandler(() => _idp);
        }));
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose()
    {
        _base.Dispose();
        _idp.Dispose();
        _metadata.Dispose();
    }

    private ProvidersAdminService Service => _app.Services.GetRequiredService<ProvidersAdminService>();

    private IamDirectory Directory => _app.Services.GetRequiredService<IamDirectory>();

    private HighRiskApproval Approve() => TestApprovals.Fresh(_time);

    [Theory]
    [InlineData(-1, CertificateExpiryState.Expired)]
    [InlineData(10, CertificateExpiryState.ExpiringSoon)]
    [InlineData(30, CertificateExpiryState.ExpiringSoon)]
    [InlineData(31, CertificateExpiryState.Valid)]
    public async Task RegisterSamlAsync_CertificateExpiry_ListShowsTheExpiryState(int daysLeft, CertificateExpiryState expected)
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddDays(daysLeft));
        var input = CreateSamlInput(certificate);

        // Act
        var created = await Service.RegisterSamlAsync(Actor, Account, input, Approve());
        var listed = await Service.ListProvidersAsync(Account);

        // Assert
        Assert.True(created.Succeeded, created.Error?.Message);
        var summary = Assert.Single(listed);
        Assert.NotNull(summary.Saml);
        Assert.Equal("https://idp.test/metadata", summary.Saml.EntityId);
        Assert.Equal([Saml2AppFactory.IdpSsoLocation], summary.Saml.SsoUrls);
        var cert = Assert.Single(summary.Saml.Certificates);
        Assert.Equal(expected, cert.State);
        Assert.Equal(expected != CertificateExpiryState.Valid, summary.Saml.NeedsAttention);
    }

    [Fact]
    public async Task RegisterSamlAsync_WithSettings_StoresThemAsSamlProviderSettings()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));
        var input = CreateSamlInput(certificate);

        // Act
        var created = await Service.RegisterSamlAsync(Actor, Account, input, Approve());

        // Assert
        Assert.True(created.Succeeded, created.Error?.Message);
        var json = await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn);
        Assert.True(SamlProviderSettings.TryParse(json, out var settings));
        Assert.Equal(new SamlProviderSettings { DisplayName = "Corporate SSO", GroupsAttribute = "memberOf", TrustMfa = true, AllowIdpInitiated = false }, settings with { MfaAuthnContextClassRefs = null });
        Assert.Equal("Corporate SSO", Assert.Single(await Service.ListProvidersAsync(Account)).DisplayName);
    }

    [Fact]
    public async Task RegisterSamlAsync_NameTaken_FailsWithEntityAlreadyExists()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));
        await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(certificate), Approve());

        // Act
        var again = await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(certificate), Approve());

        // Assert
        Assert.Equal(StsErrorCode.EntityAlreadyExists, again.Error?.Code);
    }

    [Fact]
    public async Task RegisterOidcAsync_WithSecret_StoresOnlyTheCiphertext()
    {
        // Arrange
        var input = CreateOidcInput();

        // Act
        var created = await Service.RegisterOidcAsync(Actor, Account, input, Approve());

        // Assert
        Assert.True(created.Succeeded, created.Error?.Message);
        Assert.Equal(["sts-audience"], created.Value.ClientIds);
        var json = await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn);
        Assert.NotNull(json);
        Assert.DoesNotContain(input.ClientSecret!, json, StringComparison.Ordinal);
        var settings = OidcSignInSettingsCodec.Read(json);
        Assert.NotNull(settings);
        Assert.Equal(("Dev Keycloak", "portal", "groups", true), (settings.DisplayName, settings.ClientId, settings.GroupsClaim, settings.TrustMfa));
        Assert.True(_app.Services.GetRequiredService<OidcSignInSettingsCodec>().TryUnprotectClientSecret(settings, out var secret));
        Assert.Equal(input.ClientSecret, secret);
        Assert.True(Assert.Single(await Service.ListProvidersAsync(Account)).SignInEnabled);
    }

    [Fact]
    public async Task RegisterOidcAsync_WithoutSignInClientId_SignInStaysOff()
    {
        // Arrange
        var input = CreateOidcInput();
        input.SignInClientId = null;
        input.ClientSecret = null;

        // Act
        var created = await Service.RegisterOidcAsync(Actor, Account, input, Approve());

        // Assert
        Assert.True(created.Succeeded, created.Error?.Message);
        Assert.False(Assert.Single(await Service.ListProvidersAsync(Account)).SignInEnabled);
    }

    [Fact]
    public async Task DeleteProviderAsync_Registered_RemovesItAndASecondDeleteFails()
    {
        // Arrange
        var created = await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), Approve());
        Assert.True(created.Succeeded, created.Error?.Message);

        // Act
        var deleted = await Service.DeleteProviderAsync(Actor, Account, created.Value.Arn, Approve());
        var again = await Service.DeleteProviderAsync(Actor, Account, created.Value.Arn, Approve());

        // Assert
        Assert.True(deleted.Succeeded);
        Assert.Empty(await Service.ListProvidersAsync(Account));
        Assert.Equal(StsErrorCode.NoSuchEntity, again.Error?.Code);
    }

    [Fact]
    public async Task RegisterAndDelete_SamlAndOidc_SignInSchemesFollowWithoutRestart()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));
        var schemes = _app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        var samlScheme = Saml2Defaults.SchemeName("Corp");
        var oidcScheme = OidcSignInProvider.SchemeNameOf(LoopbackIssuer);

        // Act
        var saml = await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(certificate), Approve());
        var oidc = await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), Approve());
        var appeared = await EventuallyAsync(async () => await schemes.GetSchemeAsync(samlScheme) is not null && await schemes.GetSchemeAsync(oidcScheme) is not null);
        await Service.DeleteProviderAsync(Actor, Account, saml.Value!.Arn, Approve());
        await Service.DeleteProviderAsync(Actor, Account, oidc.Value!.Arn, Approve());
        var gone = await EventuallyAsync(async () => await schemes.GetSchemeAsync(samlScheme) is null && await schemes.GetSchemeAsync(oidcScheme) is null);

        // Assert
        Assert.True(appeared, "the sign-in schemes did not appear after registration");
        Assert.True(gone, "the sign-in schemes did not disappear after deletion");
    }

    [Fact]
    public async Task UpdateProviderSettingsAsync_AnotherAccountsProvider_FailsWithNoSuchEntityAndKeepsTheSettings()
    {
        // Arrange
        var created = await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), Approve());
        Assert.True(created.Succeeded, created.Error?.Message);
        var before = await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn);
        var changed = 0;
        Directory.Changed += () => Interlocked.Increment(ref changed);

        // Act
        var updated = await Directory.UpdateProviderSettingsAsync(AccountId.Parse("999988887777"), created.Value.Arn, "{}");

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, updated.Error?.Code);
        Assert.Equal(before, await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn));
        Assert.Null(await Directory.GetProviderSettingsAsync(AccountId.Parse("999988887777"), created.Value.Arn));
        Assert.Equal(0, changed);
    }

    [Fact]
    public async Task UpdateProviderSettingsAsync_OwnProvider_StoresAndRaisesChanged()
    {
        // Arrange
        var created = await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), Approve());
        Assert.True(created.Succeeded, created.Error?.Message);
        var changed = 0;
        Directory.Changed += () => Interlocked.Increment(ref changed);

        // Act
        var updated = await Directory.UpdateProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn, """{"displayName":"Renamed"}""");

        // Assert
        Assert.True(updated.Succeeded);
        Assert.Equal("""{"displayName":"Renamed"}""", await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), created.Value.Arn));
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task TestDiscoveryAsync_LoopbackIssuer_ShowsIssuerAndJwksUri()
    {
        // Arrange
        _idp.Respond(HttpStatusCode.OK, $$"""{"issuer":"{{LoopbackIssuer}}","jwks_uri":"{{LoopbackIssuer}}/certs"}""");

        // Act
        var result = await Service.TestDiscoveryAsync(LoopbackIssuer);

        // Assert
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((LoopbackIssuer, LoopbackIssuer + "/certs"), (result.Issuer, result.JwksUri));
        Assert.Equal(new Uri(LoopbackIssuer + "/.well-known/openid-configuration"), _idp.LastRequest);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"issuer":"http://127.0.0.1:5999/other","jwks_uri":"http://127.0.0.1:5999/certs"}""", "differs from")]
    [InlineData(HttpStatusCode.OK, """{"issuer":"http://127.0.0.1:5999/realms/dev"}""", "lacks issuer or jwks_uri")]
    [InlineData(HttpStatusCode.OK, "<html>", "not JSON")]
    [InlineData(HttpStatusCode.NotFound, "", "HTTP 404")]
    public async Task TestDiscoveryAsync_BadDocument_ExplainsWhy(HttpStatusCode status, string body, string message)
    {
        // Arrange
        _idp.Respond(status, body);

        // Act
        var result = await Service.TestDiscoveryAsync(LoopbackIssuer);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.com")]
    [InlineData("https://idp.example.com/?x=1")]
    [InlineData("not a url")]
    public async Task TestDiscoveryAsync_InvalidIssuer_RefusedWithoutFetching(string issuer)
    {
        // Act
        var result = await Service.TestDiscoveryAsync(issuer);

        // Assert
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Message);
        Assert.Null(_idp.LastRequest);
    }

    [Fact]
    public async Task UpdateSamlAsync_NewMetadataAndSettings_ReplacesThemAndKeepsHiddenSettings()
    {
        // Arrange
        using var first = Certificate("CN=idp.test", Now.AddYears(1));
        using var next = Certificate("CN=idp.test next", Now.AddYears(2));
        var created = await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(first), Approve());
        var arn = created.Value!.Arn;
        await Directory.UpdateProviderSettingsAsync(AccountId.Parse(Account), arn, new SamlProviderSettings { DisplayName = "Corporate SSO", WantAssertionsSigned = false }.ToJson());
        var input = await Service.GetSamlProviderAsync(Account, arn);
        input!.MetadataXml = Saml2AppFactory.Metadata("https://idp.test/metadata", next);
        input.DisplayName = "New name";

        // Act
        var updated = await Service.UpdateSamlAsync(Actor, Account, arn, input, Approve());

        // Assert
        Assert.True(updated.Succeeded, updated.Error?.Message);
        var summary = Assert.Single(await Service.ListProvidersAsync(Account));
        Assert.Equal(next.Thumbprint, Assert.Single(summary.Saml!.Certificates).Thumbprint);
        Assert.True(SamlProviderSettings.TryParse(await Directory.GetProviderSettingsAsync(AccountId.Parse(Account), arn), out var settings));
        Assert.Equal(("New name", false), (settings.DisplayName, settings.WantAssertionsSigned));
    }

    [Fact]
    public async Task UpdateSamlAsync_NewCertificate_AuditedWithActorAndBothCertificatesButNotTheDocument()
    {
        // Arrange: SECURITY-CASES 104g, a changed IdP key is a trust change.
        using var first = Certificate("CN=idp.test", Now.AddYears(1));
        using var next = Certificate("CN=idp.test next", Now.AddYears(2));
        var arn = (await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(first), Approve())).Value!.Arn;
        var input = await Service.GetSamlProviderAsync(Account, arn);
        input!.MetadataXml = Saml2AppFactory.Metadata("https://idp.test/metadata", next);

        // Act
        var updated = await Service.UpdateSamlAsync(Actor, Account, arn, input, Approve());

        // Assert
        Assert.True(updated.Succeeded, updated.Error?.Message);
        var record = Assert.Single(_audit.Records, r => r.Action == ProvidersAdminService.UpdateAuditAction);
        Assert.Equal((Actor, arn, AuditDecision.Allow), (record.Principal, record.Resource, record.Decision));
        Assert.Contains(first.Thumbprint, record.Before, StringComparison.Ordinal);
        Assert.DoesNotContain(next.Thumbprint, record.Before, StringComparison.Ordinal);
        Assert.Contains(next.Thumbprint, record.After, StringComparison.Ordinal);
        Assert.Contains("entity https://idp.test/metadata", record.After, StringComparison.Ordinal);
        Assert.DoesNotContain("EntityDescriptor", record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterOidcAsync_WithClientSecret_AuditedWithoutTheSecret()
    {
        // Arrange
        var input = CreateOidcInput();
        input.ClientSecret = "s3cr3t-value-never-logged";

        // Act
        var created = await Service.RegisterOidcAsync(Actor, Account, input, Approve());

        // Assert
        Assert.True(created.Succeeded, created.Error?.Message);
        var record = Assert.Single(_audit.Records, r => r.Action == ProvidersAdminService.RegisterAuditAction);
        Assert.Equal((Actor, created.Value!.Arn, (string?)null), (record.Principal, record.Resource, record.Before));
        Assert.Contains("client secret set", record.After, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteProviderAsync_UnknownProvider_AuditedAsRefused()
    {
        // Act
        var deleted = await Service.DeleteProviderAsync(Actor, Account, $"arn:aws:iam::{Account}:saml-provider/Nobody", Approve());

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, deleted.Error?.Code);
        var record = Assert.Single(_audit.Records, r => r.Action == ProvidersAdminService.DeleteAuditAction);
        Assert.Equal((AuditDecision.Deny, "NoSuchEntity"), (record.Decision, record.ErrorCode));
    }

    [Fact]
    public async Task UpdateSamlAsync_UnknownProvider_IsNoSuchEntity()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));

        // Act
        var updated = await Service.UpdateSamlAsync(Actor, Account, $"arn:aws:iam::{Account}:saml-provider/Nobody", CreateSamlInput(certificate), Approve());

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, updated.Error?.Code);
    }

    [Fact]
    public async Task RefreshSamlMetadataAsync_IdpRolledItsCertificate_TrustsTheNewCertificateAtOnce()
    {
        // Arrange: registered from the URL with the old certificate; the IdP now publishes old + next.
        using var old = Certificate("CN=idp.test", Now.AddDays(10));
        using var next = Certificate("CN=idp.test next", Now.AddYears(2));
        var input = CreateSamlInput(old);
        input.MetadataUrl = _metadata.Url;
        var arn = (await Service.RegisterSamlAsync(Actor, Account, input, Approve())).Value!.Arn;
        _metadata.Respond(SamlMetadataFetcherTests.Ok(Saml2AppFactory.Metadata("https://idp.test/metadata", old, next)));

        // Act
        var refreshed = await Service.RefreshSamlMetadataAsync(Actor, Account, arn, Approve());

        // Assert
        Assert.True(refreshed.Succeeded, refreshed.Error?.Message);
        Assert.Equal([old.Thumbprint, next.Thumbprint], refreshed.Value!.Certificates.Select(c => c.Thumbprint));
        var schemes = _app.Services.GetRequiredService<SamlProviderSchemes>();
        Assert.True(await EventuallyAsync(() => Task.FromResult(
            schemes.Find(Saml2Defaults.SchemeName("Corp")) is { } r && r.IdentityProvider.SigningCertificates.Any(c => c.Thumbprint == next.Thumbprint))));
    }

    [Fact]
    public async Task RefreshSamlMetadataAsync_UrlNowServesAnotherEntity_IsRefusedAndKeepsTheMetadata()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));
        var input = CreateSamlInput(certificate);
        input.MetadataUrl = _metadata.Url;
        var arn = (await Service.RegisterSamlAsync(Actor, Account, input, Approve())).Value!.Arn;
        _metadata.Respond(SamlMetadataFetcherTests.Ok(Saml2AppFactory.Metadata("https://evil.test/metadata", certificate)));

        // Act
        var refreshed = await Service.RefreshSamlMetadataAsync(Actor, Account, arn, Approve());

        // Assert
        Assert.Equal(StsErrorCode.InvalidInput, refreshed.Error?.Code);
        Assert.Contains("https://evil.test/metadata", refreshed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("https://idp.test/metadata", Assert.Single(await Service.ListProvidersAsync(Account)).Saml!.EntityId);
    }

    [Fact]
    public async Task RefreshSamlMetadataAsync_ProviderWithoutUrl_ExplainsWhatToDo()
    {
        // Arrange
        using var certificate = Certificate("CN=idp.test", Now.AddYears(1));
        var arn = (await Service.RegisterSamlAsync(Actor, Account, CreateSamlInput(certificate), Approve())).Value!.Arn;

        // Act
        var refreshed = await Service.RefreshSamlMetadataAsync(Actor, Account, arn, Approve());

        // Assert
        Assert.Equal(StsErrorCode.InvalidInput, refreshed.Error?.Code);
        Assert.Contains("no metadata URL", refreshed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, _metadata.Connections);
    }

    public static TheoryData<string, string> ChangesWithoutApproval => new()
    {
        { "RegisterSaml", ProvidersAdminService.RegisterAuditAction },
        { "UpdateSaml", ProvidersAdminService.UpdateAuditAction },
        { "RefreshSamlMetadata", ProvidersAdminService.UpdateAuditAction },
        { "RegisterOidc", ProvidersAdminService.RegisterAuditAction },
        { "DeleteProvider", ProvidersAdminService.DeleteAuditAction },
    };

    [Theory]
    [MemberData(nameof(ChangesWithoutApproval))]
    public async Task Change_WithoutApproval_RefusedNothingChangedAndAuditedAsDenied(string change, string auditAction)
    {
        // Arrange: a registered SAML provider whose metadata URL now serves a rolled certificate, so a refresh would change it.
        using var old = Certificate("CN=idp.test", Now.AddYears(1));
        using var next = Certificate("CN=idp.test next", Now.AddYears(2));
        var input = CreateSamlInput(old);
        input.MetadataUrl = _metadata.Url;
        var arn = (await Service.RegisterSamlAsync(Actor, Account, input, Approve())).Value!.Arn;
        _metadata.Respond(SamlMetadataFetcherTests.Ok(Saml2AppFactory.Metadata("https://idp.test/metadata", old, next)));
        var before = await SnapshotAsync();
        var other = CreateSamlInput(next);
        other.Name = "Other";

        // Act
        var error = change switch
        {
            "RegisterSaml" => (await Service.RegisterSamlAsync(Actor, Account, other, null)).Error,
            "UpdateSaml" => (await Service.UpdateSamlAsync(Actor, Account, arn, CreateSamlInput(next), null)).Error,
            "RefreshSamlMetadata" => (await Service.RefreshSamlMetadataAsync(Actor, Account, arn, null)).Error,
            "RegisterOidc" => (await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), null)).Error,
            _ => (await Service.DeleteProviderAsync(Actor, Account, arn, null)).Error,
        };

        // Assert
        Assert.Equal((StsErrorCode.AccessDenied, HighRiskConfirmation.ApprovalRequired), (error?.Code, error?.Message));
        Assert.Equal(before, await SnapshotAsync());
        var record = _audit.Records.Last(r => r.Action == auditAction);
        Assert.Equal((AuditDecision.Deny, Actor, HighRiskConfirmation.ApprovalRequired), (record.Decision, record.Principal, record.Message));
    }

    [Fact]
    public async Task DeleteProviderAsync_ApprovalAlreadyUsed_Refused()
    {
        // Arrange: one approval, spent on registering the provider.
        var approval = Approve();
        var arn = (await Service.RegisterOidcAsync(Actor, Account, CreateOidcInput(), approval)).Value!.Arn;

        // Act
        var deleted = await Service.DeleteProviderAsync(Actor, Account, arn, approval);

        // Assert
        Assert.Equal(HighRiskConfirmation.ApprovalRequired, deleted.Error?.Message);
        Assert.NotNull(await Directory.FindProviderAsync(AccountId.Parse(Account), arn));
    }

    /// <summary>Every provider of the account with its metadata and stored settings.</summary>
    private async Task<string> SnapshotAsync()
    {
        var account = AccountId.Parse(Account);
        var lines = new List<string>();
        foreach (var kind in new[] { IamDirectory.SamlProviderKind, IamDirectory.OidcProviderKind })
        {
            foreach (var p in await Directory.ListProvidersAsync(account, kind))
            {
                lines.Add(p.Arn + "|" + p.MetadataXml + "|" + await Directory.GetProviderSettingsAsync(account, p.Arn));
            }
        }

        return string.Join("\n", lines);
    }

    // The schemes re-sync in the background on IamDirectory.Changed; poll with a deadline instead of a fixed sleep.
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return await condition();
    }

    private static SamlProviderInput CreateSamlInput(X509Certificate2 certificate) => new()
    {
        Name = "Corp",
        MetadataXml = Saml2AppFactory.Metadata("https://idp.test/metadata", certificate),
        DisplayName = "Corporate SSO",
        GroupsAttribute = "memberOf",
        TrustMfa = true,
    };

    private static OidcProviderInput CreateOidcInput() => new()
    {
        IssuerUrl = LoopbackIssuer,
        ClientIds = "sts-audience",
        DisplayName = "Dev Keycloak",
        SignInClientId = "portal",
        ClientSecret = "s3cr3t-value-never-stored-in-clear",
        GroupsClaim = "groups",
        TrustMfa = true,
    };

    private static X509Certificate2 Certificate(string subject, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(notAfter.AddYears(-2), notAfter);
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        private HttpStatusCode _status = HttpStatusCode.NotFound;
        private string _body = string.Empty;

        public Uri? LastRequest { get; private set; }

        public void Respond(HttpStatusCode status, string body) => (_status, _body) = (status, body);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastRequest = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, "application/json") });
        }
    }
}
