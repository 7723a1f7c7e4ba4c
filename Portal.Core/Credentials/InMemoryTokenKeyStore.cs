namespace Portal.Core.Credentials;

/// <summary>A thread-safe, process-local <see cref="ITokenKeyStore"/> for tests and single-node development.</summary>
public sealed class InMemoryTokenKeyStore : ITokenKeyStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TokenKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenKeyRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TokenKeyRecord>>([.. _keys.Values]);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryAddAsync(TokenKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            return Task.FromResult(_keys.TryAdd(key.KeyId, key with { WrappedKey = [.. key.WrappedKey] }));
        }
    }

    /// <inheritdoc />
    public Task UpdateRetiredAtAsync(string keyId, DateTimeOffset retiredAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(keyId, out var key))
            {
                _keys[keyId] = key with { RetiredAt = retiredAt };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string keyId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _keys.Remove(keyId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Replaces a stored row as-is, to simulate an altered database row in tests.</summary>
    internal void Overwrite(TokenKeyRecord key)
    {
        lock (_lock)
        {
            _keys[key.KeyId] = key;
        }
    }
}
