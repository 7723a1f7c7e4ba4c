namespace Portal.Core.Persistence.Entities;

/// <summary>A long-term access key ("AKIA…") of an IAM user or of an account's root.</summary>
public sealed class AccessKeyEntity
{
    /// <summary>The access key id.</summary>
    public required string Id { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The owning user's unique id, or null for the account root.</summary>
    public string? UserId { get; set; }

    /// <summary>The secret access key, encrypted at rest.</summary>
    public required byte[] SecretCiphertext { get; set; }

    /// <summary>True when the key may sign requests.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>When the key was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key last signed a request (approximate).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
