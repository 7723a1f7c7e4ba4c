using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;

namespace Portal.Services.Admin;

/// <summary>A live issued session (metadata only: never the secret or token).</summary>
public sealed record LiveSessionRow(
    string SessionId,
    string AccessKeyId,
    string AccountId,
    string Action,
    string Arn,
    string SourcePrincipalArn,
    string? IssuedTo,
    string? SourceIdentity,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string? RequestId);

/// <summary>Filters of the live-session list; null or blank means "any". Matching is a case-insensitive substring.</summary>
public sealed record LiveSessionFilter(string? Principal = null, string? Role = null, string? AccountId = null);

/// <summary>
/// Lists live sessions (not expired, not revoked) and revokes them through <see cref="RevocationList"/>. Every revocation is
/// audited before it is reported done (STS-SPEC parity N.3: a role revocation affects sessions issued before the click only).
/// </summary>
public sealed class SessionsAdminService(
    IDbContextFactory<PortalDbContext> dbFactory,
    RevocationList revocations,
    IAuditSink audit,
    TimeProvider time)
{
    /// <summary>Upper bound of one listing; the page asks the administrator to narrow the filter beyond it.</summary>
    public const int MaxRows = 500;

    /// <summary>Live sessions matching <paramref name="filter"/>, newest first, at most <see cref="MaxRows"/>.</summary>
    public async Task<IReadOnlyList<LiveSessionRow>> ListLiveAsync(LiveSessionFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.IssuedSessions.AsNoTracking().Where(s => s.ExpiresAt > now);
        if (!string.IsNullOrWhiteSpace(filter.AccountId))
        {
            var account = filter.AccountId.Trim();
            query = query.Where(s => s.AccountId == account);
        }

        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            var role = AuditQueryService.ContainsPattern(filter.Role);
            query = query.Where(s => EF.Functions.Like(s.SourcePrincipalArn, role, "\\"));
        }

        if (!string.IsNullOrWhiteSpace(filter.Principal))
        {
            var principal = AuditQueryService.ContainsPattern(filter.Principal);
            query = query.Where(s => (s.IssuedTo != null && EF.Functions.Like(s.IssuedTo, principal, "\\")) || EF.Functions.Like(s.Arn, principal, "\\"));
        }

        var sessions = await query.OrderByDescending(s => s.IssuedAt).Take(MaxRows * 2).ToListAsync(ct).ConfigureAwait(false);
        var active = await db.Revocations.AsNoTracking().Where(r => r.ExpiresAt > now).ToListAsync(ct).ConfigureAwait(false);
        return sessions.Where(s => !IsRevoked(s, active)).Take(MaxRows).Select(ToRow).ToList();
    }

    /// <summary>Revokes one session.</summary>
    public async Task<bool> RevokeSessionAsync(string actor, string sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var session = await db.IssuedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.SessionId == sessionId, ct).ConfigureAwait(false);
        if (session is null)
        {
            return false;
        }

        await revocations.RevokeSessionAsync(session.SessionId, session.ExpiresAt, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:RevokeSession", session.SessionId, $"Revoked session {session.Arn} ({session.AccessKeyId}).", ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Revokes every live session obtained by <paramref name="issuedTo"/> (the person or caller the session was issued to),
    /// one by one: the revocation list matches principals by the session's own ARNs, not by who obtained it. Returns how many.
    /// </summary>
    public async Task<int> RevokePersonAsync(string actor, string issuedTo, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuedTo);
        var now = time.GetUtcNow();
        List<IssuedSessionEntity> sessions;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            sessions = await db.IssuedSessions.AsNoTracking()
                .Where(s => s.ExpiresAt > now && s.IssuedTo == issuedTo)
                .ToListAsync(ct)
                .ConfigureAwait(false);
        }

        foreach (var session in sessions)
        {
            await revocations.RevokeSessionAsync(session.SessionId, session.ExpiresAt, ct).ConfigureAwait(false);
        }

        await AuditAsync(actor, "admin:RevokePersonSessions", issuedTo, $"Revoked {sessions.Count} live session(s) issued to {issuedTo}.", ct).ConfigureAwait(false);
        return sessions.Count;
    }

    /// <summary>Revokes every session of the role issued before now (AWS "Revoke active sessions"); later ones stay valid.</summary>
    public async Task<DateTimeOffset> RevokeRoleAsync(string actor, string roleArn, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleArn);
        var cutoff = time.GetUtcNow();
        await revocations.RevokeRoleSessionsIssuedBeforeAsync(roleArn, cutoff, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:RevokeRoleSessions", roleArn, $"Revoked sessions of {roleArn} issued before {cutoff:O}.", ct).ConfigureAwait(false);
        return cutoff;
    }

    /// <summary>The same matching as <see cref="RevocationList.IsRevoked"/>, over stored entries (ARNs case-insensitive).</summary>
    internal static bool IsRevoked(IssuedSessionEntity session, IReadOnlyList<RevocationEntity> entries)
    {
        foreach (var entry in entries)
        {
            var cutoff = entry.IssuedBefore ?? entry.CreatedAt;
            var revoked = entry.Kind switch
            {
                RevocationKind.Session => string.Equals(entry.Target, session.SessionId, StringComparison.Ordinal),
                RevocationKind.Principal => (string.Equals(entry.Target, session.Arn, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(entry.Target, session.SourcePrincipalArn, StringComparison.OrdinalIgnoreCase)) && session.IssuedAt <= cutoff,
                RevocationKind.RoleIssuedBefore => string.Equals(entry.Target, session.SourcePrincipalArn, StringComparison.OrdinalIgnoreCase) && session.IssuedAt < cutoff,
                _ => false,
            };
            if (revoked)
            {
                return true;
            }
        }

        return false;
    }

    private static LiveSessionRow ToRow(IssuedSessionEntity s) =>
        new(s.SessionId, s.AccessKeyId, s.AccountId, s.Action, s.Arn, s.SourcePrincipalArn, s.IssuedTo, s.SourceIdentity, s.IssuedAt, s.ExpiresAt, s.RequestId);

    private Task AuditAsync(string actor, string action, string resource, string message, CancellationToken ct) =>
        audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = time.GetUtcNow(),
                Action = action,
                Decision = AuditDecision.Allow,
                Principal = actor,
                Resource = resource,
                Message = message,
            },
            ct);
}
