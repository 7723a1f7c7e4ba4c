namespace Portal.Core.Iam;

/// <summary>A tag on a user, role or session: key case-preserving, compared case-insensitively.</summary>
public sealed record Tag(string Key, string Value);

/// <summary>An account as the portal shows it.</summary>
public sealed record AccountInfo(string Id, string? Alias, DateTimeOffset CreatedAt);

/// <summary>An IAM user (read model; no secrets).</summary>
public sealed record UserInfo(string Id, string AccountId, string Name, string Path, string Arn, IReadOnlyList<Tag> Tags, bool HasConsolePassword, DateTimeOffset CreatedAt);

/// <summary>A role (read model).</summary>
public sealed record RoleInfo(
    string Id,
    string AccountId,
    string Name,
    string Path,
    string Arn,
    string? Description,
    string TrustPolicy,
    int MaxSessionDuration,
    IReadOnlyList<Tag> Tags,
    DateTimeOffset CreatedAt);

/// <summary>A long-term access key's metadata (the secret is shown once, at creation).</summary>
public sealed record AccessKeyInfo(string AccessKeyId, string AccountId, string? UserId, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A newly created access key with its secret, returned exactly once.</summary>
public sealed record NewAccessKey(AccessKeyInfo Key, string SecretAccessKey);

/// <summary>A named inline policy.</summary>
public sealed record InlinePolicyInfo(string OwnerId, string Name, string Document);

/// <summary>A customer-managed policy.</summary>
public sealed record ManagedPolicyInfo(string Id, string AccountId, string Name, string Path, string Arn, string? Description, string Document, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A registered identity provider.</summary>
public sealed record IdentityProviderInfo(string Arn, string AccountId, string Kind, string Name, string? MetadataXml, IReadOnlyList<string> ClientIds, IReadOnlyList<string> Thumbprints, DateTimeOffset CreatedAt);

/// <summary>What a long-term access key resolves to, for request signing.</summary>
public sealed record LongTermCredential(string AccessKeyId, string AccountId, string? UserId, string SecretAccessKey, bool IsActive);
