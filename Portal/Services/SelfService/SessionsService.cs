using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Persistence;

namespace Portal.Services.SelfService;

/// <summary>One of my live sessions (no secrets: the issued-sessions table holds none).</summary>
/// <param name="SessionId">The session id (the revocation target).</param>
/// <param name="AccessKeyId">The temporary access key id.</param>
/// <param name="Arn">The assumed-role ARN.</param>
/// <param name="RoleArn">The role.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record MySession(string SessionId, string AccessKeyId, string Arn, string RoleArn, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>"My sessions": the live sessions the signed-in person obtained (IssuedTo = the person), and revoking one.</summary>
public sealed class SessionsService
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly PortalPersonResolver _people;
    private readonly RevocationList _revocations;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public SessionsService(IDbContextFactory<PortalDbContext> dbFactory, PortalPersonResolver people, RevocationList revocations, TimeProvider time)
    {
        _dbFactory = dbFactory;
        _people = people;
        _revocations = revocations;
        _time = time;
    }

    /// <summary>The person's unexpired, unrevoked sessions, newest first.</summary>
    public async Task<IReadOnlyList<MySession>> ListMineAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.IssuedSessions.AsNoTracking()
            .Where(s => s.IssuedTo == person.IssuedTo)
            .Select(s => new MySession(s.SessionId, s.AccessKeyId, s.Arn, s.SourcePrincipalArn, s.IssuedAt, s.ExpiresAt))
            .ToListAsync(ct).ConfigureAwait(false);

        // Filtered in memory: DateTimeOffset comparisons do not translate on SQLite.
        await _revocations.EnsureFreshAsync(ct).ConfigureAwait(false);
        return rows.Where(s => s.ExpiresAt > now && !_revocations.IsRevoked(ClaimsOf(s))).OrderByDescending(s => s.IssuedAt).ToList();
    }

    /// <summary>Revokes one of the person's live sessions; false when it is not theirs, unknown or already over.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal principal, string sessionId, CancellationToken ct = default)
    {
        var mine = await ListMineAsync(principal, ct).ConfigureAwait(false);
        if (mine.FirstOrDefault(s => string.Equals(s.SessionId, sessionId, StringComparison.Ordinal)) is not { } session)
        {
            return false;
        }

        await _revocations.RevokeSessionAsync(session.SessionId, session.ExpiresAt, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The fields the revocation list matches on (one rule: <see cref="RevocationList.IsRevoked"/>).</summary>
    private static SessionClaims ClaimsOf(MySession s) => new()
    {
        SessionId = s.SessionId,
        AccessKeyId = s.AccessKeyId,
        SecretAccessKey = string.Empty,
        Kind = SessionKind.AssumedRole,
        AccountId = string.Empty,
        Arn = s.Arn,
        PrincipalId = string.Empty,
        SourcePrincipalArn = s.RoleArn,
        SourcePrincipalId = string.Empty,
        IssuedAt = s.IssuedAt,
        ExpiresAt = s.ExpiresAt,
    };
}
