namespace Portal.Core.Persistence.Entities;

/// <summary>A customer-download profile: GetFederationToken as an IAM user with a per-person policy (README "Customer downloads").</summary>
public sealed class FederationProfileEntity
{
    /// <summary>The profile id ("fp-" + 32 hex).</summary>
    public required string Id { get; set; }

    /// <summary>The display name, unique.</summary>
    public required string Name { get; set; }

    /// <summary>An optional description shown to customers.</summary>
    public string? Description { get; set; }

    /// <summary>The bounding IAM user's account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The bounding IAM user's unique id (a re-created user of the same name is a different user).</summary>
    public required string UserId { get; set; }

    /// <summary>The session-policy template with <c>${portal:…}</c> variables.</summary>
    public required string PolicyTemplate { get; set; }

    /// <summary>The session duration in seconds (900–129600).</summary>
    public int DurationSeconds { get; set; }

    /// <summary>IdP groups allowed to use the profile, one per line.</summary>
    public string AllowedGroups { get; set; } = string.Empty;

    /// <summary>People allowed to use the profile (portal subject, or IAM user name/ARN), one per line.</summary>
    public string AllowedPeople { get; set; } = string.Empty;

    /// <summary>When the profile was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the profile was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
