namespace Portal.Core.Persistence.Entities;

/// <summary>A session-token sealing key, wrapped under the master key.</summary>
public sealed class TokenKeyEntity
{
    /// <summary>The key id written into token headers.</summary>
    public required string KeyId { get; set; }

    /// <summary>The wrapped key material.</summary>
    public required byte[] WrappedKey { get; set; }

    /// <summary>When the key was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key became the signing key.</summary>
    public DateTimeOffset ActivatedAt { get; set; }

    /// <summary>When the key stopped signing (verify-only from then on).</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
