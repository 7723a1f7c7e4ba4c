using Portal.Core.Sts;
using Portal.Services;

namespace Portal.Tests.Services;

public class CredentialFormatsTests
{
    private const string KeyId = "ASIAQNZGKMVX4EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/abc==";
    private static readonly DateTimeOffset Expiration = new(2026, 1, 15, 13, 0, 0, TimeSpan.Zero);

    public static TheoryData<CredentialFormat, string> FormatsWithoutRegion => new()
    {
        {
            CredentialFormat.Bash,
            $"export AWS_ACCESS_KEY_ID='{KeyId}'\nexport AWS_SECRET_ACCESS_KEY='{Secret}'\nexport AWS_SESSION_TOKEN='{Token}'\n"
        },
        {
            CredentialFormat.Fish,
            $"set -x AWS_ACCESS_KEY_ID '{KeyId}'\nset -x AWS_SECRET_ACCESS_KEY '{Secret}'\nset -x AWS_SESSION_TOKEN '{Token}'\n"
        },
        {
            CredentialFormat.PowerShell,
            $"$Env:AWS_ACCESS_KEY_ID=\"{KeyId}\"\n$Env:AWS_SECRET_ACCESS_KEY=\"{Secret}\"\n$Env:AWS_SESSION_TOKEN=\"{Token}\"\n"
        },
        {
            CredentialFormat.Cmd,
            $"set AWS_ACCESS_KEY_ID={KeyId}\nset AWS_SECRET_ACCESS_KEY={Secret}\nset AWS_SESSION_TOKEN={Token}\n"
        },
        {
            CredentialFormat.CredentialsFile,
            $"[default]\naws_access_key_id = {KeyId}\naws_secret_access_key = {Secret}\naws_session_token = {Token}\n"
        },
        {
            CredentialFormat.CredentialProcess,
            $"{{\"Version\":1,\"AccessKeyId\":\"{KeyId}\",\"SecretAccessKey\":\"{Secret}\",\"SessionToken\":\"{Token}\",\"Expiration\":\"2026-01-15T13:00:00Z\"}}\n"
        },
        {
            CredentialFormat.DotEnv,
            $"AWS_ACCESS_KEY_ID={KeyId}\nAWS_SECRET_ACCESS_KEY={Secret}\nAWS_SESSION_TOKEN={Token}\n"
        },
    };

    public static TheoryData<CredentialFormat, string> FormatsWithRegion => new()
    {
        {
            CredentialFormat.Bash,
            $"export AWS_ACCESS_KEY_ID='{KeyId}'\nexport AWS_SECRET_ACCESS_KEY='{Secret}'\nexport AWS_SESSION_TOKEN='{Token}'\n"
            + "export AWS_DEFAULT_REGION='eu-west-1'\nexport AWS_REGION='eu-west-1'\n"
        },
        {
            CredentialFormat.Fish,
            $"set -x AWS_ACCESS_KEY_ID '{KeyId}'\nset -x AWS_SECRET_ACCESS_KEY '{Secret}'\nset -x AWS_SESSION_TOKEN '{Token}'\n"
            + "set -x AWS_DEFAULT_REGION 'eu-west-1'\nset -x AWS_REGION 'eu-west-1'\n"
        },
        {
            CredentialFormat.PowerShell,
            $"$Env:AWS_ACCESS_KEY_ID=\"{KeyId}\"\n$Env:AWS_SECRET_ACCESS_KEY=\"{Secret}\"\n$Env:AWS_SESSION_TOKEN=\"{Token}\"\n"
            + "$Env:AWS_DEFAULT_REGION=\"eu-west-1\"\n$Env:AWS_REGION=\"eu-west-1\"\n"
        },
        {
            CredentialFormat.Cmd,
            $"set AWS_ACCESS_KEY_ID={KeyId}\nset AWS_SECRET_ACCESS_KEY={Secret}\nset AWS_SESSION_TOKEN={Token}\n"
            + "set AWS_DEFAULT_REGION=eu-west-1\nset AWS_REGION=eu-west-1\n"
        },
        {
            CredentialFormat.CredentialsFile,
            $"[ci-deploy]\naws_access_key_id = {KeyId}\naws_secret_access_key = {Secret}\naws_session_token = {Token}\nregion = eu-west-1\n"
        },
        {
            // The credential_process contract has no region member; the region belongs in the profile.
            CredentialFormat.CredentialProcess,
            $"{{\"Version\":1,\"AccessKeyId\":\"{KeyId}\",\"SecretAccessKey\":\"{Secret}\",\"SessionToken\":\"{Token}\",\"Expiration\":\"2026-01-15T13:00:00Z\"}}\n"
        },
        {
            CredentialFormat.DotEnv,
            $"AWS_ACCESS_KEY_ID={KeyId}\nAWS_SECRET_ACCESS_KEY={Secret}\nAWS_SESSION_TOKEN={Token}\n"
            + "AWS_DEFAULT_REGION=eu-west-1\nAWS_REGION=eu-west-1\n"
        },
    };

