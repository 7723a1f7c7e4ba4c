using System.Security.Cryptography;

namespace Portal.Core.Credentials;

/// <summary>The RFC 4648 base-32 alphabet used after IAM id prefixes (STS-SPEC §4.1).</summary>
internal static class Base32
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Uniform random base-32 text; <see cref="RandomNumberGenerator.GetString"/> has no modulo bias.</summary>
    public static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static int IndexOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };

    public static bool IsBase32(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
