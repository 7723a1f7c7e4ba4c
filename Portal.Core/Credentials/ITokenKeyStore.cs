namespace Portal.Core.Credentials;

/// <summary>
/// One persisted session-token key. <see cref="WrappedKey"/> is the key material encrypted under a master-key
/// subkey with <see cref="KeyId"/> as associated data; the plaintext key is never stored (SECURITY-CASES 94).
/// </summary>
/// <param name="KeyId">Short random id carried in the clear in every token header.</param>
/// <param name="WrappedKey">AES-GCM envelope of the 32-byte key.</param>
/// <param name="CreatedAt">When the key was generated.</param>
/// <param name="ActivatedAt">From when the key may sign new tokens.</param>
/// <param name="RetiredAt">When the key became verify-only; null while it may still sign.</param>
public sealed record TokenKeyRecord(
    string KeyId,
    byte[] WrappedKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatedAt,
    DateTimeOffset? RetiredAt);

/// <summary>Persistence of the session-token key ring (implemented with EF Core by the storage layer).</summary>
public interface ITokenKeyStore
{
    /// <summary>Every stored key, retired ones included.</summary>
    Task<IReadOnlyList<TokenKeyRecord>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a key; false when a key with the same id already exists (insert conflict).</summary>
    Task<bool> TryAddAsync(TokenKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Sets the retire time of a key; does nothing if the key is gone.</summary>
    Task UpdateRetiredAtAsync(string keyId, DateTimeOffset retiredAt, CancellationToken cancellationToken);

    /// <summary>Deletes a key; does nothing if the key is gone.</summary>
    Task DeleteAsync(string keyId, CancellationToken cancellationToken);
}
