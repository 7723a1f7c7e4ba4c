using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// The IAM Query API subset (version 2010-05-08) for automation and bootstrap. Shapes, result wrappers and error codes
/// follow the IAM service model (botocore <c>iam/2010-05-08/service-2.json</c>). Every action is scoped to the caller's
/// account and authorized through <see cref="StsEngine.IdentityDeniedAsync"/> as <c>iam:ACTION</c> on the resource ARN.
/// </summary>
public sealed partial class IamApi
{
    private static readonly Dictionary<string, Func<IamApi, IamRequest, Task<StsOutcome<string>>>> Handlers = new(StringComparer.Ordinal)
    {
        ["CreateUser"] = (a, r) => a.CreateUserAsync(r),
        ["GetUser"] = (a, r) => a.GetUserAsync(r),
        ["ListUsers"] = (a, r) => a.ListUsersAsync(r),
        ["DeleteUser"] = (a, r) => a.DeleteUserAsync(r),
        ["PutUserPolicy"] = (a, r) => a.PutUserPolicyAsync(r),
        ["DeleteUserPolicy"] = (a, r) => a.DeleteUserPolicyAsync(r),
        ["AttachUserPolicy"] = (a, r) => a.AttachUserPolicyAsync(r),
        ["DetachUserPolicy"] = (a, r) => a.DetachUserPolicyAsync(r),
        ["DeleteLoginProfile"] = (a, r) => a.DeleteLoginProfileAsync(r),
        ["CreateAccessKey"] = (a, r) => a.CreateAccessKeyAsync(r),
        ["ListAccessKeys"] = (a, r) => a.ListAccessKeysAsync(r),
        ["UpdateAccessKey"] = (a, r) => a.UpdateAccessKeyAsync(r),
        ["DeleteAccessKey"] = (a, r) => a.DeleteAccessKeyAsync(r),
        ["CreateRole"] = (a, r) => a.CreateRoleAsync(r),
        ["GetRole"] = (a, r) => a.GetRoleAsync(r),
        ["ListRoles"] = (a, r) => a.ListRolesAsync(r),
        ["UpdateRole"] = (a, r) => a.UpdateRoleAsync(r),
        ["UpdateAssumeRolePolicy"] = (a, r) => a.UpdateAssumeRolePolicyAsync(r),
        ["DeleteRole"] = (a, r) => a.DeleteRoleAsync(r),
        ["TagRole"] = (a, r) => a.TagRoleAsync(r),
        ["UntagRole"] = (a, r) => a.UntagRoleAsync(r),
        ["PutRolePolicy"] = (a, r) => a.PutRolePolicyAsync(r),
        ["GetRolePolicy"] = (a, r) => a.GetRolePolicyAsync(r),
        ["ListRolePolicies"] = (a, r) => a.ListRolePoliciesAsync(r),
        ["DeleteRolePolicy"] = (a, r) => a.DeleteRolePolicyAsync(r),
        ["CreatePolicy"] = (a, r) => a.CreatePolicyAsync(r),
        ["GetPolicy"] = (a, r) => a.GetPolicyAsync(r),
        ["AttachRolePolicy"] = (a, r) => a.AttachRolePolicyAsync(r),
        ["DetachRolePolicy"] = (a, r) => a.DetachRolePolicyAsync(r),
        ["ListAttachedRolePolicies"] = (a, r) => a.ListAttachedRolePoliciesAsync(r),
        ["CreateSAMLProvider"] = (a, r) => a.CreateSamlProviderAsync(r),
        ["GetSAMLProvider"] = (a, r) => a.GetSamlProviderAsync(r),
        ["UpdateSAMLProvider"] = (a, r) => a.UpdateSamlProviderAsync(r),
        ["ListSAMLProviders"] = (a, r) => a.ListSamlProvidersAsync(r),
        ["DeleteSAMLProvider"] = (a, r) => a.DeleteProviderAsync(r, "SAMLProviderArn", "sAMLProviderArn", IamDirectory.SamlProviderKind),
        ["CreateOpenIDConnectProvider"] = (a, r) => a.CreateOidcProviderAsync(r),
        ["GetOpenIDConnectProvider"] = (a, r) => a.GetOidcProviderAsync(r),
        ["ListOpenIDConnectProviders"] = (a, r) => a.ListOidcProvidersAsync(r),
        ["DeleteOpenIDConnectProvider"] = (a, r) => a.DeleteProviderAsync(r, "OpenIDConnectProviderArn", "openIDConnectProviderArn", IamDirectory.OidcProviderKind),
        ["CreateVirtualMFADevice"] = (a, r) => a.CreateVirtualMfaDeviceAsync(r),
        ["EnableMFADevice"] = (a, r) => a.EnableMfaDeviceAsync(r),
        ["DeactivateMFADevice"] = (a, r) => a.DeactivateMfaDeviceAsync(r),
        ["ListMFADevices"] = (a, r) => a.ListMfaDevicesAsync(r),
        ["DeleteVirtualMFADevice"] = (a, r) => a.DeleteVirtualMfaDeviceAsync(r),
    };

