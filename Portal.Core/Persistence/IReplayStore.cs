namespace Portal.Core.Persistence;

/// <summary>
/// One-time-use markers shared by every node (SAML assertion ids, console sign-in tokens): the database's primary key
/// decides which of two concurrent uses wins, so a replay is refused even when it reaches a different node.
/// </summary>
public interface IReplayStore
{
    /// <summary>
    /// Records <paramref name="key"/> as used until <paramref name="expiresAt"/>; false when it was already recorded
    /// (the caller must reject the replay).
    /// </summary>
    Task<bool> TryMarkUsedAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes markers whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
