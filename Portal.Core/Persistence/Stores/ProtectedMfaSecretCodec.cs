using Portal.Core.Credentials;
using Portal.Core.Mfa;

namespace Portal.Core.Persistence.Stores;

/// <summary>
/// Encrypts TOTP seeds at rest with an <see cref="ISecretProtector"/> (SECURITY-CASES 102e). Give it a protector
/// created for <see cref="Purpose"/>, so a seed ciphertext never opens as, say, a secret access key.
/// </summary>
public sealed class ProtectedMfaSecretCodec : IMfaSecretCodec
{
    /// <summary>The protector purpose for TOTP seeds.</summary>
    public const string Purpose = "portal/mfa-seed/v1";

    private readonly ISecretProtector _protector;

    /// <summary>Creates the codec.</summary>
    public ProtectedMfaSecretCodec(ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        _protector = protector;
    }

    /// <inheritdoc />
    public byte[] Protect(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return _protector.Protect(secret);
    }

    /// <inheritdoc />
    public bool TryUnprotect(byte[] stored, out byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var result = _protector.Unprotect(stored);
        secret = result.Succeeded ? result.Value : [];
        return result.Succeeded;
    }
}
