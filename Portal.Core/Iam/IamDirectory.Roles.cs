using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Identity;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;
using Portal.Core.Policies;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

public sealed partial class IamDirectory
{
    /// <summary>Role MaxSessionDuration bounds (IAM roleMaxSessionDurationType).</summary>
    public const int MinRoleSessionDuration = 3600;

    /// <summary>Role MaxSessionDuration upper bound.</summary>
    public const int MaxRoleSessionDuration = 43200;

    /// <summary>Creates a role with its trust policy.</summary>
    public async Task<StsOutcome<RoleInfo>> CreateRoleAsync(
        AccountId account,
        string name,
        string trustPolicy,
        string? path = null,
        string? description = null,
        int? maxSessionDuration = null,
        IReadOnlyList<Tag>? tags = null,
        CancellationToken ct = default)
    {
        if (IamNames.ValidateEntityName(name, "roleName") is { } e1)
        {
            return e1;
        }

        if (IamNames.ValidatePath(path, "path") is { } e2)
        {
            return e2;
        }

        if (ValidateMaxSessionDuration(maxSessionDuration) is { } e3)
        {
            return e3;
        }

        if (PolicyChecks.Validate(trustPolicy, PolicyKind.Trust) is { } e4)
        {
            return e4;
        }

        path ??= "/";
        await using var db = _dbFactory.CreateDbContext();
        if (!await db.Accounts.AnyAsync(a => a.Id == account.Value, ct).ConfigureAwait(false))
        {
            return Fail<RoleInfo>(StsErrorCode.NoSuchEntity, $"The account {account} cannot be found.");
        }

        var normalized = IamNames.Normalize(name);
        if (await db.Roles.AnyAsync(r => r.AccountId == account.Value && r.NormalizedName == normalized, ct).ConfigureAwait(false))
        {
            return Fail<RoleInfo>(StsErrorCode.EntityAlreadyExists, $"Role with name {name} already exists.");
        }

        var entity = new RoleEntity
        {
            Id = UniqueIds.New(IdPrefixes.Role),
            AccountId = account.Value,
            Name = name,
            NormalizedName = normalized,
            Path = path,
            Arn = Arn.Role(account, path, name).ToString(),
            Description = description,
            TrustPolicy = trustPolicy,
            MaxSessionDuration = maxSessionDuration ?? MinRoleSessionDuration,
            TagsJson = SerializeTags(tags),
            CreatedAt = _time.GetUtcNow(),
        };
        db.Roles.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(entity);
    }

    /// <summary>Finds a role by name.</summary>
    public async Task<RoleInfo?> FindRoleAsync(AccountId account, string name, CancellationToken ct = default)
    {
        var normalized = IamNames.Normalize(name);
        await using var db = _dbFactory.CreateDbContext();
        var r = await db.Roles.AsNoTracking().FirstOrDefaultAsync(x => x.AccountId == account.Value && x.NormalizedName == normalized, ct).ConfigureAwait(false);
        return r is null ? null : ToInfo(r);
    }

