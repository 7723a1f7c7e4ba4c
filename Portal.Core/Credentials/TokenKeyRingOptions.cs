namespace Portal.Core.Credentials;

/// <summary>Settings of the session-token key ring.</summary>
public sealed record TokenKeyRingOptions
{
    /// <summary>
    /// The longest lifetime any session token can have (default 129 600 s = 36 h, the GetSessionToken/
    /// GetFederationToken maximum, STS-SPEC §1.0.3). A retired key is purged once this has passed, because every
    /// token it signed has expired by then.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromSeconds(129_600);

    /// <summary>
    /// Minimum time between reloads triggered by a token naming an unknown key id (default 30 s), so random key
    /// ids cannot turn into one database query per request.
    /// </summary>
    public TimeSpan UnknownKeyReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}
