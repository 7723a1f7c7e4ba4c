namespace Portal.Core.Persistence.Entities;

/// <summary>A managed policy attached to a user or a role.</summary>
public sealed class PolicyAttachmentEntity
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>The unique id of the user or role.</summary>
    public required string OwnerId { get; set; }

    /// <summary>The attached policy's ARN.</summary>
    public required string PolicyArn { get; set; }
}
