using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public sealed class MasterKeyProviderTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "portal-masterkey-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public void GetMasterKey_ConfiguredBase64_ReturnsItAndWritesNoFile()
    {
        // Arrange
        var key = RandomNumberGenerator.GetBytes(32);
        var provider = CreateProvider(new() { ["Security:MasterKey"] = Convert.ToBase64String(key) });

        // Act
        var resolved = provider.GetMasterKey();

        // Assert
        Assert.Equal(key, resolved.ToArray());
        Assert.False(File.Exists(provider.KeyFilePath));
    }

    [Fact]
    public void GetMasterKey_EnvironmentStyleKey_IsReadThroughConfiguration()
    {
        // Arrange: Security__MasterKey in the environment becomes Security:MasterKey.
        var key = RandomNumberGenerator.GetBytes(32);
        var variable = "PORTAL_TEST_" + Guid.NewGuid().ToString("N") + "_";
        Environment.SetEnvironmentVariable(variable + "Security__MasterKey", Convert.ToBase64String(key));
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(variable).Build();
            var provider = new MasterKeyProvider(configuration, _dataDirectory);

            // Act
            var resolved = provider.GetMasterKey();

            // Assert
            Assert.Equal(key, resolved.ToArray());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable + "Security__MasterKey", null);
        }
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")] // 3 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")] // 31 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 33 bytes
    public void GetMasterKey_InvalidConfiguredKey_ThrowsNamingTheKey(string configured)
    {
        // Arrange
        var provider = CreateProvider(new() { ["Security:MasterKey"] = configured });

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetMasterKey());

        // Assert
        Assert.Contains("Security:MasterKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetMasterKey_NoConfiguration_GeneratesOwnerOnlyKeyFileOnce()
    {
        // Arrange
        var first = CreateProvider([]);

        // Act
        var key = first.GetMasterKey().ToArray();
        var second = CreateProvider([]).GetMasterKey().ToArray();

        // Assert
        var path = Path.Combine(_dataDirectory, "portal.masterkey");
        Assert.Equal(path, first.KeyFilePath);
        Assert.True(File.Exists(path));
        Assert.Equal(32, key.Length);
        Assert.Equal(key, second);
        Assert.Single(Directory.GetFiles(_dataDirectory));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void GetMasterKey_ConfiguredKeyFile_IsUsedRelativeToDataDirectory()
    {
        // Arrange
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.Combine(_dataDirectory, "keys"));
        File.WriteAllText(Path.Combine(_dataDirectory, "keys", "mk"), Convert.ToBase64String(key) + "\n");
        var provider = CreateProvider(new() { ["Security:MasterKeyFile"] = "keys/mk" });

        // Act
        var resolved = provider.GetMasterKey();

        // Assert
        Assert.Equal(key, resolved.ToArray());
    }

    [Fact]
    public void GetMasterKey_CorruptKeyFile_ThrowsNamingTheFile()
    {
        // Arrange
        Directory.CreateDirectory(_dataDirectory);
        File.WriteAllText(Path.Combine(_dataDirectory, "portal.masterkey"), "too short");
        var provider = CreateProvider([]);

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetMasterKey());

        // Assert
        Assert.Contains("portal.masterkey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Security:MasterKeyFile", error.Message, StringComparison.Ordinal);
    }

    private MasterKeyProvider CreateProvider(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _dataDirectory);
}
