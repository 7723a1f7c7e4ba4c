using System.Globalization;
using Microsoft.Extensions.Logging;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

/// <summary>
/// The issuance engine: one method per STS action, with AWS's parameter rules, duration rules, trust evaluation and
/// credential minting (STS-SPEC §1). Every door (STS API, portal UI, CLI) calls this; no rule lives in only one door.
/// Every issuance and every denial is audited; credentials are returned only after their audit event has committed.
/// </summary>
public sealed partial class StsEngine
{
    /// <summary>The chained-session cap (STS-SPEC §1.0.4).</summary>
    public const int RoleChainingMaxSeconds = 3600;

    private readonly IamDirectory _directory;
    private readonly PolicySource _policies;
    private readonly SessionTokenSealer _sealer;
    private readonly MfaService _mfa;
    private readonly IAuditSink _audit;
    private readonly ISamlAssertionValidator _saml;
    private readonly IWebIdentityTokenValidator _webIdentity;
    private readonly AuthorizationMessageCodec _messages;
    private readonly TimeProvider _time;
    private readonly ILogger<StsEngine> _logger;

    /// <summary>Creates the engine.</summary>
    public StsEngine(
        IamDirectory directory,
        PolicySource policies,
        SessionTokenSealer sealer,
        MfaService mfa,
        IAuditSink audit,
        ISamlAssertionValidator saml,
        IWebIdentityTokenValidator webIdentity,
        AuthorizationMessageCodec messages,
        TimeProvider time,
        ILogger<StsEngine> logger)
    {
        _directory = directory;
        _policies = policies;
        _sealer = sealer;
        _mfa = mfa;
        _audit = audit;
        _saml = saml;
        _webIdentity = webIdentity;
        _messages = messages;
        _time = time;
        _logger = logger;
    }

    // ---- minting and audit ----------------------------------------------------------------------------------------

    /// <summary>Mints temporary credentials for <paramref name="template"/>, audits the issuance durably, then returns them.</summary>
    private async Task<StsOutcome<IssuedCredentials>> MintAsync(
        SessionClaims template,
        string action,
        string? issuedTo,
        Caller? caller,
        RequestInfo info,
        string? resource,
        string? decidingStatement,
        CancellationToken ct)
    {
        var account = AccountId.Parse(template.AccountId);
        var claims = template with
        {
            SessionId = UniqueIds.NewSessionId(),
            AccessKeyId = AccessKeyIds.NewTemporary(account),
            SecretAccessKey = SecretKeys.New(),
            RequestId = info.RequestId,
        };
        var token = _sealer.Seal(claims);
        var record = new AuditRecord
        {
            Timestamp = claims.IssuedAt,
            Action = action,
            Decision = AuditDecision.Allow,
            RequestId = info.RequestId,
            Principal = issuedTo ?? caller?.Arn,
            CallerAccessKeyId = caller?.AccessKeyId,
            Resource = resource,
            DecidingStatement = decidingStatement,
            IssuedAccessKeyId = claims.AccessKeyId,
            SourceIdentity = claims.SourceIdentity,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            Message = string.Create(CultureInfo.InvariantCulture, $"Issued {claims.Arn} until {claims.ExpiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}"),
            IssuedSession = new IssuedSessionRecord(
                claims.SessionId,
                claims.AccessKeyId,
                claims.AccountId,
                action,
                claims.Arn,
                claims.SourcePrincipalArn,
                issuedTo ?? caller?.Arn,
                claims.SourceIdentity,
                claims.IssuedAt,
                claims.ExpiresAt,
                info.RequestId),
        };

        try
        {
            await _audit.WriteAsync(record, ct).ConfigureAwait(false);
        }
        catch (AuditCommitException ex)
        {
            // Key decision 3: no credential leaves without its audit record.
            StsEngineLog.AuditFailed(_logger, ex, action, info.RequestId);
            return new StsError(StsErrorCode.InternalFailure, "The request could not be completed. Try again later.");
        }

        return new IssuedCredentials(claims.AccessKeyId, claims.SecretAccessKey, token, claims.ExpiresAt);
    }

    /// <summary>Audits a refusal (best effort: a failing audit store never turns a denial into an issuance) and returns it.</summary>
    private async Task<StsError> DenyAsync(StsError error, string action, string reason, Caller? caller, RequestInfo info, string? resource, string? decidingStatement, CancellationToken ct, string? principal = null)
    {
        var record = new AuditRecord
        {
            Timestamp = _time.GetUtcNow(),
            Action = action,
            Decision = error.Code == StsErrorCode.InternalFailure ? AuditDecision.Error : AuditDecision.Deny,
            Reason = reason,
            RequestId = info.RequestId,
            Principal = principal ?? caller?.Arn,
            CallerAccessKeyId = caller?.AccessKeyId,
            Resource = resource,
            DecidingStatement = decidingStatement,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            ErrorCode = error.WireCode,
            Message = error.Message,
        };
        try
        {
            await _audit.WriteAsync(record, ct).ConfigureAwait(false);
        }
        catch (AuditCommitException ex)
        {
            StsEngineLog.AuditFailed(_logger, ex, action, info.RequestId);
        }

        return error;
    }

