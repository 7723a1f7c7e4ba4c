using Portal.Core.Identity;
using Portal.Core.Policies;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

/// <summary>A change to an IAM user that may take away their portal administration (SECURITY-CASES 104g (5)).</summary>
public sealed record AdministratorChange
{
    private AdministratorChange(Func<string, IReadOnlyList<NamedPolicy>, IReadOnlyList<NamedPolicy>>? policies, bool removesSignIn)
    {
        Policies = policies;
        RemovesSignIn = removesSignIn;
    }

    /// <summary>The user is deleted (IAM DeleteUser).</summary>
    public static AdministratorChange DeleteUser { get; } = new(null, removesSignIn: true);

    /// <summary>The user's console password is removed (IAM DeleteLoginProfile): they can no longer sign in to administer.</summary>
    public static AdministratorChange DeleteLoginProfile { get; } = new(null, removesSignIn: true);

    internal Func<string, IReadOnlyList<NamedPolicy>, IReadOnlyList<NamedPolicy>>? Policies { get; }

    internal bool RemovesSignIn { get; }

    /// <summary>An inline policy is added or replaced (IAM PutUserPolicy); a document that does not parse grants nothing.</summary>
    public static AdministratorChange PutInlinePolicy(string policyName, PolicyDocument? document) =>
        new((user, current) =>
        {
            var source = PolicySource.InlineSource("user/" + user, policyName);
            var kept = current.Where(p => p.Source != source).ToList();
            if (document is not null)
            {
                kept.Add(new NamedPolicy(source, document));
            }

            return kept;
        }, removesSignIn: false);

    /// <summary>An inline policy is removed (IAM DeleteUserPolicy).</summary>
    public static AdministratorChange DeleteInlinePolicy(string policyName) =>
        new((user, current) => current.Where(p => p.Source != PolicySource.InlineSource("user/" + user, policyName)).ToList(), removesSignIn: false);

    /// <summary>A managed policy is attached (IAM AttachUserPolicy): it can carry a Deny.</summary>
    public static AdministratorChange AttachPolicy(NamedPolicy policy) =>
        new((_, current) => [.. current.Where(p => p.Source != policy.Source), policy], removesSignIn: false);

    /// <summary>A managed policy is detached (IAM DetachUserPolicy).</summary>
    public static AdministratorChange DetachPolicy(string policyArn) =>
        new((_, current) => current.Where(p => p.Source != policyArn).ToList(), removesSignIn: false);
}

/// <summary>
/// Refuses a change that would leave the portal without an administrator (SECURITY-CASES 104g (5)). An administrator
/// here is someone who can still sign in and administer: an IAM user with a console password (login profile) whose
/// policies allow <c>portal:Administer</c>, evaluated as at sign-in; or anyone in a configured administrators group,
/// so when such a group exists nothing is refused. A change that does not take administration away from its user is
/// never refused, even when no administrator exists.
/// </summary>
public sealed class AdministratorGuard
{
    /// <summary>The IAM action that makes a user a portal administrator.</summary>
    public const string AdministerAction = "portal:Administer";

    /// <summary>The message of the refusal.</summary>
    public const string LastAdministratorMessage =
        "Cannot remove the last portal administrator: no other IAM user with a console password is allowed portal:Administer and no administrator group is configured. Make someone else an administrator first.";

    private readonly IamDirectory _directory;
    private readonly PolicySource _policies;
    private readonly TimeProvider _time;
    private readonly Func<bool> _administratorGroupsConfigured;

    /// <summary>Creates the guard; <paramref name="administratorGroupsConfigured"/> says whether <c>Portal:AdministratorGroups</c> names any group.</summary>
    public AdministratorGuard(IamDirectory directory, PolicySource policies, TimeProvider time, Func<bool> administratorGroupsConfigured)
    {
        _directory = directory;
        _policies = policies;
        _time = time;
        _administratorGroupsConfigured = administratorGroupsConfigured;
    }

    /// <summary>Null when <paramref name="change"/> to <paramref name="user"/> may proceed; DeleteConflict when it would remove the last administrator.</summary>
    public async Task<StsError?> CheckAsync(UserInfo user, AdministratorChange change, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(change);
        if (_administratorGroupsConfigured() || !user.HasConsolePassword)
        {
            return null;
        }

        var current = await _policies.GetUserPoliciesAsync(user.Id, user.Name, ct).ConfigureAwait(false);
        if (!Allows(user, current))
        {
            return null;
        }

        if (!change.RemovesSignIn && change.Policies is { } after && Allows(user, after(user.Name, current)))
        {
            return null;
        }

        foreach (var account in await _directory.ListAccountsAsync(ct).ConfigureAwait(false))
        {
            foreach (var other in await _directory.ListUsersAsync(AccountId.Parse(account.Id), ct).ConfigureAwait(false))
            {
                if (other.Id != user.Id && other.HasConsolePassword
                    && Allows(other, await _policies.GetUserPoliciesAsync(other.Id, other.Name, ct).ConfigureAwait(false)))
                {
                    return null;
                }
            }
        }

        return new StsError(StsErrorCode.DeleteConflict, LastAdministratorMessage);
    }

    /// <summary>
    /// Whether <paramref name="policies"/> allow the user <c>portal:Administer</c> on <c>*</c>, with the context the engine
    /// builds for an IAM user without request data (as CurrentPrincipalValidator re-checks it).
    /// </summary>
    private bool Allows(UserInfo user, IReadOnlyList<NamedPolicy> policies)
    {
        var ctx = StsEngine.BuildContext(Caller.ForUser(user, accessKeyId: null), new RequestInfo(), AdministerAction, "*", _time.GetUtcNow());
        return PolicyEvaluator.Authorize(new AuthorizationRequest(ctx) { IdentityPolicies = policies }).Allowed;
    }
}
