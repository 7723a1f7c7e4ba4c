using Portal.Core.Federation.Oidc;

namespace Portal.Tests.Core.Federation.Oidc;

public sealed class OidcProviderConfigTests
{
    [Fact]
    public void Validate_Baseline_DoesNotThrow()
    {
        // Arrange
        var config = CreateValid();

        // Act
        var exception = Record.Exception(config.Validate);

        // Assert
        Assert.Null(exception);
        Assert.Equal("idp.test", config.ProviderName);
        Assert.Equal("groups", config.GroupsClaim);
    }

    public static TheoryData<string, string, bool, string> BadIssuers => new()
    {
        { "http://idp.test", "arn:aws:iam::123456789012:oidc-provider/idp.test", false, "Issuer" },
        { "http://idp.test", "arn:aws:iam::123456789012:oidc-provider/idp.test", true, "Issuer" },
        { "http://localhost:5001", "arn:aws:iam::123456789012:oidc-provider/localhost:5001", false, "Issuer" },
        { "idp.test", "arn:aws:iam::123456789012:oidc-provider/idp.test", false, "Issuer" },
        { "https://idp.test?x=1", "arn:aws:iam::123456789012:oidc-provider/idp.test?x=1", false, "Issuer" },
        { "https://idp.test#f", "arn:aws:iam::123456789012:oidc-provider/idp.test#f", false, "Issuer" },
        { "https://u:p@idp.test", "arn:aws:iam::123456789012:oidc-provider/u:p@idp.test", false, "Issuer" },
        { "https://idp.test", "arn:aws:iam::123456789012:oidc-provider/other.test", false, "ProviderArn" },
        { "https://idp.test", "arn:aws:iam::123456789012:saml-provider/idp.test", false, "ProviderArn" },
        { "https://idp.test", "arn:aws:iam::12345:oidc-provider/idp.test", false, "ProviderArn" },
        { "https://idp.test", "not-an-arn", false, "ProviderArn" },
    };

    [Theory]
    [MemberData(nameof(BadIssuers))]
    public void Validate_BadIssuerOrArn_ThrowsNamingProperty(string issuer, string arn, bool allowLoopback, string property)
    {
        // Arrange
        var config = CreateValid() with { Issuer = issuer, ProviderArn = arn, AllowHttpOnLoopback = allowLoopback };

        // Act
        var exception = Assert.Throws<ArgumentException>(config.Validate);

        // Assert
        Assert.Equal(property, exception.ParamName);
    }

    [Theory]
    [InlineData("http://localhost:5001", "arn:aws:iam::123456789012:oidc-provider/localhost:5001")]
    [InlineData("http://127.0.0.1:8080/realms/dev", "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:8080/realms/dev")]
    public void Validate_HttpLoopbackWithExplicitOption_Allowed(string issuer, string arn)
    {
        // Arrange
        var config = CreateValid() with { Issuer = issuer, ProviderArn = arn, AllowHttpOnLoopback = true };

        // Act
        var exception = Record.Exception(config.Validate);

        // Assert
        Assert.Null(exception);
    }

    public static TheoryData<string[]> BadClientIds => new()
    {
        Array.Empty<string>(),
        new[] { "a", "a" },
        new[] { string.Empty },
        new[] { new string('c', 256) },
        Enumerable.Range(0, 101).Select(i => "c" + i).ToArray(),
    };

    [Theory]
    [MemberData(nameof(BadClientIds))]
    public void Validate_BadClientIds_Throws(string[] clientIds)
    {
        // Arrange
        var config = CreateValid() with { ClientIds = clientIds };

        // Act
        var exception = Assert.Throws<ArgumentException>(config.Validate);

        // Assert
        Assert.Equal("ClientIds", exception.ParamName);
    }

    [Theory]
    [InlineData(6, "990f4193972f2becf12ddeda5237f9c952f20d9e")]
    [InlineData(1, "not-hex")]
    public void Validate_BadThumbprints_Throws(int count, string thumbprint)
    {
        // Arrange
        var config = CreateValid() with { Thumbprints = Enumerable.Repeat(thumbprint, count).ToArray() };

        // Act
        var exception = Assert.Throws<ArgumentException>(config.Validate);

        // Assert
        Assert.Equal("Thumbprints", exception.ParamName);
    }

    [Fact]
    public void Validate_EmptyGroupsClaim_Throws()
    {
        // Arrange
        var config = CreateValid() with { GroupsClaim = " " };

        // Act
        var exception = Assert.Throws<ArgumentException>(config.Validate);

        // Assert
        Assert.Equal("GroupsClaim", exception.ParamName);
    }

    [Fact]
    public void InMemorySourceAdd_ProviderOfOtherAccount_Throws()
    {
        // Arrange
        var source = new InMemoryOidcProviderSource();

        // Act
        var exception = Record.Exception(() => source.Add("210987654321", CreateValid()));

        // Assert
        Assert.IsType<ArgumentException>(exception);
    }

    [Fact]
    public async Task InMemorySourceFind_ExactIssuerAndAccountOnly()
    {
        // Arrange
        var source = new InMemoryOidcProviderSource();
        source.Add("123456789012", CreateValid());

        // Act
        var found = await source.FindByIssuerAsync("123456789012", "https://idp.test", CancellationToken.None);
        var slash = await source.FindByIssuerAsync("123456789012", "https://idp.test/", CancellationToken.None);
        var otherAccount = await source.FindByIssuerAsync("210987654321", "https://idp.test", CancellationToken.None);

        // Assert
        Assert.NotNull(found);
        Assert.Null(slash);
        Assert.Null(otherAccount);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void OptionsValidate_ClockSkewOutOfBounds_Throws(int seconds)
    {
        // Arrange
        var options = new OidcOptions { ClockSkew = TimeSpan.FromSeconds(seconds) };

        // Act
        var exception = Assert.Throws<ArgumentException>(options.Validate);

        // Assert
        Assert.Equal("ClockSkew", exception.ParamName);
    }

    private static OidcProviderConfig CreateValid() => new()
    {
        ProviderArn = "arn:aws:iam::123456789012:oidc-provider/idp.test",
        Issuer = "https://idp.test",
        ClientIds = ["client-1"],
        Thumbprints = ["990f4193972f2becf12ddeda5237f9c952f20d9e"],
    };
}
