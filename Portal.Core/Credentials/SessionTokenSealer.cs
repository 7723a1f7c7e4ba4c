using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Core.Credentials;

/// <summary>
/// Seals <see cref="SessionClaims"/> into a self-contained session token (STS-SPEC §4.3 option b):
/// standard base64 of <c>header | nonce(12) | ciphertext | tag(16)</c>, where header = magic, format version and the
/// key id in the clear and authenticated as AES-GCM associated data. The plaintext is not compressed, because it
/// holds a secret next to attacker-influenced policy text. Every malformation is one indistinguishable failure
/// (SECURITY-CASES 91); the expiry lives inside the AEAD, so it cannot be extended (92b).
/// </summary>
public sealed class SessionTokenSealer
{
    /// <summary>Longest token text accepted; longer input is rejected before decoding.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private const byte Magic = 0xA5;
    private const byte FormatVersion = 1;
    private const int HeaderLength = 2 + TokenKeyRing.KeyIdLength;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MinLength = HeaderLength + NonceSize + TagSize;

    // Note: the payload never meets HTML, so '+' and '/' (frequent in secrets) need no \u escapes; this keeps the
    // token's size independent of the secret's characters.
    private static readonly SessionTokenJsonContext Json = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private readonly TokenKeyRing _ring;

    /// <summary>Creates a sealer using the keys of <paramref name="ring"/>.</summary>
    public SessionTokenSealer(TokenKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
    }

    /// <summary>Seals <paramref name="claims"/> under the current signing key.</summary>
    /// <exception cref="InvalidOperationException">The key ring has not been initialized.</exception>
    public string Seal(SessionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var key = _ring.SigningKey;
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(SessionTokenPayload.From(claims), Json.SessionTokenPayload);
        var token = new byte[MinLength + plaintext.Length];
        try
        {
            token[0] = Magic;
            token[1] = FormatVersion;
            Encoding.ASCII.GetBytes(key.KeyId, token.AsSpan(2, TokenKeyRing.KeyIdLength));
            var nonce = token.AsSpan(HeaderLength, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key.Material, TagSize);
            aes.Encrypt(nonce, plaintext, token.AsSpan(HeaderLength + NonceSize, plaintext.Length), token.AsSpan(token.Length - TagSize), token.AsSpan(0, HeaderLength));
            return Convert.ToBase64String(token);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens a token; false for any malformation, unknown key or authentication failure, without saying which.</summary>
    public bool TryUnseal(string? token, [NotNullWhen(true)] out SessionClaims? claims) =>
        Unseal(token, out claims) == UnsealStatus.Valid;

    internal UnsealStatus Unseal(string? token, out SessionClaims? claims)
    {
        claims = null;
        if (token is null || token.Length > MaxTokenLength || token.Length % 4 != 0)
        {
            return UnsealStatus.Invalid;
        }

        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(token.Length)];
        if (!Convert.TryFromBase64String(token, bytes, out var length) || length < MinLength || !IsCanonical(token, bytes.AsSpan(0, length)))
        {
            return UnsealStatus.Invalid;
        }

        var data = bytes.AsSpan(0, length);
        if (data[0] != Magic || data[1] != FormatVersion)
        {
            return UnsealStatus.Invalid;
        }

        if (!_ring.TryGetKey(data.Slice(2, TokenKeyRing.KeyIdLength), out var key))
        {
            return UnsealStatus.UnknownKey;
        }

        var plaintext = new byte[length - MinLength];
        try
        {
            using var aes = new AesGcm(key.Material, TagSize);
            aes.Decrypt(data.Slice(HeaderLength, NonceSize), data.Slice(HeaderLength + NonceSize, plaintext.Length), data[^TagSize..], plaintext, data[..HeaderLength]);
            claims = JsonSerializer.Deserialize(plaintext, Json.SessionTokenPayload)?.ToClaims();
        }
        catch (CryptographicException)
        {
            return UnsealStatus.Invalid;
        }
        catch (JsonException)
        {
            return UnsealStatus.Invalid;
        }
        catch (ArgumentOutOfRangeException)
        {
            return UnsealStatus.Invalid;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return claims is null ? UnsealStatus.Invalid : UnsealStatus.Valid;
    }

    /// <summary>
    /// Convert accepts whitespace and non-zero padding bits; requiring the exact re-encoding makes each token
    /// have a single spelling, so no variant of a token string is accepted (SECURITY-CASES 91).
    /// </summary>
    private static bool IsCanonical(string token, ReadOnlySpan<byte> decoded)
    {
        Span<char> encoded = new char[token.Length];
        return Convert.TryToBase64Chars(decoded, encoded, out var written)
            && written == token.Length
            && encoded.SequenceEqual(token);
    }
}

/// <summary>Why a token did not open; only <see cref="SessionCredentialVerifier"/> looks at the difference (to reload keys).</summary>
internal enum UnsealStatus
{
    Valid,
    Invalid,
    UnknownKey,
}
