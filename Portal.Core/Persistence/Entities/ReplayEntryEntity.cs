namespace Portal.Core.Persistence.Entities;

/// <summary>A one-time-use marker (SAML assertion ids, console sign-in tokens), shared by all nodes.</summary>
public sealed class ReplayEntryEntity
{
    /// <summary>"saml-assertion", "signin-token" …, plus the id: the key.</summary>
    public required string Key { get; set; }

    /// <summary>After this time the entry may be purged (the thing it guards has expired).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
