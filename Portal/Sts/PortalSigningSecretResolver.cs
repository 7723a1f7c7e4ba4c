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
    // Note: long-term keys are looked up on every signed request; a short cache saves two database reads and a
    // decryption per request. A deactivated or deleted key stops working at once on this node (the directory's Changed
    // event clears the cache) and within this lifetime on other nodes.
    private static readonly TimeSpan LongTermCacheLifetime = TimeSpan.FromSeconds(2);
    private const int MaxCachedKeys = 10_000;

    private readonly IamDirectory _directory;
    private readonly SessionCredentialVerifier _sessions;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (SigningSecretResolution Resolution, long Stamp)> _longTerm = new(StringComparer.Ordinal);

    /// <summary>Creates the resolver.</summary>
    public PortalSigningSecretResolver(IamDirectory directory, SessionCredentialVerifier sessions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = directory;
        _sessions = sessions;
        _time = time;
        directory.Changed += _longTerm.Clear;
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

        var now = _time.GetTimestamp();
        if (_longTerm.TryGetValue(accessKeyId, out var cached) && _time.GetElapsedTime(cached.Stamp, now) < LongTermCacheLifetime)
        {
            return cached.Resolution;
        }

        var resolution = await ResolveLongTermAsync(accessKeyId, cancellationToken).ConfigureAwait(false);
        if (_longTerm.Count >= MaxCachedKeys)
        {
            _longTerm.Clear();
        }

        _longTerm[accessKeyId] = (resolution, now);
        return resolution;
    }

    private async Task<SigningSecretResolution> ResolveLongTermAsync(string accessKeyId, CancellationToken cancellationToken)
    {
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