    private readonly IamDirectory _directory;
    private readonly StsEngine _engine;
    private readonly MfaService _mfa;
    private readonly PolicySource _policies;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly AdministratorGuard _guard;

    /// <summary>
    /// Creates the API over the identity directory, the engine's authorizer, the MFA service, the audit log, and the
    /// last-administrator guard (administrator groups from <c>Portal:AdministratorGroups</c>).
    /// </summary>
    public IamApi(
        IamDirectory directory,
        StsEngine engine,
        MfaService mfa,
        PolicySource policies,
        IAuditSink audit,
        TimeProvider time,
        IOptionsMonitor<PortalAdministratorOptions> administrators)
    {
        ArgumentNullException.ThrowIfNull(administrators);
        _directory = directory;
        _engine = engine;
        _mfa = mfa;
        _policies = policies;
        _audit = audit;
        _time = time;
        _guard = new AdministratorGuard(directory, policies, time, () => administrators.CurrentValue.AdministratorGroups.Count > 0);
    }

    /// <summary>True for the IAM actions this service implements.</summary>
    public static bool IsKnownAction(string action) => Handlers.ContainsKey(action);

    /// <summary>Dispatches an authenticated IAM action; the result is the response document or the error to send.</summary>
    public Task<StsOutcome<string>> DispatchAsync(string action, QueryParameters parameters, Caller caller, RequestInfo info, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(info);
        if (!Handlers.TryGetValue(action, out var handler))
        {
            return Task.FromResult(StsOutcome<string>.Failure(StsErrorCode.InvalidAction, $"Could not find operation {action} for version {StsApi.IamVersion}"));
        }

        // Tags on these resources are not stored here yet: refuse them clearly rather than accept and drop them.
        if (UntaggableActions.Contains(action) && parameters.Names.Any(n => n.StartsWith("Tags.member.", StringComparison.Ordinal)))
        {
            return Task.FromResult(StsOutcome<string>.Failure(StsErrorCode.InvalidInput, $"Tags are not supported on {action} by this service; tag users and roles instead."));
        }

        var request = new IamRequest(action, parameters, caller, info, AccountId.Parse(caller.AccountId), ct);
        return Audited.TryGetValue(action, out var snapshot) ? AuditedAsync(handler, snapshot, request) : handler(this, request);
    }

    private static readonly HashSet<string> UntaggableActions = new(StringComparer.Ordinal)
    {
        "CreatePolicy", "CreateSAMLProvider", "CreateOpenIDConnectProvider", "CreateVirtualMFADevice",
    };

    /// <summary>Null when the caller may perform <c>iam:ACTION</c> on <paramref name="resource"/>; the AccessDenied error otherwise.</summary>
    private Task<StsError?> DeniedAsync(IamRequest r, string resource) =>
        _engine.IdentityDeniedAsync(r.Caller, "iam:" + r.Action, resource, r.Info, r.Ct);

