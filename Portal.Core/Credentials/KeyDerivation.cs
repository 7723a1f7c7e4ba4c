using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Credentials;

/// <summary>
/// Purpose-bound subkeys of the master key (HKDF-SHA256, RFC 5869) and the shared AES-256-GCM envelope
/// <c>[version(1) | nonce(12) | ciphertext | tag(16)]</c> with <c>purpose | version | context</c> as associated data.
/// </summary>
internal static class KeyDerivation
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = 1 + NonceSize + TagSize;

    public static byte[] DeriveSubkey(IMasterKeySource master, string purpose)
    {
        var ikm = master.GetMasterKey().Span;
        var output = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt: [], info: Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    public static byte[] Seal(byte[] key, string purpose, byte version, ReadOnlySpan<byte> context, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[Overhead + plaintext.Length];
        output[0] = version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            nonce,
            plaintext,
            output.AsSpan(1 + NonceSize, plaintext.Length),
            output.AsSpan(output.Length - TagSize),
            AssociatedData(purpose, version, context));
        return output;
    }

    public static bool TryOpen(byte[] key, string purpose, byte version, ReadOnlySpan<byte> context, ReadOnlySpan<byte> sealedData, out byte[] plaintext)
    {
        plaintext = [];
        if (sealedData.Length < Overhead || sealedData[0] != version)
        {
            return false;
        }

        var result = new byte[sealedData.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                sealedData.Slice(1, NonceSize),
                sealedData.Slice(1 + NonceSize, result.Length),
                sealedData[^TagSize..],
                result,
                AssociatedData(purpose, version, context));
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException: tampered, truncated or produced under another key.
            return false;
        }

        plaintext = result;
        return true;
    }

    private static byte[] AssociatedData(string purpose, byte version, ReadOnlySpan<byte> context)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var ad = new byte[purposeBytes.Length + 1 + context.Length];
        purposeBytes.CopyTo(ad, 0);
        ad[purposeBytes.Length] = version;
        context.CopyTo(ad.AsSpan(purposeBytes.Length + 1));
        return ad;
    }
}
