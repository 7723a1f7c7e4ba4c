using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;
using Portal.Core.Policies;

namespace Portal.Core.Iam;

/// <summary>A role with its parsed trust policy and identity (permission) policies, as the engine evaluates it.</summary>
public sealed record RoleSnapshot(RoleInfo Role, PolicyDocument TrustPolicy, IReadOnlyList<NamedPolicy> IdentityPolicies);

/// <summary>
/// Loads roles and users with their policies already parsed, for evaluation on the hot path. Parsed documents are cached
/// by text; snapshots for a short time (and dropped on any local change), because permissions are evaluated on every
/// request and a change must reach existing sessions quickly (SECURITY-CASES case 93b).
/// </summary>
public sealed class PolicySource
{
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(2);

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Text, PolicyKind Kind), PolicyDocument> _parsed = new();
    private readonly ConcurrentDictionary<string, (RoleSnapshot? Snapshot, DateTimeOffset At)> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<NamedPolicy> Policies, DateTimeOffset At)> _users = new(StringComparer.Ordinal);

    /// <summary>Creates the source and subscribes to directory changes.</summary>
    public PolicySource(IDbContextFactory<PortalDbContext> dbFactory, IamDirectory directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _dbFactory = dbFactory;
        _time = time;
        directory.Changed += Invalidate;
    }

    /// <summary>Drops cached snapshots (parsed documents stay: they are keyed by their text).</summary>
    public void Invalidate()
    {
        _roles.Clear();
        _users.Clear();
    }

    /// <summary>Parses a document, caching by text; null when it does not parse.</summary>
    public PolicyDocument? Parse(string text, PolicyKind kind)
    {
        if (_parsed.TryGetValue((text, kind), out var doc))
        {
            return doc;
        }

        var result = PolicyDocument.Parse(text, kind);
        if (!result.Succeeded)
        {
            return null;
        }

        if (_parsed.Count > 10_000)
        {
            _parsed.Clear();
        }

        _parsed[(text, kind)] = result.Document;
        return result.Document;
    }

    /// <summary>Loads a role by ARN (exact, with path), or null when there is none.</summary>
    public async Task<RoleSnapshot?> GetRoleAsync(string roleArn, CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        if (_roles.TryGetValue(roleArn, out var cached) && now - cached.At < SnapshotLifetime)
        {
            return cached.Snapshot;
        }

        await using var db = _dbFactory.CreateDbContext();
        var role = await db.Roles.AsNoTracking().FirstOrDefaultAsync(r => r.Arn == roleArn, ct).ConfigureAwait(false);
        RoleSnapshot? snapshot = null;
        if (role is not null)
        {
            var trust = Parse(role.TrustPolicy, PolicyKind.Trust);
            if (trust is not null)
            {
                var info = new RoleInfo(role.Id, role.AccountId, role.Name, role.Path, role.Arn, role.Description, role.TrustPolicy, role.MaxSessionDuration, IamDirectory.DeserializeTags(role.TagsJson), role.CreatedAt);
                var policies = await LoadIdentityPoliciesAsync(db, role.Id, $"role/{role.Name}", ct).ConfigureAwait(false);
                snapshot = new RoleSnapshot(info, trust, policies);
            }
        }

        _roles[roleArn] = (snapshot, now);
        return snapshot;
    }

    /// <summary>The identity policies of an IAM user (inline and attached).</summary>
    public async Task<IReadOnlyList<NamedPolicy>> GetUserPoliciesAsync(string userId, string userName, CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        if (_users.TryGetValue(userId, out var cached) && now - cached.At < SnapshotLifetime)
        {
            return cached.Policies;
        }

        await using var db = _dbFactory.CreateDbContext();
        var policies = await LoadIdentityPoliciesAsync(db, userId, $"user/{userName}", ct).ConfigureAwait(false);
        _users[userId] = (policies, now);
        return policies;
    }

    /// <summary>Loads managed policies by ARN for use as session policies; null entries for ARNs that do not exist.</summary>
    public async Task<IReadOnlyList<NamedPolicy?>> GetManagedPoliciesAsync(IReadOnlyList<string> arns, CancellationToken ct = default)
    {
        if (arns.Count == 0)
        {
            return [];
        }

        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.ManagedPolicies.AsNoTracking().Where(p => arns.Contains(p.Arn)).ToListAsync(ct).ConfigureAwait(false);
        return arns.Select(a =>
        {
            var row = rows.FirstOrDefault(r => r.Arn == a);
            var doc = row is null ? null : Parse(row.Document, PolicyKind.Identity);
            return doc is null ? null : new NamedPolicy(a, doc);
        }).ToList();
    }

    /// <summary>The <see cref="NamedPolicy.Source"/> of an inline policy of a user (<c>user/NAME</c>) or role.</summary>
    internal static string InlineSource(string ownerLabel, string policyName) => $"{ownerLabel} inline policy {policyName}";

    private async Task<IReadOnlyList<NamedPolicy>> LoadIdentityPoliciesAsync(PortalDbContext db, string ownerId, string ownerLabel, CancellationToken ct)
    {
        var inline = await db.InlinePolicies.AsNoTracking().Where(p => p.OwnerId == ownerId).ToListAsync(ct).ConfigureAwait(false);
        var managed = await (from a in db.PolicyAttachments.AsNoTracking()
                             join p in db.ManagedPolicies.AsNoTracking() on a.PolicyArn equals p.Arn
                             where a.OwnerId == ownerId
                             select p).ToListAsync(ct).ConfigureAwait(false);
        var result = new List<NamedPolicy>(inline.Count + managed.Count);
        foreach (var p in inline.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (Parse(p.Document, PolicyKind.Identity) is { } doc)
            {
                result.Add(new NamedPolicy(InlineSource(ownerLabel, p.Name), doc));
            }
        }

        foreach (var p in managed.OrderBy(p => p.Arn, StringComparer.Ordinal))
        {
            if (Parse(p.Document, PolicyKind.Identity) is { } doc)
            {
                result.Add(new NamedPolicy(p.Arn, doc));
            }
        }

        return result;
    }
}