    /// <summary>A response with no result element (IAM actions without an output shape).</summary>
    private static string Empty(IamRequest r)
    {
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace, hasResult: false);
        return x.End();
    }

    /// <summary>
    /// The user an action without <c>UserName</c> applies to: IAM "determines the user name implicitly based on the access
    /// key signing the request". Root yields (null, root ARN); a session of an IAM user (GetSessionToken) yields that user;
    /// any other session must name the user.
    /// </summary>
    private async Task<StsOutcome<(UserInfo? User, string Arn)>> SelfAsync(IamRequest r)
    {
        var c = r.Caller;
        string? userId = c.Kind switch
        {
            CallerKind.User => c.UserId,
            CallerKind.Session when c.Session!.Kind == SessionKind.SessionToken && c.Session.SourcePrincipalId.StartsWith(IdPrefixes.User, StringComparison.Ordinal) => c.Session.SourcePrincipalId,
            _ => null,
        };
        if (c.Kind == CallerKind.Root)
        {
            return (null, Arn.Root(r.Account).ToString());
        }

        var user = userId is null ? null : await _directory.FindUserByIdAsync(userId, r.Ct).ConfigureAwait(false);
        if (user is null)
        {
            return new StsError(StsErrorCode.ValidationError, "Must specify userName when calling with non-User credentials");
        }

        return (user, user.Arn);
    }

    /// <summary>
    /// Looks up a named user of the caller's account and authorizes the action on its ARN. The check runs before the
    /// existence answer, so a caller without the permission cannot probe which users exist.
    /// </summary>
    private async Task<StsOutcome<UserInfo>> AuthorizedUserAsync(IamRequest r, string name)
    {
        if (IamNames.ValidateEntityName(name, "userName", 128) is { } invalid)
        {
            return invalid;
        }

        var user = await _directory.FindUserAsync(r.Account, name, r.Ct).ConfigureAwait(false);
        if (await DeniedAsync(r, user?.Arn ?? Arn.User(r.Account, "/", name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        return user is null ? new StsError(StsErrorCode.NoSuchEntity, $"The user with name {name} cannot be found.") : user;
    }

    /// <summary>The user named by <c>UserName</c>, or the caller itself (null user for root), authorized.</summary>
    private async Task<StsOutcome<(UserInfo? User, string Arn)>> AuthorizedUserOrSelfAsync(IamRequest r)
    {
        if (r.P["UserName"] is { } name)
        {
            var named = await AuthorizedUserAsync(r, name).ConfigureAwait(false);
            return named.Succeeded ? (named.Value, named.Value.Arn) : named.Error;
        }

        var self = await SelfAsync(r).ConfigureAwait(false);
        if (!self.Succeeded)
        {
            return self.Error;
        }

        if (await DeniedAsync(r, self.Value.Arn).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        return self;
    }

    /// <summary>A named role of the caller's account, authorized (the check runs before the existence answer).</summary>
    private async Task<StsOutcome<RoleInfo>> AuthorizedRoleAsync(IamRequest r)
    {
        if (r.Require("RoleName", "roleName", out var name) is { } missing)
        {
            return missing;
        }

        if (IamNames.ValidateEntityName(name, "roleName") is { } invalid)
        {
            return invalid;
        }

        var role = await _directory.FindRoleAsync(r.Account, name, r.Ct).ConfigureAwait(false);
        if (await DeniedAsync(r, role?.Arn ?? Arn.Role(r.Account, "/", name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        return role is null ? new StsError(StsErrorCode.NoSuchEntity, $"The role with name {name} cannot be found.") : role;
    }

    /// <summary>Parses <c>Tags.member.N.Key/Value</c> against the IAM tagListType (at most 50; key 1..128, value 0..256).</summary>
    private static StsOutcome<IReadOnlyList<Tag>> ParseTags(IamRequest r, string name = "Tags")
    {
        var list = r.P.List(name);
        if (!list.Succeeded)
        {
            return list.Error;
        }

        if (list.Value.Count > 50)
        {
            return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        }

        var tags = new List<Tag>(list.Value.Count);
        foreach (var member in list.Value)
        {
            var key = member.GetValueOrDefault("Key");
            var value = member.GetValueOrDefault("Value");
            if (key is null || key.Length is < 1 or > 128 || value is null || value.Length > 256)
            {
                return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value at 'tags' failed to satisfy constraint: each tag needs a Key of 1 to 128 characters and a Value of at most 256 characters");
            }

            if (tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                return new StsError(StsErrorCode.InvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }

            tags.Add(new Tag(key, value));
        }

        return tags;
    }

    /// <summary>Parses a list of plain strings (<c>Name.member.N</c>).</summary>
    private static StsOutcome<IReadOnlyList<string>> ParseStrings(IamRequest r, string name)
    {
        var list = r.P.List(name);
        if (!list.Succeeded)
        {
            return list.Error;
        }

        var values = new List<string>(list.Value.Count);
        foreach (var member in list.Value)
        {
            if (!member.TryGetValue(string.Empty, out var value))
            {
                return new StsError(StsErrorCode.InvalidQueryParameter, $"The list {name} must hold plain values ({name}.member.N).");
            }

            values.Add(value);
        }

        return values;
    }

    /// <summary>Parses an optional integer parameter.</summary>
    private static StsOutcome<int?> ParseInt(IamRequest r, string name, string member)
    {
        var text = r.P[name];
        if (text is null)
        {
            return (int?)null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{text}' at '{member}' failed to satisfy constraint: Member must be an integer");
    }

    /// <summary>RFC 3986 percent-encoding, as IAM returns policy documents (the model documents them as URL-encoded JSON).</summary>
    private static string EncodePolicy(string document) => Uri.EscapeDataString(document);

    /// <summary>An ARN parameter that must name an entity of the caller's account.</summary>
    private static StsOutcome<Arn> ParseOwnArn(IamRequest r, string value, string notFound)
    {
        if (!Arn.TryParse(value, out var arn) || arn.Service != "iam")
        {
            return new StsError(StsErrorCode.InvalidInput, $"ARN {value} is not valid.");
        }

        // Everything is scoped to the caller's account: another account's ARN does not exist from here.
        return arn.Account == r.Account.Value ? arn : new StsError(StsErrorCode.NoSuchEntity, notFound);
    }
}

/// <summary>One IAM call: the action, its parameters, the authenticated caller and the caller's account.</summary>
internal sealed record IamRequest(string Action, QueryParameters P, Caller Caller, RequestInfo Info, AccountId Account, CancellationToken Ct)
{
    /// <summary>The first error of several checks that were all evaluated (so every <c>out</c> value is assigned).</summary>
    public static StsError? First(params StsError?[] errors) => errors.FirstOrDefault(e => e is not null);

    /// <summary>A required parameter: null when present, the IAM "must not be null" ValidationError otherwise.</summary>
    public StsError? Require(string name, string member, out string value)
    {
        var raw = P[name];
        value = raw ?? string.Empty;
        return raw is null
            ? new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null")
            : null;
    }
}
