namespace Portal.Core.Mfa;

/// <summary>
/// Encrypts TOTP seeds at rest (SECURITY-CASES case 102e: the stored secret is never Base32 plaintext).
/// The production implementation wraps Data Protection; it lives outside Portal.Core/Mfa.
/// </summary>
public interface IMfaSecretCodec
{
    /// <summary>Returns the protected form of <paramref name="secret"/> to store.</summary>
    byte[] Protect(byte[] secret);

    /// <summary>Recovers the secret from its stored form; false when the payload cannot be unprotected.</summary>
    bool TryUnprotect(byte[] stored, out byte[] secret);
}
