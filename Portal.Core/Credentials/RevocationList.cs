using Microsoft.Extensions.Options;

namespace Portal.Core.Credentials;

/// <summary>
/// Revoked sessions, checked on every verify (SECURITY-CASES 93a). Keeps an in-memory snapshot of the store that is
/// reloaded lazily when older than <see cref="RevocationListOptions.RefreshInterval"/> (no timers) and right after a
/// local revoke, so a revocation takes effect here immediately and on other nodes within one interval.
/// </summary>
public sealed class RevocationList : IDisposable
{
    private readonly IRevocationStore _store;
    private readonly TimeProvider _time;
    private readonly RevocationListOptions _options;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _lastRefreshTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Creates a list over <paramref name="store"/>.</summary>
    public RevocationList(IRevocationStore store, TimeProvider time, IOptions<RevocationListOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _options = options.Value;
    }

    /// <summary>Revokes one session; the entry lives until the session would have expired.</summary>
    public Task RevokeSessionAsync(string sessionId, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var now = _time.GetUtcNow();
        return AddAsync(new RevocationEntry(RevocationKind.Session, sessionId, null, now, Max(sessionExpiresAt, now)), cancellationToken);
    }

    /// <summary>
    /// Revokes every session issued until now whose caller ARN or source principal ARN is <paramref name="principalArn"/>.
    /// Sessions issued later are not affected (block new issuance where the principal is managed).
    /// </summary>
    public Task RevokePrincipalAsync(string principalArn, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalArn);
        var now = _time.GetUtcNow();
        return AddAsync(new RevocationEntry(RevocationKind.Principal, principalArn, now, now, now + _options.MaxTokenLifetime), cancellationToken);
    }

    /// <summary>Revokes every session of the role <paramref name="roleArn"/> issued strictly before <paramref name="issuedBefore"/>.</summary>
    public Task RevokeRoleSessionsIssuedBeforeAsync(string roleArn, DateTimeOffset issuedBefore, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleArn);
        var now = _time.GetUtcNow();
        var expiresAt = Max(issuedBefore + _options.MaxTokenLifetime, now);
        return AddAsync(new RevocationEntry(RevocationKind.RoleIssuedBefore, roleArn, issuedBefore, now, expiresAt), cancellationToken);
    }

    /// <summary>Reloads the snapshot if it is older than the refresh interval.</summary>
    public async Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        if (!IsStale())
        {
            return;
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsStale())
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Reloads the snapshot now.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Deletes expired entries from the store; returns how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        _store.PurgeExpiredAsync(_time.GetUtcNow(), cancellationToken);

    /// <summary>True when the current snapshot revokes <paramref name="claims"/>; call <see cref="EnsureFreshAsync"/> first.</summary>
    /// <exception cref="InvalidOperationException">The list was never loaded (checking an empty list would fail open).</exception>
    public bool IsRevoked(SessionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var snapshot = _snapshot;
        if (ReferenceEquals(snapshot, Snapshot.Empty))
        {
            throw new InvalidOperationException("The revocation list was never loaded; call EnsureFreshAsync or RefreshAsync before IsRevoked.");
        }

        return snapshot.Sessions.Contains(claims.SessionId)
            || (snapshot.PrincipalCutoffs.TryGetValue(claims.Arn, out var byArn) && claims.IssuedAt <= byArn)
            || (snapshot.PrincipalCutoffs.TryGetValue(claims.SourcePrincipalArn, out var bySource) && claims.IssuedAt <= bySource)
            || (snapshot.RoleCutoffs.TryGetValue(claims.SourcePrincipalArn, out var roleCutoff) && claims.IssuedAt < roleCutoff);
    }

    /// <inheritdoc />
    public void Dispose() => _refreshGate.Dispose();

    private bool IsStale() => _time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastRefreshTicks) >= _options.RefreshInterval.Ticks;

    private async Task AddAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        await _store.AddAsync(entry, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var entries = await _store.ListActiveAsync(now, cancellationToken).ConfigureAwait(false);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        var principals = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        var roles = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            switch (entry.Kind)
            {
                case RevocationKind.Session:
                    sessions.Add(entry.Target);
                    break;
                case RevocationKind.Principal:
                    KeepLatest(principals, entry.Target, entry.IssuedBefore ?? entry.CreatedAt);
                    break;
                case RevocationKind.RoleIssuedBefore:
                    KeepLatest(roles, entry.Target, entry.IssuedBefore ?? entry.CreatedAt);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown revocation kind {entry.Kind}.");
            }
        }

        _snapshot = new Snapshot(sessions, principals, roles);
        Volatile.Write(ref _lastRefreshTicks, now.UtcTicks);
    }

    private static void KeepLatest(Dictionary<string, DateTimeOffset> cutoffs, string target, DateTimeOffset cutoff)
    {
        if (!cutoffs.TryGetValue(target, out var existing) || cutoff > existing)
        {
            cutoffs[target] = cutoff;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed record Snapshot(
        HashSet<string> Sessions,
        Dictionary<string, DateTimeOffset> PrincipalCutoffs,
        Dictionary<string, DateTimeOffset> RoleCutoffs)
    {
        public static readonly Snapshot Empty = new([], [], []);
    }
}
