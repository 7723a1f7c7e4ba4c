namespace Portal.Core.Credentials;

/// <summary>A thread-safe, process-local <see cref="IRevocationStore"/> for tests and single-node development.</summary>
public sealed class InMemoryRevocationStore : IRevocationStore
{
    private readonly Lock _lock = new();
    private readonly List<RevocationEntry> _entries = [];

    /// <summary>How many times <see cref="ListActiveAsync"/> was called (lets tests observe refreshes).</summary>
    internal int ListCount { get; private set; }

    /// <inheritdoc />
    public Task AddAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RevocationEntry>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ListCount++;
            return Task.FromResult<IReadOnlyList<RevocationEntry>>([.. _entries.Where(e => e.ExpiresAt > now)]);
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.RemoveAll(e => e.ExpiresAt <= now));
        }
    }
}
