namespace Portal.Core.Persistence.Entities;

/// <summary>A customer-managed policy, attachable by ARN.</summary>
public sealed class ManagedPolicyEntity
{
    /// <summary>The unique id ("ANPA…").</summary>
    public required string Id { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The policy name.</summary>
    public required string Name { get; set; }

    /// <summary>The IAM path.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The policy's ARN.</summary>
    public required string Arn { get; set; }

    /// <summary>A description.</summary>
    public string? Description { get; set; }

    /// <summary>The policy document (default version).</summary>
    public required string Document { get; set; }

    /// <summary>When the policy was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the document last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
