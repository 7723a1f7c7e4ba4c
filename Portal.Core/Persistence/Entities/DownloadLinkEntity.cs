namespace Portal.Core.Persistence.Entities;

/// <summary>A single-use download link: only the SHA-256 of its token is stored, never credentials.</summary>
public sealed class DownloadLinkEntity
{
    /// <summary>Lower-case hex SHA-256 of the link token: the key.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The profile the link downloads.</summary>
    public required string ProfileId { get; set; }

    /// <summary>The person who created the link (their sessions' IssuedTo); only they may use it.</summary>
    public required string OwnerIssuedTo { get; set; }

    /// <summary>The file format the link delivers (the host's format name).</summary>
    public required string Format { get; set; }

    /// <summary>The federated-user name the download will carry.</summary>
    public required string FederatedUserName { get; set; }

    /// <summary>When the link was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the link stops working.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the link was used; set once, atomically, by the node that serves it.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
