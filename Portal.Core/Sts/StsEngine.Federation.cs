using System.Security.Cryptography;
using System.Text;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

public sealed partial class StsEngine
{
    private const string NameIdFormatPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

    /// <summary>AssumeRoleWithSAML (STS-SPEC §1.2): unauthenticated; the validated assertion is the authentication.</summary>
    public async Task<StsOutcome<AssumeRoleWithSamlResult>> AssumeRoleWithSamlAsync(AssumeRoleWithSamlRequest request, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:AssumeRoleWithSAML";

        var v = new ParameterValidator();
        v.Required("roleArn", request.RoleArn);
        v.Length("roleArn", request.RoleArn, 20, 2048);
        v.ArnChars("roleArn", request.RoleArn);
        v.Required("principalArn", request.PrincipalArn);
        v.Length("principalArn", request.PrincipalArn, 20, 2048);
        v.ArnChars("principalArn", request.PrincipalArn);
        v.Required("sAMLAssertion", request.SamlAssertion);
        v.Length("sAMLAssertion", request.SamlAssertion, 4, 100000, sensitive: true);
        v.Range("durationSeconds", request.DurationSeconds, 900, 43200);
        ValidateSessionPolicyParameters(v, request.Policy, request.PolicyArns, policyMax: 2048);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", null, info, request.RoleArn, null, ct, request.PrincipalArn).ConfigureAwait(false);
        }

        var validated = await _saml.ValidateForStsAsync(request.SamlAssertion!, request.PrincipalArn!, ct).ConfigureAwait(false);
        if (!validated.Succeeded)
        {
            return await DenyAsync(validated.Error, action, "Saml" + validated.Error.WireCode, null, info, request.RoleArn, null, ct, request.PrincipalArn).ConfigureAwait(false);
        }

        var a = validated.Value;
        var notAuthorized = new StsError(StsErrorCode.AccessDenied, "Not authorized to perform sts:AssumeRoleWithSAML");
        if (!a.Roles.Any(r => r.RoleArn == request.RoleArn && r.ProviderArn == request.PrincipalArn))
        {
            return await DenyAsync(notAuthorized, action, "RoleNotInAssertion", null, info, request.RoleArn, null, ct, a.ProviderArn).ConfigureAwait(false);
        }

        if (a.RoleSessionName is not { Length: >= 2 and <= 64 } sessionName || !sessionName.All(StsPatterns.IsNameChar))
        {
            return await DenyAsync(new StsError(StsErrorCode.InvalidIdentityToken, "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"), action, "BadRoleSessionName", null, info, request.RoleArn, null, ct, a.ProviderArn).ConfigureAwait(false);
        }

