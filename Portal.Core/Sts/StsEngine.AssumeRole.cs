using System.Globalization;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

public sealed partial class StsEngine
{
    private const string AssumeRoleAction = "sts:AssumeRole";

    /// <summary>AssumeRole (STS-SPEC §1.1), for a caller authenticated with long-term or temporary credentials.</summary>
    public async Task<StsOutcome<AssumeRoleResult>> AssumeRoleAsync(Caller caller, AssumeRoleRequest request, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);

        // Step 3 of §1.0.7: every model constraint, reported together.
        var v = new ParameterValidator();
        v.Required("roleArn", request.RoleArn);
        v.Length("roleArn", request.RoleArn, 20, 2048);
        v.ArnChars("roleArn", request.RoleArn);
        v.Required("roleSessionName", request.RoleSessionName);
        v.Length("roleSessionName", request.RoleSessionName, 2, 64);
        v.Pattern("roleSessionName", request.RoleSessionName, StsPatterns.IsNameChar, StsPatterns.NamePattern);
        v.Range("durationSeconds", request.DurationSeconds, 900, 43200);
        v.Length("externalId", request.ExternalId, 2, 1224);
        v.Pattern("externalId", request.ExternalId, StsPatterns.IsExternalIdChar, StsPatterns.ExternalIdPattern);
        v.Length("serialNumber", request.SerialNumber, 9, 256);
        v.Pattern("serialNumber", request.SerialNumber, StsPatterns.IsSerialChar, StsPatterns.SerialPattern);
        v.Length("tokenCode", request.TokenCode, 6, 6);
        v.Pattern("tokenCode", request.TokenCode, StsPatterns.IsDigit, StsPatterns.TokenCodePattern);
        v.Length("sourceIdentity", request.SourceIdentity, 2, 64);
        v.Pattern("sourceIdentity", request.SourceIdentity, StsPatterns.IsNameChar, StsPatterns.NamePattern);
        ValidateSessionPolicyParameters(v, request.Policy, request.PolicyArns, policyMax: null);
        SessionTags.ValidateShape(v, request.Tags, request.TransitiveTagKeys);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, AssumeRoleAction, "ValidationError", caller, info, request.RoleArn, null, ct).ConfigureAwait(false);
        }

        var roleArn = request.RoleArn!;
        if (request.ProvidedContextCount > 0)
        {
            // STS-SPEC §1.1: rejecting trusted-context assertions is safer than ignoring them.
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, "ProvidedContexts are not supported by this service."), AssumeRoleAction, "ValidationError", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        // §1.0.2: root may not assume roles; federation-token sessions may call nothing but GetCallerIdentity.
        if (caller.Kind == CallerKind.Root || caller.Session is { Kind: SessionKind.SessionToken } s0 && s0.SourcePrincipalArn.EndsWith(":root", StringComparison.Ordinal))
        {
            return await DenyAsync(new StsError(StsErrorCode.AccessDenied, "Roles may not be assumed by root accounts."), AssumeRoleAction, "RootCaller", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        var standardDenial = new StsError(StsErrorCode.AccessDenied, $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        if (caller.Session is { Kind: SessionKind.FederatedUser })
        {
            return await DenyAsync(standardDenial, AssumeRoleAction, "FederatedSessionCaller", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        var chained = caller.Kind == CallerKind.Session;
        var inherited = caller.Session;
        if (inherited?.SourceIdentity is { } inheritedSid && request.SourceIdentity is not null && request.SourceIdentity != inheritedSid)
        {
            // §1.0.4: the source identity of a chain is immutable.
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, "The source identity of a role-chained session cannot be changed."), AssumeRoleAction, "SourceIdentityChanged", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        // §1.1 step 2: a role that does not exist is indistinguishable from one that does not trust the caller.
        var role = await _policies.GetRoleAsync(roleArn, ct).ConfigureAwait(false);
        if (role is null)
        {
            return await DenyAsync(standardDenial, AssumeRoleAction, "NoSuchRole", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        // §1.0.3 / §1.0.4: durations fail rather than clamp.
        var duration = request.DurationSeconds ?? 3600;
        if (chained && duration > RoleChainingMaxSeconds)
        {
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."), AssumeRoleAction, "RoleChainDuration", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        if (duration > role.Role.MaxSessionDuration)
        {
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), AssumeRoleAction, "MaxSessionDuration", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        var sessionPolicies = await LoadSessionPoliciesAsync(request.Policy, request.PolicyArns, role.Role.AccountId, ct).ConfigureAwait(false);
        if (!sessionPolicies.Succeeded)
        {
            return await DenyAsync(sessionPolicies.Error, AssumeRoleAction, sessionPolicies.Error.WireCode, caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        var inheritedTransitive = inherited?.TransitiveTagKeys ?? [];
        if (SessionTags.ValidateSemantics(request.Tags, request.TransitiveTagKeys, inheritedTransitive) is { } tagError)
        {
            return await DenyAsync(tagError, AssumeRoleAction, "ValidationError", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        var inheritedTags = inherited is null ? [] : inherited.Tags.Where(t => inheritedTransitive.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).Select(t => new Tag(t.Key, t.Value)).ToList();
        var allTags = request.Tags.Concat(inheritedTags).ToList();
        var packed = PackedSize(request.Policy, request.PolicyArns, allTags);
        if (packed > 100)
        {
            return await DenyAsync(PackedTooLarge(packed.Value), AssumeRoleAction, "PackedPolicyTooLarge", caller, info, roleArn, null, ct).ConfigureAwait(false);
        }

        // §1.1 step 3: MFA against a device of the calling user.
        var now = _time.GetUtcNow();
        DateTimeOffset? mfaAt = inherited?.MfaAuthenticatedAt;
        if (request.SerialNumber is not null || request.TokenCode is not null)
        {
            var mfa = await VerifyCallerMfaAsync(caller, request.SerialNumber, request.TokenCode, ct).ConfigureAwait(false);
            if (!mfa.Succeeded)
            {
                return await DenyAsync(new StsError(StsErrorCode.AccessDenied, mfa.FailureMessage ?? MfaMessages.InvalidCode), AssumeRoleAction, "Mfa" + mfa.Status, caller, info, roleArn, null, ct).ConfigureAwait(false);
            }

            mfaAt = mfa.MatchedAt ?? now;
        }

        // §1.1 step 4 / §7.7: the trust policy must allow the caller, with the request's keys.
        var ctx = BuildContext(caller, info, AssumeRoleAction, roleArn, now);
        if (mfaAt is { } at)
        {
            ctx.Set("aws:MultiFactorAuthPresent", "true");
            ctx.Set("aws:MultiFactorAuthAge", ((long)Math.Max(0, (now - at).TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        ctx.Set("sts:RoleSessionName", request.RoleSessionName!);
        if (request.ExternalId is not null)
        {
            ctx.Set("sts:ExternalId", request.ExternalId);
        }

        if (request.SourceIdentity is not null)
        {
            ctx.Set("sts:SourceIdentity", request.SourceIdentity);
        }

        AddTagKeys(ctx, allTags, request.TransitiveTagKeys);
        foreach (var t in role.Role.Tags)
        {
            ctx.Set("aws:ResourceTag/" + t.Key, t.Value);
        }

        var trust = new NamedPolicy("trust policy of " + roleArn, role.TrustPolicy);
        var decision = await AuthorizeAsync(caller, ctx, trust, isTrust: true, role.Role.AccountId, ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return await DenyAsync(standardDenial, AssumeRoleAction, decision.Reason, caller, info, roleArn, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
        }

        // §7.7: tags need sts:TagSession, a source identity needs sts:SetSourceIdentity, both from the same trust policy.
        foreach (var extra in ExtraTrustActions(allTags.Count > 0 || request.TransitiveTagKeys.Count > 0, request.SourceIdentity is not null))
        {
            ctx.Action = extra;
            var extraDecision = await AuthorizeAsync(caller, ctx, trust, isTrust: true, role.Role.AccountId, ct).ConfigureAwait(false);
            if (!extraDecision.Allowed)
            {
                var msg = $"User: {caller.Arn} is not authorized to perform: {extra} on resource: {roleArn}";
                return await DenyAsync(new StsError(StsErrorCode.AccessDenied, msg), AssumeRoleAction, extraDecision.Reason, caller, info, roleArn, Describe(extraDecision.DecidingStatement), ct).ConfigureAwait(false);
            }
        }

        var account = AccountId.Parse(role.Role.AccountId);
        var sessionName = request.RoleSessionName!;
        var template = new SessionClaims
        {
            SessionId = string.Empty,
            AccessKeyId = string.Empty,
            SecretAccessKey = string.Empty,
            Kind = SessionKind.AssumedRole,
            AccountId = role.Role.AccountId,
            Arn = Arn.AssumedRole(account, role.Role.Name, sessionName).ToString(),
            PrincipalId = role.Role.Id + ":" + sessionName,
            SourcePrincipalArn = role.Role.Arn,
            SourcePrincipalId = role.Role.Id,
            SessionName = sessionName,
            InlineSessionPolicy = request.Policy,
            SessionPolicyArns = request.PolicyArns,
            Tags = allTags.Select(t => new SessionTag(t.Key, t.Value)).ToList(),
            TransitiveTagKeys = request.TransitiveTagKeys.Concat(inheritedTransitive).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            SourceIdentity = request.SourceIdentity ?? inherited?.SourceIdentity,
            MfaAuthenticatedAt = mfaAt,
            IssuedAt = now,
            ExpiresAt = now.AddSeconds(duration),
            IsRoleChain = chained,
            FederatedProvider = inherited?.FederatedProvider,
            FederationKeys = inherited?.FederationKeys ?? new Dictionary<string, IReadOnlyList<string>>(),
        };
        var issued = await MintAsync(template, AssumeRoleAction, null, caller, info, roleArn, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Error;
        }

        return new AssumeRoleResult(issued.Value, new AssumedRoleUser(template.PrincipalId, template.Arn), packed, template.SourceIdentity);
    }

    private static IEnumerable<string> ExtraTrustActions(bool tags, bool sourceIdentity)
    {
        if (tags)
        {
            yield return "sts:TagSession";
        }

        if (sourceIdentity)
        {
            yield return "sts:SetSourceIdentity";
        }
    }

    private static void AddTagKeys(RequestContext ctx, IReadOnlyList<Tag> tags, IReadOnlyList<string> transitiveKeys)
    {
        if (tags.Count > 0)
        {
            foreach (var t in tags)
            {
                ctx.Set("aws:RequestTag/" + t.Key, t.Value);
            }

            ctx.Set("aws:TagKeys", tags.Select(t => t.Key));
        }

        if (transitiveKeys.Count > 0)
        {
            ctx.Set("sts:TransitiveTagKeys", transitiveKeys);
        }
    }

    /// <summary>Verifies an MFA code against a device of the IAM user behind the caller.</summary>
    private async Task<MfaVerification> VerifyCallerMfaAsync(Caller caller, string? serial, string? code, CancellationToken ct)
    {
        var userId = caller.Kind switch
        {
            CallerKind.User => caller.UserId,
            CallerKind.Session when caller.Session!.Kind == SessionKind.SessionToken
                && caller.Session.SourcePrincipalId.StartsWith(IdPrefixes.User, StringComparison.Ordinal) => caller.Session.SourcePrincipalId,
            _ => null,
        };
        if (userId is null || serial is null || code is null)
        {
            return new MfaVerification(MfaVerificationStatus.UnknownDevice);
        }

        return await _mfa.VerifyAsync(serial, userId, code, ct).ConfigureAwait(false);
    }
}