    /// <summary>Lists the roles of an account, or of every account when <paramref name="account"/> is null.</summary>
    public async Task<IReadOnlyList<RoleInfo>> ListRolesAsync(AccountId? account, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var q = db.Roles.AsNoTracking();
        if (account is { } a)
        {
            q = q.Where(r => r.AccountId == a.Value);
        }

        var rows = await q.ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).Select(ToInfo).ToList();
    }

    /// <summary>Changes a role's description and maximum session duration.</summary>
    public async Task<StsOutcome<RoleInfo>> UpdateRoleAsync(AccountId account, string name, string? description, int? maxSessionDuration, CancellationToken ct = default)
    {
        if (ValidateMaxSessionDuration(maxSessionDuration) is { } e)
        {
            return e;
        }

        return await MutateRoleAsync(account, name, r =>
        {
            if (description is not null)
            {
                r.Description = description;
            }

            if (maxSessionDuration is { } m)
            {
                r.MaxSessionDuration = m;
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Replaces a role's trust policy.</summary>
    public async Task<StsOutcome<RoleInfo>> UpdateAssumeRolePolicyAsync(AccountId account, string name, string trustPolicy, CancellationToken ct = default)
    {
        if (PolicyChecks.Validate(trustPolicy, PolicyKind.Trust) is { } e)
        {
            return e;
        }

        return await MutateRoleAsync(account, name, r => r.TrustPolicy = trustPolicy, ct).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces tags on a role.</summary>
    public Task<StsOutcome<RoleInfo>> TagRoleAsync(AccountId account, string name, IReadOnlyList<Tag> tags, CancellationToken ct = default) =>
        MutateRoleAsync(account, name, r =>
        {
            var merged = DeserializeTags(r.TagsJson).Where(t => !tags.Any(n => string.Equals(n.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(tags).ToList();
            r.TagsJson = SerializeTags(merged);
        }, ct);

    /// <summary>Removes tags from a role.</summary>
    public Task<StsOutcome<RoleInfo>> UntagRoleAsync(AccountId account, string name, IReadOnlyList<string> keys, CancellationToken ct = default) =>
        MutateRoleAsync(account, name, r =>
        {
            var kept = DeserializeTags(r.TagsJson).Where(t => !keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).ToList();
            r.TagsJson = SerializeTags(kept);
        }, ct);

    /// <summary>Deletes a role that has no policies left (DeleteConflict otherwise, as IAM).</summary>
    public async Task<StsOutcome<bool>> DeleteRoleAsync(AccountId account, string name, CancellationToken ct = default)
    {
        var normalized = IamNames.Normalize(name);
        await using var db = _dbFactory.CreateDbContext();
        var r = await db.Roles.FirstOrDefaultAsync(x => x.AccountId == account.Value && x.NormalizedName == normalized, ct).ConfigureAwait(false);
        if (r is null)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The role with name {name} cannot be found.");
        }

        if (await db.InlinePolicies.AnyAsync(p => p.OwnerId == r.Id, ct).ConfigureAwait(false)
            || await db.PolicyAttachments.AnyAsync(p => p.OwnerId == r.Id, ct).ConfigureAwait(false))
        {
            return Fail<bool>(StsErrorCode.DeleteConflict, "Cannot delete entity, must delete policies first.");
        }

        db.Roles.Remove(r);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return true;
    }

    // ---- inline and managed policies ------------------------------------------------------------------------------

    /// <summary>Adds or replaces an inline policy of a role or user (by unique id).</summary>
    public async Task<StsOutcome<InlinePolicyInfo>> PutInlinePolicyAsync(string ownerId, string policyName, string document, CancellationToken ct = default)
    {
        if (IamNames.ValidatePolicyName(policyName, "policyName") is { } e1)
        {
            return e1;
        }

        if (PolicyChecks.Validate(document, PolicyKind.Identity) is { } e2)
        {
            return e2;
        }

        await using var db = _dbFactory.CreateDbContext();
        if (!await OwnerExistsAsync(db, ownerId, ct).ConfigureAwait(false))
        {
            return Fail<InlinePolicyInfo>(StsErrorCode.NoSuchEntity, "The user or role cannot be found.");
        }

        var existing = await db.InlinePolicies.FirstOrDefaultAsync(p => p.OwnerId == ownerId && p.Name == policyName, ct).ConfigureAwait(false);
        if (existing is null)
        {
            db.InlinePolicies.Add(new InlinePolicyEntity { OwnerId = ownerId, Name = policyName, Document = document });
        }
        else
        {
            existing.Document = document;
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return new InlinePolicyInfo(ownerId, policyName, document);
    }

    /// <summary>Lists the inline policies of a role or user.</summary>
    public async Task<IReadOnlyList<InlinePolicyInfo>> ListInlinePoliciesAsync(string ownerId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.InlinePolicies.AsNoTracking().Where(p => p.OwnerId == ownerId).ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new InlinePolicyInfo(p.OwnerId, p.Name, p.Document)).ToList();
    }

    /// <summary>Deletes an inline policy.</summary>
    public async Task<StsOutcome<bool>> DeleteInlinePolicyAsync(string ownerId, string policyName, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.InlinePolicies.Where(p => p.OwnerId == ownerId && p.Name == policyName).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (n == 0)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The role policy with name {policyName} cannot be found.");
        }

        OnChanged();
        return true;
    }

    /// <summary>Creates a customer-managed policy.</summary>
    public async Task<StsOutcome<ManagedPolicyInfo>> CreateManagedPolicyAsync(AccountId account, string name, string document, string? path = null, string? description = null, CancellationToken ct = default)
    {
        if (IamNames.ValidatePolicyName(name, "policyName") is { } e1)
        {
            return e1;
        }

        if (IamNames.ValidatePath(path, "path") is { } e2)
        {
            return e2;
        }

        if (PolicyChecks.Validate(document, PolicyKind.Identity) is { } e3)
        {
            return e3;
        }

        path ??= "/";
        var arn = Arn.Policy(account, path, name).ToString();
        await using var db = _dbFactory.CreateDbContext();
        if (await db.ManagedPolicies.AnyAsync(p => p.Arn == arn, ct).ConfigureAwait(false))
        {
            return Fail<ManagedPolicyInfo>(StsErrorCode.EntityAlreadyExists, $"A policy called {name} already exists. Duplicate names are not allowed.");
        }

        var now = _time.GetUtcNow();
        var entity = new ManagedPolicyEntity
        {
            Id = UniqueIds.New(IdPrefixes.ManagedPolicy),
            AccountId = account.Value,
            Name = name,
            Path = path,
            Arn = arn,
            Description = description,
            Document = document,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ManagedPolicies.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(entity);
    }

    /// <summary>Finds a managed policy by ARN.</summary>
    public async Task<ManagedPolicyInfo?> FindManagedPolicyAsync(string arn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var p = await db.ManagedPolicies.AsNoTracking().FirstOrDefaultAsync(x => x.Arn == arn, ct).ConfigureAwait(false);
        return p is null ? null : ToInfo(p);
    }

    /// <summary>Attaches a managed policy to a role or user.</summary>
    public async Task<StsOutcome<bool>> AttachPolicyAsync(string ownerId, string policyArn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        if (!await OwnerExistsAsync(db, ownerId, ct).ConfigureAwait(false))
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, "The user or role cannot be found.");
        }

        if (!await db.ManagedPolicies.AnyAsync(p => p.Arn == policyArn, ct).ConfigureAwait(false))
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"Policy {policyArn} does not exist or is not attachable.");
        }

        if (!await db.PolicyAttachments.AnyAsync(a => a.OwnerId == ownerId && a.PolicyArn == policyArn, ct).ConfigureAwait(false))
        {
            if (await db.PolicyAttachments.CountAsync(a => a.OwnerId == ownerId, ct).ConfigureAwait(false) >= 20)
            {
                return Fail<bool>(StsErrorCode.LimitExceeded, "Cannot exceed quota for PoliciesPerRole: 20");
            }

            db.PolicyAttachments.Add(new PolicyAttachmentEntity { OwnerId = ownerId, PolicyArn = policyArn });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            OnChanged();
        }

        return true;
    }

    /// <summary>Detaches a managed policy.</summary>
    public async Task<StsOutcome<bool>> DetachPolicyAsync(string ownerId, string policyArn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.PolicyAttachments.Where(a => a.OwnerId == ownerId && a.PolicyArn == policyArn).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (n == 0)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"Policy {policyArn} was not found.");
        }

        OnChanged();
        return true;
    }

    /// <summary>Lists the managed policies attached to a role or user.</summary>
    public async Task<IReadOnlyList<ManagedPolicyInfo>> ListAttachedPoliciesAsync(string ownerId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await (from a in db.PolicyAttachments.AsNoTracking()
                          join p in db.ManagedPolicies.AsNoTracking() on a.PolicyArn equals p.Arn
                          where a.OwnerId == ownerId
                          select p).ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(p => p.Name, StringComparer.Ordinal).Select(ToInfo).ToList();
    }

    private static StsError? ValidateMaxSessionDuration(int? value)
    {
        if (value is { } v && v is < MinRoleSessionDuration or > MaxRoleSessionDuration)
        {
            var bound = v < MinRoleSessionDuration ? "greater than or equal to 3600" : "less than or equal to 43200";
            return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{v}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {bound}");
        }

        return null;
    }

    private static async Task<bool> OwnerExistsAsync(PortalDbContext db, string ownerId, CancellationToken ct) =>
        await db.Roles.AnyAsync(r => r.Id == ownerId, ct).ConfigureAwait(false)
        || await db.Users.AnyAsync(u => u.Id == ownerId, ct).ConfigureAwait(false);

    private async Task<StsOutcome<RoleInfo>> MutateRoleAsync(AccountId account, string name, Action<RoleEntity> mutate, CancellationToken ct)
    {
        var normalized = IamNames.Normalize(name);
        await using var db = _dbFactory.CreateDbContext();
        var r = await db.Roles.FirstOrDefaultAsync(x => x.AccountId == account.Value && x.NormalizedName == normalized, ct).ConfigureAwait(false);
        if (r is null)
        {
            return Fail<RoleInfo>(StsErrorCode.NoSuchEntity, $"The role with name {name} cannot be found.");
        }

        mutate(r);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(r);
    }
}
