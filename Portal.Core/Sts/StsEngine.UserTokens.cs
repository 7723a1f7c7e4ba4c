using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;

namespace Portal.Core.Sts;

public sealed partial class StsEngine
{
    /// <summary>Longest GetSessionToken / GetFederationToken session (36 h).</summary>
    public const int MaxUserSessionSeconds = 129600;

    /// <summary>Default GetSessionToken / GetFederationToken session for IAM users (12 h).</summary>
    public const int DefaultUserSessionSeconds = 43200;

    /// <summary>Root's cap for GetSessionToken / GetFederationToken (1 h, silently applied).</summary>
    public const int RootSessionSeconds = 3600;

    /// <summary>GetSessionToken (STS-SPEC §1.4): long-term credentials only; policies cannot block it.</summary>
    public async Task<StsOutcome<IssuedCredentials>> GetSessionTokenAsync(Caller caller, GetSessionTokenRequest request, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:GetSessionToken";

        var v = new ParameterValidator();
        v.Range("durationSeconds", request.DurationSeconds, 900, MaxUserSessionSeconds);
        v.Length("serialNumber", request.SerialNumber, 9, 256);
        v.Pattern("serialNumber", request.SerialNumber, StsPatterns.IsSerialChar, StsPatterns.SerialPattern);
        v.Length("tokenCode", request.TokenCode, 6, 6);
        v.Pattern("tokenCode", request.TokenCode, StsPatterns.IsDigit, StsPatterns.TokenCodePattern);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", caller, info, null, null, ct).ConfigureAwait(false);
        }

        if (caller.Kind == CallerKind.Session)
        {
            // SECURITY-CASES 92c: only long-term credentials mint session tokens; expiry can never be extended.
            return await DenyAsync(new StsError(StsErrorCode.AccessDenied, "Cannot call GetSessionToken with session credentials"), action, "SessionCaller", caller, info, null, null, ct).ConfigureAwait(false);
        }

        var isRoot = caller.Kind == CallerKind.Root;
        var duration = request.DurationSeconds ?? (isRoot ? RootSessionSeconds : DefaultUserSessionSeconds);
        if (isRoot)
        {
            duration = Math.Min(duration, RootSessionSeconds);
        }

        var now = _time.GetUtcNow();
        DateTimeOffset? mfaAt = null;
        if (request.SerialNumber is not null || request.TokenCode is not null)
        {
            var mfa = await VerifyCallerMfaAsync(caller, request.SerialNumber, request.TokenCode, ct).ConfigureAwait(false);
            if (!mfa.Succeeded)
            {
                return await DenyAsync(new StsError(StsErrorCode.AccessDenied, mfa.FailureMessage ?? MfaMessages.InvalidCode), action, "Mfa" + mfa.Status, caller, info, null, null, ct).ConfigureAwait(false);
            }

            mfaAt = mfa.MatchedAt ?? now;
        }

