namespace Portal.Core.Persistence.Entities;

/// <summary>An IAM role: a trust policy, permission policies and a maximum session duration.</summary>
public sealed class RoleEntity
{
    /// <summary>The unique id ("AROA…").</summary>
    public required string Id { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The role name (unique per account, case-insensitively).</summary>
    public required string Name { get; set; }

    /// <summary>The name as compared for uniqueness (upper-invariant).</summary>
    public required string NormalizedName { get; set; }

    /// <summary>The IAM path, "/" by default.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The role's ARN (with path).</summary>
    public required string Arn { get; set; }

    /// <summary>A description shown to people choosing a role.</summary>
    public string? Description { get; set; }

    /// <summary>The trust (assume-role) policy document.</summary>
    public required string TrustPolicy { get; set; }

    /// <summary>Maximum session duration in seconds (3600..43200).</summary>
    public int MaxSessionDuration { get; set; } = 3600;

    /// <summary>Tags as a JSON array of {Key,Value}.</summary>
    public string TagsJson { get; set; } = "[]";

    /// <summary>When the role was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
