using System.Security.Claims;
using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Services.SelfService;

/// <summary>One role in "My roles".</summary>
/// <param name="Arn">The role ARN.</param>
/// <param name="Name">The role name.</param>
/// <param name="AccountId">The role's account.</param>
/// <param name="Description">The role's description.</param>
/// <param name="MaxSessionDuration">The longest session the role allows, in seconds.</param>
/// <param name="RequiresMfa">The trust policy admits the person only with MFA.</param>
/// <param name="NeedsSetSourceIdentity">Issuance is blocked until the trust policy allows sts:SetSourceIdentity.</param>
public sealed record MyRole(string Arn, string Name, string AccountId, string? Description, int MaxSessionDuration, bool RequiresMfa, bool NeedsSetSourceIdentity);

/// <summary>The roles of one account.</summary>
/// <param name="AccountId">The account id.</param>
/// <param name="Alias">The account alias, if any.</param>
/// <param name="Roles">The roles, by name.</param>
public sealed record MyAccountRoles(string AccountId, string? Alias, IReadOnlyList<MyRole> Roles);

/// <summary>"My roles": the roles whose trust policies admit the signed-in person, grouped by account.</summary>
public sealed class RoleCatalogService
{
    /// <summary>The shortest session the portal issues (STS-SPEC §1.0.3).</summary>
    public const int MinDurationSeconds = 900;

    private readonly StsEngine _engine;
    private readonly IamDirectory _directory;
    private readonly PortalPersonResolver _people;

    /// <summary>Creates the service.</summary>
    public RoleCatalogService(StsEngine engine, IamDirectory directory, PortalPersonResolver people)
    {
        _engine = engine;
        _directory = directory;
        _people = people;
    }

    /// <summary>The person's roles grouped by account (accounts by id, roles by name); empty for an unknown person.</summary>
    public async Task<IReadOnlyList<MyAccountRoles>> GetMyRolesAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return [];
        }

        var info = new RequestInfo { UserAgent = "portal" };
        var access = person switch
        {
            FederatedPerson f => await _engine.FederatedRoleAccessAsync(f.Action, f.Subject, info, ct).ConfigureAwait(false),
            LocalPerson l => await _engine.UserRoleAccessAsync(l.Caller, l.SessionName, info, ct).ConfigureAwait(false),
            _ => [],
        };
        var aliases = (await _directory.ListAccountsAsync(ct).ConfigureAwait(false)).ToDictionary(a => a.Id, a => a.Alias, StringComparer.Ordinal);
        return access
            .Select(a => new MyRole(a.Role.Arn, a.Role.Name, a.Role.AccountId, a.Role.Description, a.Role.MaxSessionDuration, a.RequiresMfa, a.NeedsSetSourceIdentity))
            .GroupBy(r => r.AccountId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MyAccountRoles(g.Key, aliases.GetValueOrDefault(g.Key), g.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList()))
            .ToList();
    }

    /// <summary>
    /// The accounts and roles matching <paramref name="query"/> (case-insensitive, in the role name, ARN, description,
    /// account id or alias); accounts without a match are dropped.
    /// </summary>
    public static IReadOnlyList<MyAccountRoles> Search(IReadOnlyList<MyAccountRoles> accounts, string? query)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (string.IsNullOrWhiteSpace(query))
        {
            return accounts;
        }

        var q = query.Trim();
        bool Has(string? s) => s is not null && s.Contains(q, StringComparison.OrdinalIgnoreCase);
        return accounts
            .Select(a => Has(a.AccountId) || Has(a.Alias) ? a : a with { Roles = a.Roles.Where(r => Has(r.Name) || Has(r.Arn) || Has(r.Description)).ToList() })
            .Where(a => a.Roles.Count > 0)
            .ToList();
    }
}
