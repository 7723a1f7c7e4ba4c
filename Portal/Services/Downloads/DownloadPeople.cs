using System.Security.Claims;
using Portal.Authentication;
using Portal.Core.Downloads;
using Portal.Services.SelfService;

namespace Portal.Services.Downloads;

/// <summary>Builds the <see cref="DownloadPerson"/> of a portal sign-in, with the same IssuedTo "My sessions" lists by.</summary>
public sealed class DownloadPeople
{
    private readonly PortalPersonResolver _people;

    /// <summary>Creates the resolver.</summary>
    public DownloadPeople(PortalPersonResolver people) => _people = people;

    /// <summary>The customer, or null when the principal is not a complete portal sign-in.</summary>
    public async Task<DownloadPerson?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return null;
        }

        // portal:groups reaches the portal both as "groups" (SAML) and as the condition-key claim (OIDC).
        var groups = principal.FindAll(PortalClaimTypes.Group)
            .Concat(principal.FindAll(PortalClaimTypes.ConditionKeyPrefix + "portal:groups"))
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var email = principal.FindFirst(PortalClaimTypes.Email)?.Value;
        return person switch
        {
            LocalPerson local => new DownloadPerson(
                principal.FindFirst(PortalClaimTypes.Subject)?.Value ?? local.User.Arn, person.IssuedTo, local.User.Name, email, "local", groups, local.User.Arn),
            FederatedPerson federated => new DownloadPerson(
                federated.Subject.ProviderArn + "|" + federated.Subject.Subject,
                person.IssuedTo,
                principal.FindFirst(PortalClaimTypes.Name)?.Value,
                email,
                federated.Subject.ProviderArn,
                groups),
            _ => null,
        };
    }
}