    // Each row breaks one value with a character that ends or escapes some target's quoting or expands in it.
    public static TheoryData<string, string, string, string?, string?> UnsafeValues => new()
    {
        { "ASIAQNZGKMVX4EXAMP'E", Secret, Token, null, null },
        { "asiaqnzgkmvx4example", Secret, Token, null, null },
        { KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE'$(id)'", Token, null, null },
        { KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE\"KEY", Token, null, null },
        { KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCY`whoami`", Token, null, null },
        { KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCY%PATH%KEY", Token, null, null },
        { KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCY\\KEY", Token, null, null },
        { KeyId, Secret, "IQoJb3JpZ2luX2VjEXAMPLE\nexport X=1", null, null },
        { KeyId, Secret, "IQoJb3JpZ2luX2VjEXAMPLE & calc.exe", null, null },
        { KeyId, Secret, "IQoJb3JpZ2luX2VjEXAMPLE#comment", null, null },
        { KeyId, Secret, Token, "eu-west-1'; rm -rf ~", null },
        { KeyId, Secret, Token, "EU-WEST-1", null },
        { KeyId, Secret, Token, "-eu-west-1", null },
        { KeyId, Secret, Token, null, "prod]\n[default" },
        { KeyId, Secret, Token, null, "my profile" },
    };

    public static TheoryData<string, string, string> BadLengths => new()
    {
        { "ASIA", Secret, Token },
        { KeyId, "short", Token },
        { KeyId, Secret, "" },
        { KeyId, Secret, new string('A', (16 * 1024) + 1) },
    };

    [Theory]
    [MemberData(nameof(FormatsWithoutRegion))]
    public void Render_NoRegion_ProducesExactText(CredentialFormat format, string expected)
    {
        // Arrange
        var export = CreateValidExport();

        // Act
        var text = CredentialFormats.Render(export, format);

        // Assert
        Assert.Equal(expected, text);
    }

    [Theory]
    [MemberData(nameof(FormatsWithRegion))]
    public void Render_RegionAndProfile_ProducesExactText(CredentialFormat format, string expected)
    {
        // Arrange
        var export = CreateValidExport(region: "eu-west-1", profileName: "ci-deploy");

        // Act
        var text = CredentialFormats.Render(export, format);

        // Assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Render_ExpirationWithOffset_WritesUtcWithZ()
    {
        // Arrange
        var export = CreateValidExport(expiration: new DateTimeOffset(2026, 1, 15, 14, 30, 5, TimeSpan.FromHours(2)));

        // Act
        var text = CredentialFormats.Render(export, CredentialFormat.CredentialProcess);

        // Assert
        Assert.Contains("\"Expiration\":\"2026-01-15T12:30:05Z\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CredentialProcess_IsOneJsonLineTheCliCanRead()
    {
        // Arrange
        var export = CreateValidExport();

        // Act
        var text = CredentialFormats.Render(export, CredentialFormat.CredentialProcess);

        // Assert
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal(1, json.RootElement.GetProperty("Version").GetInt32());
        Assert.Equal(Secret, json.RootElement.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(Token, json.RootElement.GetProperty("SessionToken").GetString());
    }

    [Theory]
    [MemberData(nameof(UnsafeValues))]
    public void Create_ValueThatCouldBreakQuoting_IsRefused(string keyId, string secret, string token, string? region, string? profile)
    {
        // Arrange
        var credentials = new IssuedCredentials(keyId, secret, token, Expiration);

        // Act
        var result = CredentialExport.Create(credentials, region, profile);

        // Assert
        Assert.False(result.Succeeded);
        Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadLengths))]
    public void Create_ValueOfWrongLength_IsRefused(string keyId, string secret, string token)
    {
        // Arrange
        var credentials = new IssuedCredentials(keyId, secret, token, Expiration);

        // Act
        var result = CredentialExport.Create(credentials);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("characters long", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_NoProfileName_UsesDefault(string? profile)
    {
        // Act
        var result = CredentialExport.Create(CreateValidCredentials(), profileName: profile);

        // Assert
        Assert.True(result.Succeeded);
        Assert.Equal("default", result.Export.ProfileName);
    }

    [Theory]
    [InlineData(CredentialFormat.Bash, "credentials-ASIAQNZGKMVX4EXAMPLE.sh")]
    [InlineData(CredentialFormat.Fish, "credentials-ASIAQNZGKMVX4EXAMPLE.fish")]
    [InlineData(CredentialFormat.PowerShell, "credentials-ASIAQNZGKMVX4EXAMPLE.ps1")]
    [InlineData(CredentialFormat.Cmd, "credentials-ASIAQNZGKMVX4EXAMPLE.cmd")]
    [InlineData(CredentialFormat.CredentialsFile, "credentials-ASIAQNZGKMVX4EXAMPLE.ini")]
    [InlineData(CredentialFormat.CredentialProcess, "credentials-ASIAQNZGKMVX4EXAMPLE.json")]
    [InlineData(CredentialFormat.DotEnv, "credentials-ASIAQNZGKMVX4EXAMPLE.env")]
    public void FileName_EachFormat_NamesKeyAndExtension(CredentialFormat format, string expected)
    {
        // Act
        var name = CredentialFormats.FileName(CreateValidExport(), format);

        // Assert
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Render_UnknownFormat_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => CredentialFormats.Render(CreateValidExport(), (CredentialFormat)99));
    }

    private static IssuedCredentials CreateValidCredentials(DateTimeOffset? expiration = null) =>
        new(KeyId, Secret, Token, expiration ?? Expiration);

    private static CredentialExport CreateValidExport(DateTimeOffset? expiration = null, string? region = null, string? profileName = null)
    {
        var result = CredentialExport.Create(CreateValidCredentials(expiration), region, profileName);
        Assert.True(result.Succeeded, result.Error);
        return result.Export;
    }
}
