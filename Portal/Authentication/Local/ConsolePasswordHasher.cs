using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Authentication.Local;

/// <summary>
/// Hashes console passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (shared framework, no extra
/// package): format V3, PBKDF2-HMAC-SHA512 with a per-password salt, 210,000 iterations as OWASP's Password Storage
/// Cheat Sheet recommends for PBKDF2-HMAC-SHA512.
/// </summary>
public sealed class ConsolePasswordHasher
{
    /// <summary>OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA512, 210,000 iterations.</summary>
    internal const int IterationCount = 210_000;

    private const string HashSubject = "console-password";

    private static readonly PasswordHasher<string> Hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = IterationCount,
    }));

    // A hash of a random password, verified when the user does not exist so that the response time does not reveal it.
    private static readonly Lazy<string> UnknownUserHash = new(() =>
        Hasher.HashPassword(HashSubject, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    /// <summary>Hashes a password for storage.</summary>
    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(HashSubject, password);
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/> (fixed-time comparison inside the hasher).</summary>
    public bool Verify(string hash, string password)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return !string.IsNullOrEmpty(password) && Hasher.VerifyHashedPassword(HashSubject, hash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>Spends the time of one verification; used when there is no user, so timing does not enumerate users.</summary>
    public void VerifyNothing(string password) => _ = Hasher.VerifyHashedPassword(HashSubject, UnknownUserHash.Value, password ?? string.Empty);
}
