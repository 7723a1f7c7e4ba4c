using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Portal.Core.Persistence;

namespace Portal.Tests.Core.Federation.Console;

/// <summary>An <see cref="IReplayStore"/> with the same first-writer-wins contract as the database one.</summary>
internal sealed class InMemoryReplayStore : IReplayStore
{
    public ConcurrentDictionary<string, DateTimeOffset> Entries { get; } = new(StringComparer.Ordinal);

    public Task<bool> TryMarkUsedAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(Entries.TryAdd(key, expiresAt));

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Task.FromResult(Entries.Where(e => e.Value <= now).Count(e => Entries.TryRemove(e.Key, out _)));
}

/// <summary>Collects every formatted log message so tests can assert what never reaches a log.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Messages.Enqueue(formatter(state, exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (_, value) in values)
            {
                Messages.Enqueue(value?.ToString() ?? string.Empty);
            }
        }
    }
}
