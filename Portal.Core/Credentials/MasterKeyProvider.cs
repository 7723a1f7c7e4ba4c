using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Portal.Core.Credentials;

/// <summary>
/// Resolves the master key, in order, from configuration <c>Security:MasterKey</c> (base64; environment variable
/// <c>Security__MasterKey</c>), then the key file at <c>Security:MasterKeyFile</c> (default
/// <c>&lt;data directory&gt;/portal.masterkey</c>), which is created with a CSPRNG key and owner-only permissions
/// on first run. The key is resolved once, on first use.
/// </summary>
public sealed class MasterKeyProvider : IMasterKeySource
{
    /// <summary>Configuration key holding the base64 master key.</summary>
    public const string MasterKeyConfigKey = "Security:MasterKey";

    /// <summary>Configuration key holding the key file path (relative paths are under the data directory).</summary>
    public const string MasterKeyFileConfigKey = "Security:MasterKeyFile";

    /// <summary>Key file name used when <see cref="MasterKeyFileConfigKey"/> is not set.</summary>
    public const string DefaultFileName = "portal.masterkey";

    /// <summary>Master key length in bytes (AES-256 / HKDF-SHA256 input).</summary>
    public const int KeyLength = 32;

    private readonly IConfiguration _configuration;
    private readonly string _dataDirectory;
    private readonly Lazy<byte[]> _key;

    /// <summary>Creates a provider reading <paramref name="configuration"/> and using <paramref name="dataDirectory"/> for the default key file.</summary>
    public MasterKeyProvider(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        _configuration = configuration;
        _dataDirectory = dataDirectory;
        _key = new Lazy<byte[]>(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The key file this provider reads or creates when no key is configured.</summary>
    public string KeyFilePath => Path.GetFullPath(_configuration[MasterKeyFileConfigKey] is { Length: > 0 } file
        ? Path.Combine(_dataDirectory, file)
        : Path.Combine(_dataDirectory, DefaultFileName));

    /// <inheritdoc />
    public ReadOnlyMemory<byte> GetMasterKey() => _key.Value;

    private byte[] Resolve()
    {
        var configured = _configuration[MasterKeyConfigKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Decode(configured, $"Configuration value '{MasterKeyConfigKey}'");
        }

        var path = KeyFilePath;
        if (!File.Exists(path))
        {
            CreateKeyFile(path);
        }

        return Decode(File.ReadAllText(path), $"Master key file '{path}' (configuration '{MasterKeyFileConfigKey}')");
    }

    private static byte[] Decode(string base64, string source)
    {
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != KeyLength)
        {
            throw new InvalidOperationException(
                $"{source} must be the base64 encoding of exactly {KeyLength} random bytes.");
        }

        return buffer[..KeyLength];
    }

    private static void CreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(KeyLength);
        var temp = path + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 so the key is never readable by others, not even between create and chmod.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(path: temp, options))
            {
                writer.Write(Convert.ToBase64String(key));
                writer.Write('\n');
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            // Rename without overwrite: if another process created the file first, its key wins and is read back.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            File.Delete(temp);
        }
    }
}
