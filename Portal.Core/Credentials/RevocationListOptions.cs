namespace Portal.Core.Credentials;

/// <summary>Settings of the <see cref="RevocationList"/>.</summary>
public sealed record RevocationListOptions
{
    /// <summary>
    /// Longest age of the in-memory snapshot before a verify reloads it (default 5 s): the delay after which a
    /// revocation made on another node takes effect here.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Lifetime of principal and role revocations (default 129 600 s, the longest session): every session they
    /// can match has expired by then. Keep equal to <see cref="TokenKeyRingOptions.MaxTokenLifetime"/>.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromSeconds(129_600);
}
