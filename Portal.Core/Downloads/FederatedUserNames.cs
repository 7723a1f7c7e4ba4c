using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Sts;

namespace Portal.Core.Downloads;

/// <summary>
/// The GetFederationToken <c>Name</c> of a customer's downloads: 2–32 characters of <c>[\w+=,.@-]</c> (STS-SPEC §1.5),
/// derived deterministically from the person's identity so every download traces back to them.
/// </summary>
public static class FederatedUserNames
{
    /// <summary>The longest federated-user name (STS-SPEC §1.5).</summary>
    public const int MaxLength = 32;

    private const int HashLength = 8;

    /// <summary>
    /// The identity itself when it already fits the pattern; otherwise the identity with every other character turned into
    /// <c>-</c>, cut to 23 characters, plus <c>-</c> and 8 hex digits of its SHA-256: two identities that sanitise alike
    /// ("a b", "a+b"…) or share a long prefix still get different names.
    /// </summary>
    public static string For(string identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        if (identity.Length is >= 2 and <= MaxLength && identity.All(IsAllowed))
        {
            return identity;
        }

        var sanitised = new string(identity.Select(c => IsAllowed(c) ? c : '-').Take(MaxLength - HashLength - 1).ToArray());
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..HashLength].ToLower(CultureInfo.InvariantCulture);
        return sanitised + "-" + hash;
    }

    /// <summary>True when <paramref name="name"/> is a valid GetFederationToken name.</summary>
    public static bool IsValid(string? name) => name is { Length: >= 2 and <= MaxLength } && name.All(IsAllowed);

    // AWS's \w is ASCII here: a non-ASCII letter would be refused by the STS name pattern.
    private static bool IsAllowed(char c) => c < 128 && StsPatterns.IsNameChar(c);
}
