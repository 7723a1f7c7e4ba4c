using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Mfa;

/// <summary>Generation, normalisation and hashing of single-use recovery codes.</summary>
internal static class RecoveryCodes
{
    internal const int Count = 10;

    private const int GroupLength = 5;
    private const int CodeLength = 2 * GroupLength;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // 50 bits per code: PBKDF2 rather than one SHA-256 so a stolen table cannot be brute-forced cheaply.
    private const int Iterations = 10_000;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A fresh code from the CSPRNG, formatted <c>XXXXX-XXXXX</c>.</summary>
    internal static string NewCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, CodeLength);
        return string.Concat(new string(chars, 0, GroupLength), "-", new string(chars, GroupLength, GroupLength));
    }

    internal static MfaRecoveryCodeRecord Hash(string code)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new MfaRecoveryCodeRecord(Guid.NewGuid(), salt, Derive(Normalize(code)!, salt), null);
    }

    /// <summary>Upper-cases and drops the hyphen and spaces; null unless exactly ten Base32 characters remain.</summary>
    internal static string? Normalize(string? input)
    {
        if (input is null || input.Length > 2 * CodeLength)
        {
            return null;
        }

        var builder = new StringBuilder(CodeLength);
        foreach (var c in input)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            builder.Append(upper);
        }

        return builder.Length == CodeLength ? builder.ToString() : null;
    }

    internal static bool Matches(MfaRecoveryCodeRecord stored, string normalizedCode) =>
        CryptographicOperations.FixedTimeEquals(Derive(normalizedCode, stored.Salt), stored.Hash);

    private static byte[] Derive(string normalizedCode, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(normalizedCode), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
}
