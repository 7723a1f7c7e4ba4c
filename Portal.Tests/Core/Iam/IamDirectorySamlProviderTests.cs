using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Core.Iam;
using Portal.Core.Sts;
using Portal.Tests.Api.Saml2;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Iam;

/// <summary>IamDirectory.UpdateSamlProviderAsync: IAM UpdateSAMLProvider semantics (new document, same provider and ARN).</summary>
public sealed class IamDirectorySamlProviderTests : IAsyncLifetime, IDisposable
{
    private const string Name = "Corp";
    private readonly X509Certificate2 _first = Certificate("CN=first");
    private readonly X509Certificate2 _next = Certificate("CN=next");
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public void Dispose()
    {
        _first.Dispose();
        _next.Dispose();
    }

    [Fact]
    public async Task UpdateSamlProviderAsync_NewDocument_ReplacesItUnderTheSameArnAndRaisesChanged()
    {
        // Arrange
        var arn = await CreateAsync();
        var changed = 0;
        _h.Directory.Changed += () => changed++;
        var document = Saml2AppFactory.Metadata("https://idp.test/metadata", _next);

        // Act
        var updated = await _h.Directory.UpdateSamlProviderAsync(Account(AccountA), arn, document);

        // Assert
        Assert.True(updated.Succeeded, updated.Error?.Message);
        Assert.Equal((arn, Name), (updated.Value.Arn, updated.Value.Name));
        Assert.Equal(document, (await _h.Directory.FindProviderAsync(Account(AccountA), arn))!.MetadataXml);
        Assert.Equal(1, changed);
    }

    [Theory]
    [InlineData("<not-xml")]
    [InlineData("short")]
    public async Task UpdateSamlProviderAsync_InvalidDocument_RefusedAndOldDocumentKept(string bad)
    {
        // Arrange
        var arn = await CreateAsync();
        var document = bad.Length < 10 ? bad : bad + new string(' ', 1000);

        // Act
        var updated = await _h.Directory.UpdateSamlProviderAsync(Account(AccountA), arn, document);

        // Assert
        Assert.False(updated.Succeeded);
        Assert.Equal(Saml2AppFactory.Metadata("https://idp.test/metadata", _first), (await _h.Directory.FindProviderAsync(Account(AccountA), arn))!.MetadataXml);
    }

    [Theory]
    [InlineData(AccountB)]
    [InlineData("oidc")]
    public async Task UpdateSamlProviderAsync_OtherAccountOrKind_IsNoSuchEntity(string variant)
    {
        // Arrange: the SAML provider's ARN asked for from another account, or an OIDC provider's ARN.
        var arn = await CreateAsync();
        var (account, target) = variant == "oidc"
            ? (AccountA, (await _h.Directory.CreateOidcProviderAsync(Account(AccountA), "https://oidc.example.com", [], [])).Value!.Arn)
            : (variant, arn);

        // Act
        var updated = await _h.Directory.UpdateSamlProviderAsync(Account(account), target, Saml2AppFactory.Metadata("https://idp.test/metadata", _next));

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, updated.Error?.Code);
    }

    private async Task<string> CreateAsync() =>
        (await _h.Directory.CreateSamlProviderAsync(Account(AccountA), Name, Saml2AppFactory.Metadata("https://idp.test/metadata", _first))).Value!.Arn;

    private static X509Certificate2 Certificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        return new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
    }
}
