namespace Portal.Core.Federation.Saml;

/// <summary>
/// One-time use of assertion IDs (SAML Profiles §4.1.4.5, SECURITY-CASES 51). The host backs it with the shared
/// database table (unique index, so two concurrent uses cannot both succeed).
/// </summary>
public interface ISamlReplayCache
{
    /// <summary>Records the key; false when it was already recorded and has not expired.</summary>
    /// <param name="assertionId">The replay key (issuer and assertion ID).</param>
    /// <param name="expiresAt">When the record may be forgotten (assertion NotOnOrAfter plus skew).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<bool> TryUseAsync(string assertionId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>A process-local <see cref="ISamlReplayCache"/> for tests and single-instance development.</summary>
/// <param name="timeProvider">The clock used to purge expired entries.</param>
public sealed class InMemorySamlReplayCache(TimeProvider timeProvider) : ISamlReplayCache
{
    private readonly Dictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public Task<bool> TryUseAsync(string assertionId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _used.Where(e => e.Value <= now).Select(e => e.Key).ToList())
            {
                _used.Remove(stale);
            }

            return Task.FromResult(_used.TryAdd(assertionId, expiresAt));
        }
    }
}
