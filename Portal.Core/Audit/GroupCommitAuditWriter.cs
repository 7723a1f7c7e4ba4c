using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Configurations;
using Portal.Core.Persistence.Entities;
using Portal.Core.Persistence.Stores;

namespace Portal.Core.Audit;

/// <summary>
/// Batches concurrent audit events into one transaction ("group commit"), so that waiting for durability costs one
/// commit per batch rather than one per request. Each caller's task completes when its batch has committed.
/// It is the only writer of the audit log, and it chains every row to the previous one of its node's chain
/// (<see cref="AuditOptions.ChainId"/>; SECURITY-CASES 104h (2)). The chain head is read from the database before the first
/// batch (so restarts continue the chain) and again whenever an append loses the unique (chain, sequence) race to another
/// node configured with the same chain id.
/// </summary>
public sealed partial class GroupCommitAuditWriter : IAuditSink, IAsyncDisposable
{
    private const int MaxBatch = 512;

    // Each retry follows another writer's successful append to the same chain, so a handful is plenty.
    private const int MaxChainRetries = 8;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly ILogger<GroupCommitAuditWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly string _chainId;
    private (long Sequence, string Hash)? _head;

    /// <summary>Starts the writer loop on the default chain (named after the machine).</summary>
    public GroupCommitAuditWriter(IDbContextFactory<PortalDbContext> dbFactory, ILogger<GroupCommitAuditWriter> logger)
        : this(dbFactory, logger, Options.Create(new AuditOptions()))
    {
    }

    /// <summary>Starts the writer loop on the configured chain.</summary>
    public GroupCommitAuditWriter(IDbContextFactory<PortalDbContext> dbFactory, ILogger<GroupCommitAuditWriter> logger, IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dbFactory = dbFactory;
        _logger = logger;
        _chainId = ResolveChainId(options.Value.ChainId);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The chain this writer appends to.</summary>
    public string ChainId => _chainId;

    /// <summary>Number of transactions committed so far (for tests and diagnostics).</summary>
    public long BatchesCommitted => Interlocked.Read(ref _batches);

    private long _batches;

    /// <inheritdoc />
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The audit writer is shut down.");
        }

        // Note: cancellation stops the caller waiting, not the commit: an event that was queued is still written.
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
                Interlocked.Increment(ref _batches);
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }
            }
#pragma warning disable CA1031 // Every failure must reach the waiting callers, whatever its type.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCommitFailed(_logger, ex, batch.Count);
                foreach (var p in batch)
                {
                    p.Done.TrySetException(new AuditCommitException("The audit event could not be committed.", ex));
                }
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TryCommitAsync(batch).ConfigureAwait(false);
                return;
            }
            catch (DbUpdateException ex) when (UniqueViolation.Matches(ex) && attempt < MaxChainRetries)
            {
                // Another node appended to the same chain since we read its head: re-read it and chain after that row.
                _head = null;
            }
            catch
            {
                // The head may have moved or the commit may be in doubt; never reuse a cached head after a failure.
                _head = null;
                throw;
            }
        }
    }

    private async Task TryCommitAsync(List<Pending> batch)
    {
        await using var db = _dbFactory.CreateDbContext();
        var (sequence, previous) = _head ??= await ReadHeadAsync(db).ConfigureAwait(false);
        foreach (var p in batch)
        {
            var r = p.Record;
            var row = new AuditEventEntity
            {
                Timestamp = AuditChain.Normalize(r.Timestamp),
                RequestId = r.RequestId,
                Action = r.Action,
                Decision = r.Decision.ToString(),
                Reason = r.Reason,
                Principal = r.Principal,
                CallerAccessKeyId = r.CallerAccessKeyId,
                Resource = r.Resource,
                DecidingStatement = Truncate(r.DecidingStatement, 2048),
                IssuedAccessKeyId = r.IssuedAccessKeyId,
                SourceIdentity = r.SourceIdentity,
                SourceIp = r.SourceIp,
                UserAgent = Truncate(r.UserAgent, 512),
                ErrorCode = r.ErrorCode,
                Message = Truncate(r.Message, 4096),
                Before = Truncate(r.Before, AuditEventMaxLengths.BeforeAfter),
                After = Truncate(r.After, AuditEventMaxLengths.BeforeAfter),
                ChainId = _chainId,
                Sequence = ++sequence,
            };
            row.Hash = previous = AuditChain.ComputeHash(previous, row);
            db.AuditEvents.Add(row);
            if (r.IssuedSession is { } s)
            {
                db.IssuedSessions.Add(new IssuedSessionEntity
                {
                    SessionId = s.SessionId,
                    AccessKeyId = s.AccessKeyId,
                    AccountId = s.AccountId,
                    Action = s.Action,
                    Arn = s.Arn,
                    SourcePrincipalArn = s.SourcePrincipalArn,
                    IssuedTo = s.IssuedTo,
                    SourceIdentity = s.SourceIdentity,
                    IssuedAt = s.IssuedAt,
                    ExpiresAt = s.ExpiresAt,
                    RequestId = s.RequestId,
                });
            }
        }

        await db.SaveChangesAsync().ConfigureAwait(false);
        _head = (sequence, previous);
    }

    private async Task<(long Sequence, string Hash)> ReadHeadAsync(PortalDbContext db)
    {
        var last = await db.AuditEvents.AsNoTracking()
            .Where(e => e.ChainId == _chainId && e.Sequence != null)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync()
            .ConfigureAwait(false);
        return last is { Sequence: { } seq, Hash: { } hash } ? (seq, hash) : (0, AuditChain.GenesisHash);
    }

    private static string ResolveChainId(string? configured)
    {
        var id = string.IsNullOrWhiteSpace(configured) ? Environment.MachineName : configured.Trim();
        return id.Length <= AuditChain.MaxChainIdLength ? id : id[..AuditChain.MaxChainIdLength];
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Committing a batch of {Count} audit events failed.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(AuditRecord Record, TaskCompletionSource Done);
}

/// <summary>Raised to the issuer when its audit event could not be committed.</summary>
public sealed class AuditCommitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditCommitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuditCommitException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AuditCommitException(string message)
        : base(message)
    {
    }
}
