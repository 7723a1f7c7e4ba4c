using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Audit;

/// <summary>How far a verification has got.</summary>
/// <param name="Checked">Records checked so far.</param>
/// <param name="Total">Records in the log when the verification started.</param>
public sealed record AuditVerificationProgress(long Checked, long Total);

/// <summary>Why a record breaks the chain.</summary>
public enum AuditBreakKind
{
    /// <summary>The stored hash does not match the record's fields and its predecessor's hash: the record was edited.</summary>
    HashMismatch,

    /// <summary>Records before this one in its chain are missing: they were deleted.</summary>
    MissingRecords,

    /// <summary>The record lacks its chain fields although it was written after chaining began.</summary>
    Unchained,
}

/// <summary>The first record at which the chain no longer verifies.</summary>
/// <param name="Id">The record's id (as the audit page and the exports show it).</param>
/// <param name="ChainId">Its chain, if it has one.</param>
/// <param name="Sequence">Its position in the chain, if it has one.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Reason">The same in words, for the administrator.</param>
public sealed record AuditChainBreak(long Id, string? ChainId, long? Sequence, AuditBreakKind Kind, string Reason);

/// <summary>The last record of a chain; writing it down elsewhere lets an operator notice a truncated tail later.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="Sequence">Its last position.</param>
/// <param name="Hash">The hash of that record.</param>
public sealed record AuditChainHead(string ChainId, long Sequence, string Hash);

/// <summary>The outcome of walking the audit log's hash chains.</summary>
/// <param name="RecordsChecked">Chained records whose hash was checked.</param>
/// <param name="UnchainedRecords">Records written before the chain existed (before the AuditIntegrity migration), not verifiable.</param>
/// <param name="Heads">Each chain's last record.</param>
/// <param name="FirstBreak">The broken record with the lowest id, or null when every chain verifies.</param>
/// <param name="BrokenRecords">How many records break a chain (an edit or a deletion each breaks one).</param>
public sealed record AuditVerificationResult(
    long RecordsChecked, long UnchainedRecords, IReadOnlyList<AuditChainHead> Heads, AuditChainBreak? FirstBreak, long BrokenRecords)
{
    /// <summary>True when no record breaks a chain.</summary>
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Walks every hash chain of the audit log (SECURITY-CASES 104h (2)) and reports the first broken record: an edited row fails
/// its own hash; a deleted row leaves a gap in the sequence, reported at the record after it. A deleted tail cannot be seen
/// from the rows that remain, which is why <see cref="AuditVerificationResult.Heads"/> is worth recording elsewhere.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<PortalDbContext> dbFactory)
{
    private const int ProgressEvery = 500;

    /// <summary>Verifies the whole log, reporting progress every few hundred records.</summary>
    public async Task<AuditVerificationResult> VerifyAsync(IProgress<AuditVerificationProgress>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var events = db.AuditEvents.AsNoTracking();
        var total = await events.LongCountAsync(ct).ConfigureAwait(false);
        var firstChained = await events.Where(e => e.ChainId != null).MinAsync(e => (long?)e.Id, ct).ConfigureAwait(false);
        var unchained = await events.LongCountAsync(e => e.ChainId == null, ct).ConfigureAwait(false);

        AuditChainBreak? first = null;
        long brokenCount = 0;
        if (firstChained is { } firstId)
        {
            // Only rows from before the migration may lack chain fields; one written later had them removed.
            var stripped = await events.Where(e => e.ChainId == null && e.Id > firstId).OrderBy(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (stripped is { } id)
            {
                brokenCount = await events.LongCountAsync(e => e.ChainId == null && e.Id > firstId, ct).ConfigureAwait(false);
                first = new AuditChainBreak(id, null, null, AuditBreakKind.Unchained, "The record has no chain fields although it was written after chaining began: its chain fields were removed.");
            }
        }

        var heads = new List<AuditChainHead>();
        var walk = new ChainWalk();
        long done = unchained;
        progress?.Report(new AuditVerificationProgress(done, total));
        var rows = events.Where(e => e.ChainId != null).OrderBy(e => e.ChainId).ThenBy(e => e.Sequence).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct).ConfigureAwait(false))
        {
            if (walk.Check(row) is { } broken)
            {
                brokenCount++;
                if (first is null || broken.Id < first.Id)
                {
                    first = broken;
                }
            }

            if (walk.CompletedHead is { } head)
            {
                heads.Add(head);
            }

            if (++done % ProgressEvery == 0)
            {
                progress?.Report(new AuditVerificationProgress(done, total));
            }
        }

        if (walk.Head is { } last)
        {
            heads.Add(last);
        }

        progress?.Report(new AuditVerificationProgress(done, total));
        return new AuditVerificationResult(done - unchained, unchained, heads, first, brokenCount);
    }

    /// <summary>The state of the walk through rows ordered by chain, then sequence.</summary>
    private sealed class ChainWalk
    {
        private string? _chain;
        private long _sequence;
        private string _hash = AuditChain.GenesisHash;

        /// <summary>The head of the chain being walked.</summary>
        public AuditChainHead? Head { get; private set; }

        /// <summary>Set when the last row started a new chain: the previous chain's head.</summary>
        public AuditChainHead? CompletedHead { get; private set; }

        public AuditChainBreak? Check(AuditEventEntity row)
        {
            CompletedHead = null;
            if (!string.Equals(row.ChainId, _chain, StringComparison.Ordinal))
            {
                CompletedHead = Head;
                Head = null;
                _chain = row.ChainId;
                _sequence = 0;
                _hash = AuditChain.GenesisHash;
            }

            if (row.Sequence is not { } sequence || row.Hash is null)
            {
                return new AuditChainBreak(row.Id, row.ChainId, row.Sequence, AuditBreakKind.Unchained, "The record is missing its sequence number or hash.");
            }

            AuditChainBreak? broken = null;
            if (sequence != _sequence + 1)
            {
                var missing = sequence == _sequence + 2
                    ? string.Create(CultureInfo.InvariantCulture, $"record {_sequence + 1} is")
                    : string.Create(CultureInfo.InvariantCulture, $"records {_sequence + 1} to {sequence - 1} are");
                broken = new AuditChainBreak(row.Id, row.ChainId, sequence, AuditBreakKind.MissingRecords, $"The chain's {missing} missing before this record (deleted).");
            }
            else if (!string.Equals(AuditChain.ComputeHash(_hash, row), row.Hash, StringComparison.Ordinal))
            {
                broken = new AuditChainBreak(row.Id, row.ChainId, sequence, AuditBreakKind.HashMismatch, "The stored hash does not match this record's fields and the previous record's hash: the record was edited.");
            }

            // Carry on from the stored values, so one edited record is reported once rather than breaking every later record.
            _sequence = sequence;
            _hash = IsHex(row.Hash) ? row.Hash : AuditChain.GenesisHash;
            Head = new AuditChainHead(row.ChainId!, sequence, row.Hash);
            return broken;
        }

        private static bool IsHex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);
    }
}
