using System.Security.Cryptography;

namespace Portal.Core.Credentials;

/// <summary>Secret access keys: 40 characters from <c>[A-Za-z0-9+/]</c> (STS-SPEC §4.2).</summary>
public static class SecretKeys
{
    /// <summary>Length of a secret access key.</summary>
    public const int Length = 40;

    /// <summary>The 64-character alphabet secrets are drawn from.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>A new secret: 40 uniform draws (240 bits) from a CSPRNG, without modulo bias.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);
}
