namespace Portal.Core.Persistence.Entities;

/// <summary>An IAM user with long-term credentials.</summary>
public sealed class UserEntity
{
    /// <summary>The unique id ("AIDA…").</summary>
    public required string Id { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The user name (unique per account, case-insensitively).</summary>
    public required string Name { get; set; }

    /// <summary>The name as compared for uniqueness (upper-invariant).</summary>
    public required string NormalizedName { get; set; }

    /// <summary>The IAM path, "/" by default.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The user's ARN.</summary>
    public required string Arn { get; set; }

    /// <summary>Tags as a JSON array of {Key,Value}.</summary>
    public string TagsJson { get; set; } = "[]";

    /// <summary>Console password hash (break-glass sign-in), when the user has a login profile.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Consecutive failed console sign-ins.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Console sign-in is refused until this time.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>When the user was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
