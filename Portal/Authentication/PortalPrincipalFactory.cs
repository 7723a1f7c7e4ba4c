using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Authentication;

/// <summary>Who administers the portal besides IAM users allowed <c>portal:Administer</c> (section <c>Portal</c>).</summary>
public sealed class PortalAdministratorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Portal";

    /// <summary>IdP group names (values of the <c>groups</c> claim, compared exactly) whose members are administrators.</summary>
    public IList<string> AdministratorGroups { get; } = [];
}

/// <summary>
/// Builds the portal principal at sign-in, so every sign-in method decides "administrator" the same way: a local IAM user
/// is an administrator when the engine allows it <c>portal:Administer</c>; an IdP user when one of its groups is in
/// <c>Portal:AdministratorGroups</c>. The decision is made once, at sign-in, and carried as the <c>portal:role</c> claim.
/// </summary>
public sealed class PortalPrincipalFactory
{
    /// <summary>The IAM action that makes a local user a portal administrator.</summary>
    public const string AdministerAction = Portal.Core.Iam.AdministratorGuard.AdministerAction;

    private readonly StsEngine _engine;
    private readonly IOptionsMonitor<PortalAdministratorOptions> _options;

    /// <summary>Creates the factory.</summary>
    public PortalPrincipalFactory(StsEngine engine, IOptionsMonitor<PortalAdministratorOptions> options)
    {
        _engine = engine;
        _options = options;
    }

    /// <summary>
    /// For the SAML and OIDC handlers: removes any <c>portal:role</c> claim the IdP mapping produced (an IdP must not be able
    /// to assert the role itself), then adds <c>portal:role=administrator</c> when a <c>groups</c> claim names a configured
    /// administrators group. Returns <paramref name="identity"/>.
    /// </summary>
    public ClaimsIdentity ApplyAdministratorGroups(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var claim in identity.FindAll(PortalClaimTypes.Role).ToList())
        {
            identity.RemoveClaim(claim);
        }

        if (identity.FindAll(PortalClaimTypes.Group).Any(g => IsAdministratorGroup(g.Value)))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
        }

        return identity;
    }

    /// <summary>True when <paramref name="group"/> is one of <c>Portal:AdministratorGroups</c> (ordinal, as IdPs send it).</summary>
    public bool IsAdministratorGroup(string group) =>
        !string.IsNullOrEmpty(group) && _options.CurrentValue.AdministratorGroups.Contains(group, StringComparer.Ordinal);

    /// <summary>True when the engine allows the IAM user <c>portal:Administer</c> on <c>*</c> (its policies decide, as for any IAM action).</summary>
    public async Task<bool> IsIamAdministratorAsync(UserInfo user, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await _engine.IdentityDeniedAsync(Caller.ForUser(user, accessKeyId: null), AdministerAction, "*", info, ct).ConfigureAwait(false) is null;
    }

    /// <summary>
    /// The principal of a local IAM user for <paramref name="scheme"/>. <paramref name="mfa"/> false gives the
    /// password-only principal of the partial scheme (amr=pwd, never a role); true adds amr=mfa and, when allowed, the
    /// administrator role.
    /// </summary>
    public async Task<ClaimsPrincipal> CreateLocalAsync(UserInfo user, bool mfa, string scheme, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(scheme, PortalClaimTypes.Name, PortalClaimTypes.Role);
        identity.AddClaim(new Claim(PortalClaimTypes.Subject, user.Arn));
        identity.AddClaim(new Claim(PortalClaimTypes.Name, user.Name));
        identity.AddClaim(new Claim(PortalClaimTypes.UserId, user.Id));
        identity.AddClaim(new Claim(PortalClaimTypes.AccountId, user.AccountId));
        identity.AddClaim(new Claim(PortalClaimTypes.Provider, "local"));
        identity.AddClaim(new Claim(PortalClaimTypes.Method, "local"));
        identity.AddClaim(new Claim(PortalClaimTypes.AuthenticationMethod, "pwd"));
        if (mfa)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.AuthenticationMethod, "mfa"));
            if (await IsIamAdministratorAsync(user, info, ct).ConfigureAwait(false))
            {
                identity.AddClaim(new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
            }
        }

        return new ClaimsPrincipal(identity);
    }
}
