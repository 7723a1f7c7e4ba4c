using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Services;

/// <summary>A summary of the installation for the home and status pages.</summary>
/// <param name="Provider">The storage provider.</param>
/// <param name="Accounts">Number of accounts.</param>
/// <param name="Roles">Number of roles.</param>
/// <param name="Users">Number of IAM users.</param>
public sealed record PortalStatus(string Provider, int Accounts, int Roles, int Users);

/// <summary>Reads the installation summary (one unit of work per call; components never touch a DbContext).</summary>
public sealed class PortalStatusService(PortalDbContextFactory dbFactory)
{
    /// <summary>Counts accounts, roles and users.</summary>
    public async Task<PortalStatus> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateDbContext();
        return new PortalStatus(
            dbFactory.Provider.ToString(),
            await db.Accounts.CountAsync(ct).ConfigureAwait(false),
            await db.Roles.CountAsync(ct).ConfigureAwait(false),
            await db.Users.CountAsync(ct).ConfigureAwait(false));
    }
}
