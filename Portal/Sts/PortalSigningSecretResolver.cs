using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Signing;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// Finds the secret behind an access key id: long-term keys (AKIA) in the directory, temporary keys (ASIA) inside their
/// sealed session token (verified statelessly, then checked against revocation). The principal state is the engine's
/// <see cref="Caller"/>.
/// </summary>
public sealed class PortalSigningSecretResolver : ISigningSecretResolver
{
    private readonly IamDirectory _directory;
    private readonly SessionCredentialVerifier _sessions;

    /// <summary>Creates the resolver.</summary>
    public PortalSigningSecretResolver(IamDirectory directory, SessionCredentialVerifier sessions)
    {
        _directory = directory;
        _sessions = sessions;
    }

    /// <inheritdoc />
    public async ValueTask<SigningSecretResolution> ResolveAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        if (accessKeyId.StartsWith(IdPrefixes.TemporaryAccessKey, StringComparison.Ordinal))
        {
            if (sessionToken is null)
            {
                return SigningSecretResolution.Unknown;
            }

            var verified = await _sessions.VerifyAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false);
            return verified.Status switch
            {
                SessionVerificationStatus.Valid => SigningSecretResolution.Found(verified.Claims!.SecretAccessKey, Caller.ForSession(verified.Claims)),
                SessionVerificationStatus.Expired => SigningSecretResolution.Expired(verified.Claims?.SecretAccessKey),
                // Signature first, then a clear AccessDenied: a revoked session is an explicit deny (SECURITY-CASES 93a).
                SessionVerificationStatus.Revoked => SigningSecretResolution.Found(verified.Claims!.SecretAccessKey, new RevokedSession(verified.Claims)),
                _ => SigningSecretResolution.Unknown,
            };
        }

        if (sessionToken is not null)
        {
            // A session token presented with a long-term key does not belong to it (SECURITY-CASES 89d).
            return SigningSecretResolution.Unknown;
        }

        var key = await _directory.ResolveAccessKeyAsync(accessKeyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return SigningSecretResolution.Unknown;
        }

        if (!key.IsActive)
        {
            return SigningSecretResolution.Inactive;
        }

        if (key.UserId is null)
        {
            return SigningSecretResolution.Found(key.SecretAccessKey, Caller.ForRoot(key.AccountId, key.AccessKeyId));
        }

        var user = await _directory.FindUserByIdAsync(key.UserId, cancellationToken).ConfigureAwait(false);
        return user is null
            ? SigningSecretResolution.Unknown
            : SigningSecretResolution.Found(key.SecretAccessKey, Caller.ForUser(user, key.AccessKeyId));
    }
}

/// <summary>The principal state of a correctly signed request whose session has been revoked.</summary>
/// <param name="Claims">The revoked session.</param>
public sealed record RevokedSession(SessionClaims Claims);
