using System.Text;

namespace Portal.Core.Credentials;

/// <summary>
/// AES-256-GCM protection of secrets at rest under a master-key subkey derived by HKDF-SHA256 for one purpose.
/// Output: <c>[version(1) | nonce(12) | ciphertext | tag(16)]</c>; purpose and version are associated data, so a
/// value protected for one purpose never opens under another.
/// </summary>
public sealed class SecretProtector : ISecretProtector
{
    /// <summary>The purpose used when none is given.</summary>
    public const string DefaultPurpose = "portal/secret/v1";

    private const byte Version = 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _purpose;
    private readonly Lazy<byte[]> _key;

    /// <summary>Creates a protector whose key is derived from <paramref name="masterKey"/> for <paramref name="purpose"/>.</summary>
    public SecretProtector(IMasterKeySource masterKey, string purpose = DefaultPurpose)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        _purpose = purpose;
        _key = new Lazy<byte[]>(() => KeyDerivation.DeriveSubkey(masterKey, purpose));
    }

    /// <inheritdoc />
    public byte[] Protect(ReadOnlySpan<byte> plaintext) => KeyDerivation.Seal(_key.Value, _purpose, Version, [], plaintext);

    /// <inheritdoc />
    public byte[] Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return Protect(StrictUtf8.GetBytes(plaintext));
    }

    /// <inheritdoc />
    public Unprotected<byte[]> Unprotect(ReadOnlySpan<byte> protectedData) =>
        KeyDerivation.TryOpen(_key.Value, _purpose, Version, [], protectedData, out var plaintext)
            ? Unprotected<byte[]>.Success(plaintext)
            : Unprotected<byte[]>.Failure;

    /// <inheritdoc />
    public Unprotected<string> UnprotectString(ReadOnlySpan<byte> protectedData)
    {
        var bytes = Unprotect(protectedData);
        if (!bytes.Succeeded)
        {
            return Unprotected<string>.Failure;
        }

        try
        {
            return Unprotected<string>.Success(StrictUtf8.GetString(bytes.Value));
        }
        catch (DecoderFallbackException)
        {
            return Unprotected<string>.Failure;
        }
    }
}
