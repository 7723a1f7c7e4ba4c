using System.Text.Json.Nodes;
using Portal.Authentication.Oidc;
using Portal.Core.Credentials;
using Portal.Tests.Core.Credentials;

namespace Portal.Tests.Api.Oidc;

public sealed class OidcSignInSettingsCodecTests
{
    private static readonly byte[] MasterKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Write_ClientSecret_StoredEncryptedAndReadBack()
    {
        // Arrange
        var codec = CreateCodec();

        // Act
        var json = codec.Write(CreateSettings(), "portal-secret");
        var read = OidcSignInSettingsCodec.Read(json)!;

        // Assert
        Assert.DoesNotContain("portal-secret", json, StringComparison.Ordinal);
        Assert.True(codec.TryUnprotectClientSecret(read, out var secret));
        Assert.Equal("portal-secret", secret);
        Assert.Equal(("portal-client", "groups", true), (read.ClientId, read.GroupsClaim, read.TrustMfa));
    }

    [Fact]
    public void TryUnprotectClientSecret_CiphertextAltered_Fails()
    {
        // Arrange
        var codec = CreateCodec();
        var json = JsonNode.Parse(codec.Write(CreateSettings(), "portal-secret"))!;
        var bytes = Convert.FromBase64String(json["clientSecret"]!.GetValue<string>());
        bytes[^1] ^= 1;
        json["clientSecret"] = Convert.ToBase64String(bytes);

        // Act
        var ok = codec.TryUnprotectClientSecret(OidcSignInSettingsCodec.Read(json.ToJsonString())!, out var secret);

        // Assert
        Assert.False(ok);
        Assert.Null(secret);
    }

    [Fact]
    public void TryUnprotectClientSecret_SecretProtectedForAnotherPurpose_Fails()
    {
        // Arrange: e.g. a secret access key's ciphertext copied into the settings.
        var codec = CreateCodec();
        var other = new SecretProtector(new FixedMasterKey(MasterKey)).Protect("portal-secret");
        var settings = CreateSettings() with { ProtectedClientSecret = Convert.ToBase64String(other) };

        // Act
        var ok = codec.TryUnprotectClientSecret(settings, out _);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData("{}", false)]
    [InlineData("", false)]
    [InlineData("""{"clientId":"portal-client"}""", true)]
    [InlineData("""{"clientId":"  "}""", false)]
    public void Read_StoredJson_SignInEnabledOnlyWithClientId(string json, bool expected)
    {
        // Act
        var settings = OidcSignInSettingsCodec.Read(json);

        // Assert
        Assert.Equal(expected, settings!.SignInEnabled);
    }

    [Fact]
    public void Read_NotJson_Null()
    {
        // Act
        var settings = OidcSignInSettingsCodec.Read("{not json");

        // Assert
        Assert.Null(settings);
    }

    private static OidcSignInSettingsCodec CreateCodec() => new(new FixedMasterKey(MasterKey));

    private static OidcSignInSettings CreateSettings() => new()
    {
        DisplayName = "Corp",
        ClientId = "portal-client",
        GroupsClaim = "groups",
        TrustMfa = true,
    };
}
