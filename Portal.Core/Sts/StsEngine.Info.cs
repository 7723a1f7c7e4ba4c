using Portal.Core.Credentials;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

public sealed partial class StsEngine
{
    /// <summary>GetCallerIdentity (STS-SPEC §1.6, §4.7): never denied.</summary>
    public static CallerIdentity GetCallerIdentity(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            CallerKind.Root => new CallerIdentity(caller.AccountId, caller.AccountId, caller.Arn),
            CallerKind.User => new CallerIdentity(caller.UserId!, caller.AccountId, caller.Arn),
            _ => caller.Session!.Kind switch
            {
                SessionKind.SessionToken => new CallerIdentity(caller.Session.SourcePrincipalId, caller.AccountId, caller.Session.SourcePrincipalArn),
                _ => new CallerIdentity(caller.Session.PrincipalId, caller.AccountId, caller.Session.Arn),
            },
        };
    }

    /// <summary>GetAccessKeyInfo (STS-SPEC §1.7): the account owning a key id; needs <c>sts:GetAccessKeyInfo</c>.</summary>
    public async Task<StsOutcome<string>> GetAccessKeyInfoAsync(Caller caller, string? accessKeyId, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:GetAccessKeyInfo";
        var v = new ParameterValidator();
        v.Required("accessKeyId", accessKeyId);
        v.Length("accessKeyId", accessKeyId, 16, 128);
        v.Pattern("accessKeyId", accessKeyId, StsPatterns.IsWord, StsPatterns.AccessKeyPattern);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", caller, info, null, null, ct).ConfigureAwait(false);
        }

        if (await IdentityDeniedAsync(caller, action, "*", info, ct).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        if (AccessKeyIds.TryGetAccount(accessKeyId, out var account))
        {
            return account.Value;
        }

        var known = await _directory.ResolveAccessKeyAsync(accessKeyId!, ct).ConfigureAwait(false);
        if (known is not null)
        {
            return known.AccountId;
        }

        return new StsError(StsErrorCode.InvalidParameterValue, $"The access key id {accessKeyId} is not a valid access key id of this service.");
    }

    /// <summary>DecodeAuthorizationMessage (STS-SPEC §1.8): decodes the engine's own encoded denials; needs <c>sts:DecodeAuthorizationMessage</c>.</summary>
    public async Task<StsOutcome<string>> DecodeAuthorizationMessageAsync(Caller caller, string? encodedMessage, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(info);
        const string action = "sts:DecodeAuthorizationMessage";
        var v = new ParameterValidator();
        v.Required("encodedMessage", encodedMessage);
        v.Length("encodedMessage", encodedMessage, 1, 10240);
        if (v.ToError() is { } invalid)
        {
            return await DenyAsync(invalid, action, "ValidationError", caller, info, null, null, ct).ConfigureAwait(false);
        }

        if (await IdentityDeniedAsync(caller, action, "*", info, ct).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var decoded = _messages.TryDecode(encodedMessage!);
        return decoded is null
            ? new StsError(StsErrorCode.InvalidAuthorizationMessageException, "The encoded authorization message is invalid or was not issued by this service.")
            : decoded;
    }

    /// <summary>
    /// Evaluates whether a session may perform <paramref name="action"/> on <paramref name="resource"/> — the portal's
    /// simulator. Uses exactly the rules the engine applies to requests (role policies ∩ session policies, …).
    /// </summary>
    public async Task<AuthorizationDecision> EvaluateAsync(SessionClaims session, string action, string resource, IReadOnlyDictionary<string, IReadOnlyList<string>>? context = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var caller = Caller.ForSession(session);
        if (SessionRestriction(caller, action) is not null)
        {
            // The simulator must agree with IdentityDeniedAsync: what the session kind forbids, no policy can allow (§1.0.2).
            return new AuthorizationDecision(false, PolicyEffect.ImplicitDeny, null, "SessionRestriction");
        }

        var ctx = BuildContext(caller, new RequestInfo(), action, resource, _time.GetUtcNow());
        if (context is not null)
        {
            foreach (var (k, values) in context)
            {
                ctx.Set(k, values);
            }
        }

        return await AuthorizeAsync(caller, ctx, null, isTrust: false, session.AccountId, ct).ConfigureAwait(false);
    }

    /// <summary>Authorizes an identity-side permission for any caller (used by the IAM API as well); null when allowed.</summary>
    public async Task<StsError?> IdentityDeniedAsync(Caller caller, string action, string resource, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(info);
        var ctx = BuildContext(caller, info, action, resource, _time.GetUtcNow());
        if (SessionRestriction(caller, action) is { } restricted)
        {
            return await DenyAsync(new StsError(StsErrorCode.AccessDenied, $"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource} because {restricted}"), action, "SessionRestriction", caller, info, resource, null, ct).ConfigureAwait(false);
        }

        var decision = await AuthorizeAsync(caller, ctx, null, isTrust: false, caller.AccountId, ct).ConfigureAwait(false);
        if (decision.Allowed)
        {
            return null;
        }

        return await DenyAsync(new StsError(StsErrorCode.AccessDenied, DeniedMessage(caller, ctx, decision)), action, decision.Reason, caller, info, resource, Describe(decision.DecidingStatement), ct).ConfigureAwait(false);
    }

    /// <summary>What the kind of session itself forbids (STS-SPEC §1.0.2, "restrictions carried by the resulting credentials").</summary>
    private static string? SessionRestriction(Caller caller, string action)
    {
        if (caller.Session is not { } s)
        {
            return null;
        }

        var isSts = action.StartsWith("sts:", StringComparison.OrdinalIgnoreCase);
        var isIam = action.StartsWith("iam:", StringComparison.OrdinalIgnoreCase);
        return s.Kind switch
        {
            SessionKind.FederatedUser when isSts || isIam => "federation-token sessions may call no IAM API and no STS API but GetCallerIdentity",
            SessionKind.SessionToken when isSts && !action.Equals("sts:AssumeRole", StringComparison.OrdinalIgnoreCase) => "GetSessionToken sessions may call only AssumeRole and GetCallerIdentity in STS",
            SessionKind.SessionToken when isIam && s.MfaAuthenticatedAt is null => "GetSessionToken sessions may call IAM only when the session was authenticated with MFA",
            _ => null,
        };
    }
}