        var template = new SessionClaims
        {
            SessionId = string.Empty,
            AccessKeyId = string.Empty,
            SecretAccessKey = string.Empty,
            Kind = SessionKind.SessionToken,
            AccountId = caller.AccountId,
            Arn = caller.Arn,
            PrincipalId = isRoot ? caller.AccountId : caller.UserId!,
            SourcePrincipalArn = caller.Arn,
            SourcePrincipalId = isRoot ? caller.AccountId : caller.UserId!,
            Tags = caller.UserTags.Select(t => new SessionTag(t.Key, t.Value)).ToList(),
            MfaAuthenticatedAt = mfaAt,
            IssuedAt = now,
            ExpiresAt = now.AddSeconds(duration),
        };
        return await MintAsync(template, action, null, caller, info, caller.Arn, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// GetFederationToken (STS-SPEC §1.5): long-term credentials of an IAM user (or root) allowed
    /// <c>sts:GetFederationToken</c>; the session's permissions are the caller's policies intersected with the passed
    /// session policies, and nothing at all when none is passed.
    /// </summary>
    public async Task<StsOutcome<GetFederationTokenResult>> GetFederationTokenAsync(Caller caller, GetFederationTokenRequest request, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:GetFederationToken";

        var v = new ParameterValidator();
        v.Required("name", request.Name);
        v.Length("name", request.Name, 2, 32);
        v.Pattern("name", request.Name, StsPatterns.IsNameChar, StsPatterns.NamePattern);
        v.Range("durationSeconds", request.DurationSeconds, 900, MaxUserSessionSeconds);
        ValidateSessionPolicyParameters(v, request.Policy, request.PolicyArns, policyMax: 2048);
        SessionTags.ValidateShape(v, request.Tags, []);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", caller, info, null, null, ct).ConfigureAwait(false);
        }

        var account = AccountId.Parse(caller.AccountId);
        var federatedArn = Arn.FederatedUser(account, request.Name!).ToString();
        if (caller.Kind == CallerKind.Session)
        {
            return await DenyAsync(new StsError(StsErrorCode.AccessDenied, "Cannot call GetFederationToken with session credentials"), action, "SessionCaller", caller, info, federatedArn, null, ct).ConfigureAwait(false);
        }

        var sessionPolicies = await LoadSessionPoliciesAsync(request.Policy, request.PolicyArns, caller.AccountId, ct).ConfigureAwait(false);
        if (!sessionPolicies.Succeeded)
        {
            return await DenyAsync(sessionPolicies.Error, action, sessionPolicies.Error.WireCode, caller, info, federatedArn, null, ct).ConfigureAwait(false);
        }

        if (SessionTags.ValidateSemantics(request.Tags, [], []) is { } tagError)
        {
            return await DenyAsync(tagError, action, "ValidationError", caller, info, federatedArn, null, ct).ConfigureAwait(false);
        }

        var packed = PackedSize(request.Policy, request.PolicyArns, request.Tags);
        if (packed > 100)
        {
            return await DenyAsync(PackedTooLarge(packed.Value), action, "PackedPolicyTooLarge", caller, info, federatedArn, null, ct).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var ctx = BuildContext(caller, info, action, federatedArn, now);
        AddTagKeys(ctx, request.Tags, []);
        var decision = await AuthorizeAsync(caller, ctx, null, isTrust: false, caller.AccountId, ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return await DenyAsync(new StsError(StsErrorCode.AccessDenied, DeniedMessage(caller, ctx, decision)), action, decision.Reason, caller, info, federatedArn, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
        }

        if (request.Tags.Count > 0)
        {
            ctx.Action = "sts:TagSession";
            var tagDecision = await AuthorizeAsync(caller, ctx, null, isTrust: false, caller.AccountId, ct).ConfigureAwait(false);
            if (!tagDecision.Allowed)
            {
                return await DenyAsync(new StsError(StsErrorCode.AccessDenied, DeniedMessage(caller, ctx, tagDecision)), action, tagDecision.Reason, caller, info, federatedArn, Describe(tagDecision.DecidingStatement), ct).ConfigureAwait(false);
            }
        }

        var isRoot = caller.Kind == CallerKind.Root;
        var duration = request.DurationSeconds ?? (isRoot ? RootSessionSeconds : DefaultUserSessionSeconds);
        if (isRoot)
        {
            duration = Math.Min(duration, RootSessionSeconds);
        }

        // Session tags override the user's tags with the same key, case-insensitively (§1.5).
        var tags = request.Tags
            .Concat(caller.UserTags.Where(t => !request.Tags.Any(r => string.Equals(r.Key, t.Key, StringComparison.OrdinalIgnoreCase))))
            .Select(t => new SessionTag(t.Key, t.Value))
            .ToList();
        var federatedUserId = caller.AccountId + ":" + request.Name;
        var template = new SessionClaims
        {
            SessionId = string.Empty,
            AccessKeyId = string.Empty,
            SecretAccessKey = string.Empty,
            Kind = SessionKind.FederatedUser,
            AccountId = caller.AccountId,
            Arn = federatedArn,
            PrincipalId = federatedUserId,
            SourcePrincipalArn = caller.Arn,
            SourcePrincipalId = isRoot ? caller.AccountId : caller.UserId!,
            SessionName = request.Name,
            InlineSessionPolicy = request.Policy,
            SessionPolicyArns = request.PolicyArns,
            Tags = tags,
            IssuedAt = now,
            ExpiresAt = now.AddSeconds(duration),
        };
        var issued = await MintAsync(template, action, request.IssuedTo, caller, info, federatedArn, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Error;
        }

        return new GetFederationTokenResult(issued.Value, new FederatedUser(federatedUserId, federatedArn), packed);
    }
}
