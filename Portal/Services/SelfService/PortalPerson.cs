using System.Security.Claims;
using Portal.Authentication;
using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Services.SelfService;

/// <summary>
/// The signed-in person as the engine sees them: a federated person (SAML or OIDC), evaluated as the matching STS
/// action would evaluate them, or a local IAM user, evaluated as an AssumeRole caller.
/// </summary>
public abstract record PortalPerson
{
    /// <summary>The IssuedTo value the engine records for this person's sessions (who obtained the credentials).</summary>
    public abstract string IssuedTo { get; }

    /// <summary>True when the person completed MFA at sign-in.</summary>
    public abstract bool HasMfa { get; }
}

/// <summary>A person signed in at a SAML or OIDC identity provider.</summary>
/// <param name="Action">sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity.</param>
/// <param name="Subject">The subject the trust policies are evaluated for and issuance uses.</param>
public sealed record FederatedPerson(string Action, StsEngine.FederatedSubject Subject) : PortalPerson
{
    /// <inheritdoc />
    public override string IssuedTo => Subject.ProviderArn + "/" + Subject.Subject;

    /// <inheritdoc />
    public override bool HasMfa => Subject.MultiFactor;
}

/// <summary>A local IAM user (break-glass sign-in).</summary>
/// <param name="User">The IAM user.</param>
/// <param name="SignedInWithMfa">The portal's TOTP step was done.</param>
public sealed record LocalPerson(UserInfo User, bool SignedInWithMfa) : PortalPerson
{
    /// <inheritdoc />
    public override string IssuedTo => User.Arn;

    /// <inheritdoc />
    public override bool HasMfa => SignedInWithMfa;

    /// <summary>The AssumeRole caller.</summary>
    public Caller Caller => Caller.ForUser(User, accessKeyId: null);

    /// <summary>The role session name of this user's portal sessions.</summary>
    public string SessionName => StsEngine.PortalSessionName(User.Name);
}

/// <summary>Builds <see cref="PortalPerson"/> from the portal principal's claims.</summary>
public sealed class PortalPersonResolver
{
    private readonly IamDirectory _directory;

    /// <summary>Creates the resolver.</summary>
    public PortalPersonResolver(IamDirectory directory) => _directory = directory;

    /// <summary>The person, or null when the principal is not a complete portal sign-in (or the local user is gone).</summary>
    public async Task<PortalPerson?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var mfa = principal.FindAll(PortalClaimTypes.AuthenticationMethod).Any(c => c.Value == "mfa");
        switch (principal.FindFirst(PortalClaimTypes.Method)?.Value)
        {
            case "local":
                var userId = principal.FindFirst(PortalClaimTypes.UserId)?.Value;
                var user = userId is null ? null : await _directory.FindUserByIdAsync(userId, ct).ConfigureAwait(false);
                return user is null ? null : new LocalPerson(user, mfa);
            case "saml":
                return Federated(principal, "sts:AssumeRoleWithSAML", mfa);
            case "oidc":
                return Federated(principal, "sts:AssumeRoleWithWebIdentity", mfa);
            default:
                return null;
        }
    }

    /// <summary>
    /// The federated subject: provider = portal:provider, subject from portal:sub ("provider|subject"), session name and
    /// source identity = the person's e-mail (else name, else subject) sanitised to the session-name pattern, keys from
    /// the ck: claims the sign-in handler copied from the assertion or ID token.
    /// </summary>
    internal static FederatedPerson? Federated(ClaimsPrincipal principal, string action, bool mfa)
    {
        var provider = principal.FindFirst(PortalClaimTypes.Provider)?.Value;
        var portalSubject = principal.FindFirst(PortalClaimTypes.Subject)?.Value;
        if (string.IsNullOrEmpty(provider) || portalSubject is null || !portalSubject.StartsWith(provider + "|", StringComparison.Ordinal))
        {
            return null;
        }

        var subject = portalSubject[(provider.Length + 1)..];
        var identity = principal.FindFirst(PortalClaimTypes.Email)?.Value
            ?? principal.FindFirst(PortalClaimTypes.Name)?.Value
            ?? subject;
        var sessionName = StsEngine.PortalSessionName(identity);
        var keys = principal.Claims
            .Where(c => c.Type.StartsWith(PortalClaimTypes.ConditionKeyPrefix, StringComparison.Ordinal))
            .GroupBy(c => c.Type[PortalClaimTypes.ConditionKeyPrefix.Length..], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(c => c.Value).ToList(), StringComparer.OrdinalIgnoreCase);
        return new FederatedPerson(action, new StsEngine.FederatedSubject(provider, subject, sessionName, [], [], sessionName, mfa, keys, null, null));
    }
}
