using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Services.Admin;

/// <summary>Issuances and denials in one hour.</summary>
public sealed record HourlyCount(DateTimeOffset HourStart, int Issued, int Denied);

/// <summary>A user without an enabled MFA device.</summary>
public sealed record UserWithoutMfa(string AccountId, string Name, string Arn);

/// <summary>The administrators' dashboard figures.</summary>
public sealed record DashboardSummary(
    IReadOnlyList<HourlyCount> LastDay,
    int Accounts,
    int Users,
    int Roles,
    int LiveSessions,
    IReadOnlyList<UserWithoutMfa> UsersWithoutMfa);

/// <summary>Counts for the dashboard, from one short-lived context.</summary>
public sealed class DashboardService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Builds the summary for the 24 hours before now (hour buckets, oldest first).</summary>
    public async Task<DashboardSummary> GetAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        var start = end.AddHours(-24);
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Timestamp >= start && e.Timestamp < end && (e.IssuedAccessKeyId != null || e.Decision == "Deny"))
            .Select(e => new { e.Timestamp, Issued = e.IssuedAccessKeyId != null && e.Decision == "Allow", Denied = e.Decision == "Deny" })
            .ToListAsync(ct)
            .ConfigureAwait(false);
        var hours = Enumerable.Range(0, 24).Select(i =>
        {
            var hourStart = start.AddHours(i);
            var inHour = events.Where(e => e.Timestamp >= hourStart && e.Timestamp < hourStart.AddHours(1)).ToList();
            return new HourlyCount(hourStart, inHour.Count(e => e.Issued), inHour.Count(e => e.Denied));
        }).ToList();

        var withoutMfa = await db.Users.AsNoTracking()
            .Where(u => !db.MfaDevices.Any(d => d.UserId == u.Id && d.IsEnabled))
            .OrderBy(u => u.AccountId).ThenBy(u => u.Name)
            .Take(100)
            .Select(u => new UserWithoutMfa(u.AccountId, u.Name, u.Arn))
            .ToListAsync(ct)
            .ConfigureAwait(false);

        return new DashboardSummary(
            hours,
            await db.Accounts.CountAsync(ct).ConfigureAwait(false),
            await db.Users.CountAsync(ct).ConfigureAwait(false),
            await db.Roles.CountAsync(ct).ConfigureAwait(false),
            await db.IssuedSessions.CountAsync(s => s.ExpiresAt > now, ct).ConfigureAwait(false),
            withoutMfa);
    }
}
