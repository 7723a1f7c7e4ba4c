using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Signing;

/// <summary>String to sign, signing-key derivation and signature (STS-SPEC §5.4).</summary>
internal static class SigV4Crypto
{
    public const int HashLength = 32;

    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string Sha256Hex(string text)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            return Sha256Hex(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static string Scope(string date, string region, string service) =>
        string.Concat(date, "/", region, "/", service, "/", SigV4Constants.Terminator);

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        string.Concat(SigV4Constants.Algorithm, "\n", amzDate, "\n", scope, "\n", Sha256Hex(canonicalRequest));

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secret, string date, string region, string service)
    {
        var key = new byte[HashLength];
        var seed = Encoding.UTF8.GetBytes("AWS4" + secret);
        try
        {
            HMACSHA256.HashData(seed, Encoding.UTF8.GetBytes(date), key);
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region), key);
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service), key);
            HMACSHA256.HashData(key, "aws4_request"u8, key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Writes the raw 32-byte signature of <paramref name="stringToSign"/>.</summary>
    public static void Sign(ReadOnlySpan<byte> signingKey, string stringToSign, Span<byte> signature)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(stringToSign.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(stringToSign, rented);
            HMACSHA256.HashData(signingKey, rented.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static string SignHex(ReadOnlySpan<byte> signingKey, string stringToSign)
    {
        Span<byte> signature = stackalloc byte[HashLength];
        Sign(signingKey, stringToSign, signature);
        return Convert.ToHexStringLower(signature);
    }

    /// <summary>True for exactly 64 lower-case hex digits: the only form SDKs send (SECURITY-CASES 81).</summary>
    public static bool IsLowerHex64(string value)
    {
        if (value.Length != SigV4Constants.SignatureHexLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A small bounded cache of derived signing keys per (secret, date, region, service): the four-HMAC derivation
/// repeats for every request of a key on a day (STS-SPEC §5.4). Cleared wholesale when full; a miss only costs
/// the derivation again.
/// </summary>
internal sealed class SigningKeyCache
{
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> _keys = new();
    private readonly int _capacity;

    public SigningKeyCache(int capacity = 1024)
    {
        _capacity = capacity;
    }

    public byte[] Get(string secret, string date, string region, string service)
    {
        var cacheKey = (secret, date, region, service);
        if (_keys.TryGetValue(cacheKey, out var key))
        {
            return key;
        }

        key = SigV4Crypto.DeriveSigningKey(secret, date, region, service);
        if (_keys.Count >= _capacity)
        {
            _keys.Clear();
        }

        _keys[cacheKey] = key;
        return key;
    }
}
