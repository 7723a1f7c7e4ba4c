using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;

namespace Portal.Services.Admin;

/// <summary>An audit event as the UI and the exports show it (a projection of the stored row).</summary>
public sealed record AuditEventRow(
    long Id,
    DateTimeOffset Timestamp,
    string Action,
    string Decision,
    string? Reason,
    string? Principal,
    string? CallerAccessKeyId,
    string? Resource,
    string? IssuedAccessKeyId,
    string? SourceIdentity,
    string? SourceIp,
    string? ErrorCode,
    string? RequestId,
    string? Message);

/// <summary>The audit-log filter; null or blank fields mean "any".</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Principal = null,
    string? Action = null,
    string? Decision = null,
    string? AccessKeyId = null);

/// <summary>One page of audit events and the total count matching the filter.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventRow> Items, int TotalCount);

/// <summary>An access key's story: the issuance event, its issued session, and whether it was revoked.</summary>
public sealed record AccessKeyLineage(AuditEventRow? Issuance, LiveSessionRow? Session, bool Revoked, IReadOnlyList<AuditEventRow> Uses);

/// <summary>
/// Read-only queries over the audit log; a context per operation (STYLE I.1). There is no edit or delete (SECURITY-CASES 104h
/// (4)): the table refuses them anyway, and a test keeps this service free of write methods.
/// </summary>
public sealed class AuditQueryService(IDbContextFactory<PortalDbContext> dbFactory, AuditChainVerifier verifier)
{
    /// <summary>Largest page the grid may ask for.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Most events an export writes.</summary>
    public const int MaxExportRows = 100_000;

    /// <summary>Events matching <paramref name="filter"/>, newest first.</summary>
    public async Task<AuditPage> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = Apply(db.AuditEvents.AsNoTracking(), filter);
        var total = await query.CountAsync(ct).ConfigureAwait(false);
        var items = await query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).Select(Projection).ToListAsync(ct).ConfigureAwait(false);
        return new AuditPage(items, total);
    }

    /// <summary>Streams events matching <paramref name="filter"/> oldest first, at most <see cref="MaxExportRows"/>.</summary>
    public async IAsyncEnumerable<AuditEventRow> StreamAsync(AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = Apply(db.AuditEvents.AsNoTracking(), filter).OrderBy(e => e.Id).Take(MaxExportRows).Select(Projection).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>Follows a temporary access key from its issuance to its session and any revocation, plus events that used it.</summary>
    public async Task<AccessKeyLineage?> LineageAsync(string accessKeyId, CancellationToken ct = default)
    {
        var key = accessKeyId?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var issuance = await db.AuditEvents.AsNoTracking().Where(e => e.IssuedAccessKeyId == key).OrderBy(e => e.Id).Select(Projection).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var session = await db.IssuedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.AccessKeyId == key, ct).ConfigureAwait(false);
        var uses = await db.AuditEvents.AsNoTracking().Where(e => e.CallerAccessKeyId == key).OrderBy(e => e.Id).Take(50).Select(Projection).ToListAsync(ct).ConfigureAwait(false);
        if (issuance is null && session is null && uses.Count == 0)
        {
            return null;
        }

        var revoked = false;
        LiveSessionRow? sessionRow = null;
        if (session is not null)
        {
            var entries = await db.Revocations.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
            revoked = SessionsAdminService.IsRevoked(session, entries);
            sessionRow = new LiveSessionRow(session.SessionId, session.AccessKeyId, session.AccountId, session.Action, session.Arn, session.SourcePrincipalArn, session.IssuedTo, session.SourceIdentity, session.IssuedAt, session.ExpiresAt, session.RequestId);
        }

        return new AccessKeyLineage(issuance, sessionRow, revoked, uses);
    }

    /// <summary>Walks the audit log's hash chains and reports the first broken record (SECURITY-CASES 104h (2)).</summary>
    public Task<AuditVerificationResult> VerifyIntegrityAsync(IProgress<AuditVerificationProgress>? progress = null, CancellationToken ct = default) =>
        verifier.VerifyAsync(progress, ct);

    internal static IQueryable<AuditEventEntity> Apply(IQueryable<AuditEventEntity> query, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.From is { } from)
        {
            query = query.Where(e => e.Timestamp >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.Timestamp < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Principal))
        {
            // LINQ keeps the value a parameter (SECURITY-CASES 104f: no SQL built from input).
            var principal = ContainsPattern(filter.Principal);
            query = query.Where(e => e.Principal != null && EF.Functions.Like(e.Principal, principal, LikeEscape));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = ContainsPattern(filter.Action);
            query = query.Where(e => EF.Functions.Like(e.Action, action, LikeEscape));
        }

        if (!string.IsNullOrWhiteSpace(filter.Decision))
        {
            var decision = filter.Decision.Trim();
            query = query.Where(e => e.Decision == decision);
        }

        if (!string.IsNullOrWhiteSpace(filter.AccessKeyId))
        {
            var key = filter.AccessKeyId.Trim();
            query = query.Where(e => e.CallerAccessKeyId == key || e.IssuedAccessKeyId == key);
        }

        return query;
    }

    /// <summary>
    /// A LIKE pattern matching <paramref name="text"/> anywhere, its wildcards escaped. LIKE is case-insensitive for ASCII on
    /// SQLite and case-sensitive on PostgreSQL.
    /// </summary>
    internal static string ContainsPattern(string text) =>
        "%" + text.Trim().Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal) + "%";

    private const string LikeEscape = "\\";

    private static readonly System.Linq.Expressions.Expression<Func<AuditEventEntity, AuditEventRow>> Projection = e => new AuditEventRow(
        e.Id, e.Timestamp, e.Action, e.Decision, e.Reason, e.Principal, e.CallerAccessKeyId, e.Resource, e.IssuedAccessKeyId, e.SourceIdentity, e.SourceIp, e.ErrorCode, e.RequestId, e.Message);
}

/// <summary>
/// Audit values are stored verbatim (they are evidence) but shown with control and bidirectional-override characters made
/// visible, so a name cannot forge a line, colour a terminal or reverse the text around it (SECURITY-CASES 104h (3)).
/// </summary>
public static class AuditText
{
    /// <summary><paramref name="value"/> with CR/LF as <c>\r</c>/<c>\n</c> and other control or bidi characters as <c>\uXXXX</c>.</summary>
    public static string Visible(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\r':
                    text.Append("\\r");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                default:
                    if (char.IsControl(c) || IsInvisibleFormatting(c))
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    // Line/paragraph separators, bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
    private static bool IsInvisibleFormatting(char c) => c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