        var providerArn = Arn.Parse(a.ProviderArn);
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["saml:aud"] = [a.Recipient],
            ["saml:iss"] = [a.Issuer],
            ["saml:sub"] = [a.Subject],
            ["saml:sub_type"] = [SubjectType(a.SubjectFormat)],
            ["saml:namequalifier"] = [NameQualifier(a.Issuer, providerArn.Account, providerArn.ResourceName)],
            ["saml:doc"] = [providerArn.Account + "/" + providerArn.ResourceName],
        };
        foreach (var (k, vals) in a.ConditionKeys)
        {
            keys[k] = vals;
        }

        var subject = new FederatedSubject(a.ProviderArn, a.Subject, sessionName, a.PrincipalTags, a.TransitiveTagKeys, a.SourceIdentity, a.MultiFactor, keys, a.SessionDuration, a.SessionNotOnOrAfter);
        var issued = await AssumeFederatedAsync(action, subject, request.RoleArn!, request.DurationSeconds, request.Policy, request.PolicyArns, info, notAuthorized, ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Error;
        }

        var (creds, user, packed, sourceIdentity) = issued.Value;
        return new AssumeRoleWithSamlResult(creds, user, packed, a.Subject, SubjectType(a.SubjectFormat), a.Issuer, a.Recipient, keys["saml:namequalifier"][0], sourceIdentity);
    }

    /// <summary>AssumeRoleWithWebIdentity (STS-SPEC §1.3): unauthenticated; the validated ID token is the authentication.</summary>
    public async Task<StsOutcome<AssumeRoleWithWebIdentityResult>> AssumeRoleWithWebIdentityAsync(AssumeRoleWithWebIdentityRequest request, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:AssumeRoleWithWebIdentity";

        var v = new ParameterValidator();
        v.Required("roleArn", request.RoleArn);
        v.Length("roleArn", request.RoleArn, 20, 2048);
        v.ArnChars("roleArn", request.RoleArn);
        v.Required("roleSessionName", request.RoleSessionName);
        v.Length("roleSessionName", request.RoleSessionName, 2, 64);
        v.Pattern("roleSessionName", request.RoleSessionName, StsPatterns.IsNameChar, StsPatterns.NamePattern);
        v.Required("webIdentityToken", request.WebIdentityToken);
        v.Length("webIdentityToken", request.WebIdentityToken, 4, 20000, sensitive: true);
        v.Length("providerId", request.ProviderId, 4, 2048);
        v.Range("durationSeconds", request.DurationSeconds, 900, 43200);
        ValidateSessionPolicyParameters(v, request.Policy, request.PolicyArns, policyMax: 2048);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", null, info, request.RoleArn, null, ct).ConfigureAwait(false);
        }

        if (request.ProviderId is not null)
        {
            return await DenyAsync(new StsError(StsErrorCode.InvalidParameterValue, "ProviderId is only for OAuth 2.0 access tokens of built-in providers, which this service does not accept; pass an OpenID Connect ID token without ProviderId."), action, "ProviderIdUnsupported", null, info, request.RoleArn, null, ct).ConfigureAwait(false);
        }

        if (!Arn.TryParse(request.RoleArn, out var roleArn) || !roleArn.TryGetAccountId(out var roleAccount))
        {
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{request.RoleArn}' at 'roleArn' failed to satisfy constraint: Member must be a role ARN"), action, "ValidationError", null, info, request.RoleArn, null, ct).ConfigureAwait(false);
        }

        var validated = await _webIdentity.ValidateAsync(request.WebIdentityToken!, roleAccount.Value, ct).ConfigureAwait(false);
        if (!validated.Succeeded)
        {
            return await DenyAsync(validated.Error, action, "WebIdentity" + validated.Error.WireCode, null, info, request.RoleArn, null, ct).ConfigureAwait(false);
        }

        var t = validated.Value;
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            [t.ProviderName + ":aud"] = [t.Audience],
            [t.ProviderName + ":sub"] = [t.Subject],
            [t.ProviderName + ":amr"] = t.Amr,
        };
        foreach (var (k, vals) in t.ConditionKeys)
        {
            keys[k] = vals;
        }

        var notAuthorized = new StsError(StsErrorCode.AccessDenied, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        var subject = new FederatedSubject(t.ProviderArn, t.Subject, request.RoleSessionName!, t.PrincipalTags, t.TransitiveTagKeys, t.SourceIdentity, t.MultiFactor, keys, null, null);
        var issued = await AssumeFederatedAsync(action, subject, request.RoleArn!, request.DurationSeconds, request.Policy, request.PolicyArns, info, notAuthorized, ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Error;
        }

        var (creds, user, packed, sourceIdentity) = issued.Value;
        return new AssumeRoleWithWebIdentityResult(creds, t.Subject, user, packed, t.ProviderArn, t.Audience, sourceIdentity);
    }

    /// <summary>A person authenticated by an identity provider, as the trust evaluation sees them.</summary>
    /// <param name="ProviderArn">The provider ARN: the Federated principal, and aws:FederatedProvider of the session.</param>
    /// <param name="Subject">The subject (NameID or sub) for audit.</param>
    /// <param name="SessionName">The role session name.</param>
    /// <param name="Tags">Session tags passed by the IdP.</param>
    /// <param name="TransitiveTagKeys">Transitive tag keys passed by the IdP.</param>
    /// <param name="SourceIdentity">Source identity passed by the IdP.</param>
    /// <param name="MultiFactor">MFA done at a trusted IdP.</param>
    /// <param name="Keys">Provider condition keys (saml:*, provider:*, portal:*).</param>
    /// <param name="MaxSeconds">An upper bound from the IdP (SessionDuration attribute).</param>
    /// <param name="NotAfter">An absolute end from the IdP (SessionNotOnOrAfter).</param>
    public sealed record FederatedSubject(
        string ProviderArn,
        string Subject,
        string SessionName,
        IReadOnlyList<Tag> Tags,
        IReadOnlyList<string> TransitiveTagKeys,
        string? SourceIdentity,
        bool MultiFactor,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Keys,
        int? MaxSeconds,
        DateTimeOffset? NotAfter);

    /// <summary>
    /// The shared tail of AssumeRoleWithSAML, AssumeRoleWithWebIdentity and the portal's own federated sign-in: trust
    /// evaluation for a Federated principal, durations, session policies and tags, minting.
    /// </summary>
    public async Task<StsOutcome<(IssuedCredentials Credentials, AssumedRoleUser User, int? PackedPolicySize, string? SourceIdentity)>> AssumeFederatedAsync(
        string action,
        FederatedSubject subject,
        string roleArn,
        int? durationSeconds,
        string? policy,
        IReadOnlyList<string> policyArns,
        RequestInfo info,
        StsError notAuthorized,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(notAuthorized);
        var who = subject.ProviderArn + "/" + subject.Subject;
        var role = await _policies.GetRoleAsync(roleArn, ct).ConfigureAwait(false);
        if (role is null)
        {
            return await DenyAsync(notAuthorized, action, "NoSuchRole", null, info, roleArn, null, ct, who).ConfigureAwait(false);
        }

        var duration = durationSeconds ?? 3600;
        if (duration > role.Role.MaxSessionDuration)
        {
            return await DenyAsync(new StsError(StsErrorCode.ValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), action, "MaxSessionDuration", null, info, roleArn, null, ct, who).ConfigureAwait(false);
        }

        if (subject.MaxSeconds is { } idpMax)
        {
            duration = Math.Min(duration, idpMax);
        }

        var sessionPolicies = await LoadSessionPoliciesAsync(policy, policyArns, role.Role.AccountId, ct).ConfigureAwait(false);
        if (!sessionPolicies.Succeeded)
        {
            return await DenyAsync(sessionPolicies.Error, action, sessionPolicies.Error.WireCode, null, info, roleArn, null, ct, who).ConfigureAwait(false);
        }

        if (SessionTags.ValidateSemantics(subject.Tags, subject.TransitiveTagKeys, []) is { } tagError)
        {
            return await DenyAsync(new StsError(StsErrorCode.InvalidIdentityToken, tagError.Message), action, "BadSessionTags", null, info, roleArn, null, ct, who).ConfigureAwait(false);
        }

        var packed = PackedSize(policy, policyArns, subject.Tags);
        if (packed > 100)
        {
            return await DenyAsync(PackedTooLarge(packed.Value), action, "PackedPolicyTooLarge", null, info, roleArn, null, ct, who).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var ctx = FederatedTrustContext(action, subject, roleArn, role.Role, info, now);

        // Trust policies are evaluated on their own for Federated principals: there is no caller identity policy.
        var trust = new NamedPolicy("trust policy of " + roleArn, role.TrustPolicy);
        var decision = PolicyEvaluator.Evaluate([trust], ctx);
        if (decision.Effect != PolicyEffect.Allow)
        {
            return await DenyAsync(notAuthorized, action, decision.Effect == PolicyEffect.ExplicitDeny ? "ExplicitDeny" : "TrustPolicyDenied", null, info, roleArn, Describe(decision.DecidingStatement), ct, who).ConfigureAwait(false);
        }

        foreach (var extra in ExtraTrustActions(subject.Tags.Count > 0 || subject.TransitiveTagKeys.Count > 0, subject.SourceIdentity is not null))
        {
            ctx.Action = extra;
            var extraDecision = PolicyEvaluator.Evaluate([trust], ctx);
            if (extraDecision.Effect != PolicyEffect.Allow)
            {
                return await DenyAsync(new StsError(StsErrorCode.AccessDenied, $"Not authorized to perform {extra}"), action, "TrustPolicyDenied", null, info, roleArn, Describe(extraDecision.DecidingStatement), ct, who).ConfigureAwait(false);
            }
        }

        var account = AccountId.Parse(role.Role.AccountId);
        var expires = now.AddSeconds(duration);
        if (subject.NotAfter is { } notAfter && notAfter < expires)
        {
            expires = notAfter;
        }

        var template = new SessionClaims
        {
            SessionId = string.Empty,
            AccessKeyId = string.Empty,
            SecretAccessKey = string.Empty,
            Kind = SessionKind.AssumedRole,
            AccountId = role.Role.AccountId,
            Arn = Arn.AssumedRole(account, role.Role.Name, subject.SessionName).ToString(),
            PrincipalId = role.Role.Id + ":" + subject.SessionName,
            SourcePrincipalArn = role.Role.Arn,
            SourcePrincipalId = role.Role.Id,
            SessionName = subject.SessionName,
            InlineSessionPolicy = policy,
            SessionPolicyArns = policyArns,
            Tags = subject.Tags.Select(t => new SessionTag(t.Key, t.Value)).ToList(),
            TransitiveTagKeys = subject.TransitiveTagKeys,
            SourceIdentity = subject.SourceIdentity,
            MfaAuthenticatedAt = subject.MultiFactor ? now : null,
            IssuedAt = now,
            ExpiresAt = expires,
            FederatedProvider = subject.ProviderArn,
            FederationKeys = subject.Keys,
        };
        var issued = await MintAsync(template, action, who, null, info, roleArn, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            return issued.Error;
        }

        return (issued.Value, new AssumedRoleUser(template.PrincipalId, template.Arn), packed, template.SourceIdentity);
    }

    /// <summary>
    /// The trust-policy request context of a Federated principal (STS-SPEC §7.9): shared by issuance and by the portal's
    /// "which roles admit me" evaluation, so both see the same keys.
    /// </summary>
    private static RequestContext FederatedTrustContext(string action, FederatedSubject subject, string roleArn, RoleInfo role, RequestInfo info, DateTimeOffset now)
    {
        var ctx = new RequestContext(action, roleArn) { Principal = PolicyPrincipal.Federated(subject.ProviderArn) };
        ConditionKeys.AddRequestKeys(ctx, info, now);
        ctx.Set("aws:PrincipalType", "WebIdentityUser");
        ctx.Set("aws:FederatedProvider", subject.ProviderArn);
        ctx.Set("aws:MultiFactorAuthPresent", subject.MultiFactor ? "true" : "false");
        ctx.Set("sts:RoleSessionName", subject.SessionName);
        if (subject.SourceIdentity is not null)
        {
            ctx.Set("sts:SourceIdentity", subject.SourceIdentity);
        }

        foreach (var (k, vals) in subject.Keys)
        {
            ctx.Set(k, vals);
        }

        AddTagKeys(ctx, subject.Tags, subject.TransitiveTagKeys);
        foreach (var t in role.Tags)
        {
            ctx.Set("aws:ResourceTag/" + t.Key, t.Value);
        }

        return ctx;
    }

    /// <summary>SubjectType: the NameID format with the SAML 2.0 prefix removed (STS-SPEC §1.2); saml:sub_type.</summary>
    public static string SubjectType(string? format) =>
        format is null ? "unspecified"
        : format.StartsWith(NameIdFormatPrefix, StringComparison.Ordinal) ? format[NameIdFormatPrefix.Length..]
        : format;

    /// <summary>NameQualifier = Base64(SHA-1(Issuer + AccountId + "/" + ProviderName)) (STS-SPEC §1.2); saml:namequalifier.</summary>
    public static string NameQualifier(string issuer, string accountId, string providerName)
    {
#pragma warning disable CA5350 // SHA-1 is what the wire format specifies; it is an identifier, not a security control.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(issuer + accountId + "/" + providerName));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }
}