    // ---- shared rules ---------------------------------------------------------------------------------------------

    /// <summary>Validates session policies (inline + managed ARNs) and returns them parsed (STS-SPEC §1.0.5).</summary>
    private async Task<StsOutcome<List<NamedPolicy>>> LoadSessionPoliciesAsync(string? policy, IReadOnlyList<string> policyArns, string accountId, CancellationToken ct)
    {
        var result = new List<NamedPolicy>();
        if (policy is not null)
        {
            var parsed = PolicyDocument.Parse(policy, PolicyKind.Session);
            if (!parsed.Succeeded)
            {
                return new StsError(StsErrorCode.MalformedPolicyDocument, "The policy is not in the valid JSON format. " + parsed.ErrorSummary);
            }

            result.Add(new NamedPolicy("session policy", parsed.Document));
        }

        if (policyArns.Count > 0)
        {
            var managed = await _policies.GetManagedPoliciesAsync(policyArns, ct).ConfigureAwait(false);
            for (var i = 0; i < policyArns.Count; i++)
            {
                if (!Arn.TryParse(policyArns[i], out var arn) || arn.Service != "iam" || arn.ResourceType != "policy")
                {
                    return new StsError(StsErrorCode.ValidationError, $"The policy ARN {policyArns[i]} is not a valid managed policy ARN.");
                }

                if (arn.Account != accountId || managed[i] is null)
                {
                    return new StsError(StsErrorCode.ValidationError, $"The policy {policyArns[i]} does not exist or is not attachable in account {accountId}.");
                }

                result.Add(managed[i]!);
            }
        }

        return result;
    }

    /// <summary>Validates the Policy/PolicyArns model constraints shared by the issuing actions.</summary>
    private static void ValidateSessionPolicyParameters(ParameterValidator v, string? policy, IReadOnlyList<string> policyArns, int? policyMax)
    {
        v.Length("policy", policy, 1, policyMax ?? int.MaxValue);
        v.PolicyChars("policy", policy);
        v.Count("policyArns", policyArns.Count, 10);
        for (var i = 0; i < policyArns.Count; i++)
        {
            var member = string.Create(CultureInfo.InvariantCulture, $"policyArns.{i + 1}.member.arn");
            v.Length(member, policyArns[i], 20, 2048);
            v.ArnChars(member, policyArns[i]);
        }

        // STS-SPEC §1.0.5: the plaintext of the inline policy and the ARNs together must not exceed 2048 characters.
        var plaintext = (policy?.Length ?? 0) + policyArns.Sum(a => a.Length);
        if (policyMax is null && plaintext > 2048)
        {
            v.Custom(string.Create(CultureInfo.InvariantCulture, $"Value '[...]' at 'policy' failed to satisfy constraint: The inline session policy and managed policy ARNs must not exceed 2048 characters together (got {plaintext})"));
        }
    }

    /// <summary>Builds the evaluation context for a caller: principal and global condition keys (STS-SPEC §4.8, §7.9).</summary>
    internal static RequestContext BuildContext(Caller caller, RequestInfo info, string action, string resource, DateTimeOffset now)
    {
        var ctx = new RequestContext(action, resource) { Principal = PrincipalOf(caller) };
        ConditionKeys.AddPrincipalKeys(ctx, caller, now);
        ConditionKeys.AddRequestKeys(ctx, info, now);
        return ctx;
    }

    /// <summary>What a Principal element in a trust or resource policy can match for this caller (STS-SPEC §7.2).</summary>
    internal static PolicyPrincipal PrincipalOf(Caller caller)
    {
        switch (caller.Kind)
        {
            case CallerKind.Root:
                return PolicyPrincipal.Aws(caller.AccountId, caller.Arn, caller.AccountId);
            case CallerKind.User:
                return PolicyPrincipal.Aws(caller.AccountId, caller.Arn, caller.UserId!);
            default:
                var s = caller.Session!;
                return s.Kind switch
                {
                    // A role session is matched by its session ARN, its role's ARN and the role's unique id.
                    SessionKind.AssumedRole => PolicyPrincipal.Aws(s.AccountId, s.Arn, s.SourcePrincipalArn, s.SourcePrincipalId, s.PrincipalId),
                    SessionKind.FederatedUser => PolicyPrincipal.Aws(s.AccountId, s.Arn),

                    // A GetSessionToken session acts as its user (or root).
                    _ => PolicyPrincipal.Aws(s.AccountId, s.SourcePrincipalArn, s.SourcePrincipalId),
                };
        }
    }

    private static int? PackedSize(string? policy, IReadOnlyList<string> arns, IReadOnlyList<Tag> tags) =>
        policy is null && arns.Count == 0 && tags.Count == 0 ? null : PackedPolicy.Percent(policy, arns, tags);

    private static StsError PackedTooLarge(int percent) =>
        new(StsErrorCode.PackedPolicyTooLarge, string.Create(CultureInfo.InvariantCulture, $"Packed policy consumes {percent}% of allotted space, please use smaller policy."));

    private static string Describe(DecidingStatement? s) => s is null ? string.Empty : s.ToString();
}
