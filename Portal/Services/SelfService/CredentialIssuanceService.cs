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

    /// <summary>A TOTP code from the person's MFA device, for a role that requires MFA when the sign-in carried none.</summary>
    public string? MfaCode { get; set; }
}

/// <summary>What became of a "Get credentials" request.</summary>
public enum CredentialIssueStatus
{
    /// <summary>Credentials were issued.</summary>
    Issued,

    /// <summary>The role requires MFA: the person must enter a code from their MFA device.</summary>
    MfaCodeRequired,

    /// <summary>The code was wrong, already used, or the device is locked out; nothing was issued.</summary>
    MfaCodeInvalid,

    /// <summary>The role requires MFA and the person has no MFA device: set one up on the MFA page first.</summary>
    MfaDeviceRequired,

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
    private const string NoDevice = "This role requires MFA, and you have no MFA device. Set one up on the MFA page first.";
    private const string EnterCode = "This role requires MFA. Enter a code from your MFA device.";

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

    /// <summary>True when the signed-in person has an enabled MFA device (for the step-up prompt of a role that requires MFA).</summary>
    public async Task<bool> HasMfaDeviceAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        return person is not null && await _mfa.FindEnabledForUserAsync(MfaSelfService.OwnerOf(person), ct).ConfigureAwait(false) is not null;
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
            FederatedPerson f => await IssueFederatedAsync(f, role, input.DurationSeconds, policy, input.MfaCode, info, ct).ConfigureAwait(false),
            LocalPerson l => await IssueLocalAsync(l, role, input, policy, info, ct).ConfigureAwait(false),
            _ => Refused("Unsupported sign-in."),
        };
    }

    private async Task<CredentialIssueResult> IssueFederatedAsync(FederatedPerson person, RoleAccess role, int duration, string? policy, string? code, RequestInfo info, CancellationToken ct)
    {
        var subject = person.Subject;
        if (role.RequiresMfa && !person.HasMfa)
        {
            // The portal's own TOTP step-up stands in for MFA at the IdP: the device belongs to the federated identity, and
            // a verified code is reported to the engine exactly as a trusted IdP's MFA is (MultiFactor), so the engine
            // alone still decides and stamps aws:MultiFactorAuthPresent / MultiFactorAuthAge from this moment.
            var step = await _mfa.FindEnabledForUserAsync(person.IssuedTo, ct).ConfigureAwait(false) is not { } device
                ? MfaStep(CredentialIssueStatus.MfaDeviceRequired, NoDevice)
                : string.IsNullOrWhiteSpace(code)
                    ? MfaStep(CredentialIssueStatus.MfaCodeRequired, EnterCode)
                    : await VerifyStepUpAsync(device.SerialNumber, person.IssuedTo, code.Trim(), ct).ConfigureAwait(false);
            if (step is not null)
            {
                return step;
            }

            subject = subject with { MultiFactor = true };
        }

        var notAuthorized = new StsError(StsErrorCode.AccessDenied, "Not authorized to perform " + person.Action);
        var issued = await _engine.AssumeFederatedAsync(person.Action, subject, role.Role.Arn, duration, policy, [], info, notAuthorized, ct).ConfigureAwait(false);
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
            var device = await _mfa.FindEnabledForUserAsync(person.User.Id, ct).ConfigureAwait(false);
            if (device is null)
            {
                return MfaStep(CredentialIssueStatus.MfaDeviceRequired, NoDevice);
            }

            if (string.IsNullOrWhiteSpace(input.MfaCode))
            {
                return MfaStep(CredentialIssueStatus.MfaCodeRequired, EnterCode);
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
        if (issued.Succeeded)
        {
            return new CredentialIssueResult(CredentialIssueStatus.Issued, issued.Value.Credentials, issued.Value.AssumedRoleUser.Arn);
        }

        // The engine verified the code itself (STS-SPEC §1.1 step 3); its refusal of the code belongs next to the field.
        return code is not null && issued.Error.Message == MfaMessages.InvalidCode
            ? MfaStep(CredentialIssueStatus.MfaCodeInvalid, "Invalid or already used code. Enter the current code from your MFA device.")
            : Refused(issued.Error.Message);
    }

    private async Task<CredentialIssueResult?> VerifyStepUpAsync(string serialNumber, string owner, string code, CancellationToken ct)
    {
        var verification = await _mfa.VerifyAsync(serialNumber, owner, code, ct).ConfigureAwait(false);
        return verification.Succeeded ? null : MfaStep(CredentialIssueStatus.MfaCodeInvalid, MfaSelfService.DescribeRefusal(verification));
    }

    private static CredentialIssueResult MfaStep(CredentialIssueStatus status, string message) => new(status, Message: message);

    private static CredentialIssueResult Refused(string message) => new(CredentialIssueStatus.Refused, Message: message);
}
