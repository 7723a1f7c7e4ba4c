using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Services.SelfService;

/// <summary>The "Get credentials" form.</summary>
public sealed class GetCredentialsInput
{
    /// <summary>The role to assume.</summary>
    [Required]
    public string RoleArn { get; set; } = string.Empty;

    /// <summary>The session duration in seconds (900..the role's MaxSessionDuration).</summary>
    [Range(RoleCatalogService.MinDurationSeconds, 43200)]
    public int DurationSeconds { get; set; } = 3600;

    /// <summary>An optional inline session policy that narrows the session (STS-SPEC §1.0.5).</summary>
    public string? SessionPolicy { get; set; }

    /// <summary>A TOTP code, for local IAM users assuming a role that requires MFA.</summary>
    public string? MfaCode { get; set; }
}

/// <summary>What became of a "Get credentials" request.</summary>
public enum CredentialIssueStatus
{
    /// <summary>Credentials were issued.</summary>
    Issued,

    /// <summary>The role requires MFA: a local IAM user must enter a code from their MFA device.</summary>
    MfaCodeRequired,

    /// <summary>The role requires MFA and the federated person signed in without it: sign in again with MFA at the IdP.</summary>
    SignInAgainWithMfa,

    /// <summary>The trust policy lacks sts:SetSourceIdentity: an administrator must add it (nothing is issued without it).</summary>
    NeedsSetSourceIdentity,

    /// <summary>The engine (or the form) refused; <see cref="CredentialIssueResult.Message"/> says why.</summary>
    Refused,
}

/// <summary>The outcome of <see cref="CredentialIssuanceService.IssueAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Credentials">The credentials when issued.</param>
/// <param name="AssumedRoleArn">The assumed-role ARN when issued.</param>
/// <param name="Message">A sentence for the person when not issued.</param>
public sealed record CredentialIssueResult(CredentialIssueStatus Status, IssuedCredentials? Credentials = null, string? AssumedRoleArn = null, string? Message = null);

/// <summary>
/// Issues role credentials to the signed-in person through the engine's own doors: AssumeFederatedAsync (the tail of
/// AssumeRoleWithSAML / WithWebIdentity) for federated people and AssumeRoleAsync for local IAM users, so the portal adds
/// no rule and skips none.
/// </summary>
public sealed class CredentialIssuanceService
{
    private const int MaxSessionPolicyLength = 2048;

    private readonly StsEngine _engine;
    private readonly MfaService _mfa;
    private readonly PortalPersonResolver _people;

    /// <summary>Creates the service.</summary>
    public CredentialIssuanceService(StsEngine engine, MfaService mfa, PortalPersonResolver people)
    {
        _engine = engine;
        _mfa = mfa;
        _people = people;
    }

    /// <summary>Issues credentials for <paramref name="input"/>, or says what stands in the way.</summary>
    public async Task<CredentialIssueResult> IssueAsync(ClaimsPrincipal principal, GetCredentialsInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return Refused("Your sign-in does not identify a person who can receive credentials. Sign in again.");
        }

        var policy = string.IsNullOrWhiteSpace(input.SessionPolicy) ? null : input.SessionPolicy;
        if (policy is { Length: > MaxSessionPolicyLength })
        {
            return Refused(string.Create(CultureInfo.InvariantCulture, $"The session policy must not exceed {MaxSessionPolicyLength} characters."));
        }

        var info = new RequestInfo { UserAgent = "portal" };
        var access = person switch
        {
            FederatedPerson f => await _engine.FederatedRoleAccessAsync(f.Action, f.Subject, info, ct).ConfigureAwait(false),
            LocalPerson l => await _engine.UserRoleAccessAsync(l.Caller, l.SessionName, info, ct).ConfigureAwait(false),
            _ => [],
        };
        var role = access.FirstOrDefault(a => string.Equals(a.Role.Arn, input.RoleArn, StringComparison.Ordinal));
        if (role is null)
        {
            return Refused("You are not allowed to assume this role.");
        }

        if (input.DurationSeconds < RoleCatalogService.MinDurationSeconds || input.DurationSeconds > role.Role.MaxSessionDuration)
        {
            return Refused(string.Create(CultureInfo.InvariantCulture, $"The duration must be between {RoleCatalogService.MinDurationSeconds} and {role.Role.MaxSessionDuration} seconds for this role."));
        }

        if (role.NeedsSetSourceIdentity)
        {
            return new CredentialIssueResult(CredentialIssueStatus.NeedsSetSourceIdentity, Message: "This role needs sts:SetSourceIdentity in its trust policy — ask an administrator.");
        }

        return person switch
        {
            FederatedPerson f => await IssueFederatedAsync(f, role, input.DurationSeconds, policy, info, ct).ConfigureAwait(false),
            LocalPerson l => await IssueLocalAsync(l, role, input, policy, info, ct).ConfigureAwait(false),
            _ => Refused("Unsupported sign-in."),
        };
    }

    private async Task<CredentialIssueResult> IssueFederatedAsync(FederatedPerson person, RoleAccess role, int duration, string? policy, RequestInfo info, CancellationToken ct)
    {
        if (role.RequiresMfa && !person.HasMfa)
        {
            return new CredentialIssueResult(CredentialIssueStatus.SignInAgainWithMfa, Message: "This role requires MFA. Sign out and sign in again at your identity provider with MFA.");
        }

        var notAuthorized = new StsError(StsErrorCode.AccessDenied, "Not authorized to perform " + person.Action);
        var issued = await _engine.AssumeFederatedAsync(person.Action, person.Subject, role.Role.Arn, duration, policy, [], info, notAuthorized, ct).ConfigureAwait(false);
        return issued.Succeeded
            ? new CredentialIssueResult(CredentialIssueStatus.Issued, issued.Value.Credentials, issued.Value.User.Arn)
            : Refused(issued.Error.Message);
    }

    private async Task<CredentialIssueResult> IssueLocalAsync(LocalPerson person, RoleAccess role, GetCredentialsInput input, string? policy, RequestInfo info, CancellationToken ct)
    {
        string? serial = null;
        string? code = null;
        if (role.RequiresMfa)
        {
            // STS-SPEC §1.1 step 3: AssumeRole's MFA proof is a code from a device of the calling user.
            var device = (await _mfa.ListForUserAsync(person.User.Id, ct).ConfigureAwait(false)).FirstOrDefault(d => d.Enabled);
            if (device is null)
            {
                return Refused("This role requires MFA, and you have no MFA device. Set one up on your profile first.");
            }

            if (string.IsNullOrWhiteSpace(input.MfaCode))
            {
                return new CredentialIssueResult(CredentialIssueStatus.MfaCodeRequired, Message: "This role requires MFA. Enter a code from your MFA device.");
            }

            serial = device.SerialNumber;
            code = input.MfaCode.Trim();
        }

        var request = new AssumeRoleRequest
        {
            RoleArn = role.Role.Arn,
            RoleSessionName = person.SessionName,
            DurationSeconds = input.DurationSeconds,
            Policy = policy,
            SerialNumber = serial,
            TokenCode = code,
        };
        var issued = await _engine.AssumeRoleAsync(person.Caller, request, info, ct).ConfigureAwait(false);
        return issued.Succeeded
            ? new CredentialIssueResult(CredentialIssueStatus.Issued, issued.Value.Credentials, issued.Value.AssumedRoleUser.Arn)
            : Refused(issued.Error.Message);
    }

    private static CredentialIssueResult Refused(string message) => new(CredentialIssueStatus.Refused, Message: message);
}
