namespace Portal.Core.Signing;

/// <summary>What a <see cref="ISigningSecretResolver"/> found for an access key id.</summary>
public enum SigningSecretStatus
{
    /// <summary>The key (and token, if any) is valid; the secret is known.</summary>
    Found,

    /// <summary>No such key, or the session token does not decode or does not belong to the key.</summary>
    Unknown,

    /// <summary>The session the token belongs to has expired.</summary>
    Expired,

    /// <summary>The key or session was revoked.</summary>
    Revoked,

    /// <summary>The key exists but is disabled.</summary>
    Inactive,
}

/// <summary>The outcome of resolving an access key id (and session token) to its signing secret.</summary>
public sealed class SigningSecretResolution
{
    private static readonly SigningSecretResolution UnknownInstance = new(SigningSecretStatus.Unknown, null, null);
    private static readonly SigningSecretResolution RevokedInstance = new(SigningSecretStatus.Revoked, null, null);
    private static readonly SigningSecretResolution InactiveInstance = new(SigningSecretStatus.Inactive, null, null);

    private SigningSecretResolution(SigningSecretStatus status, string? secret, object? principalState)
    {
        Status = status;
        Secret = secret;
        PrincipalState = principalState;
    }

    /// <summary>What was found.</summary>
    public SigningSecretStatus Status { get; }

    /// <summary>The secret access key, when <see cref="SigningSecretStatus.Found"/> (or an expired session that still knows it).</summary>
    public string? Secret { get; }

    /// <summary>Host-defined principal data handed back in the verification result.</summary>
    public object? PrincipalState { get; }

    /// <summary>The key is valid.</summary>
    /// <param name="secret">The secret access key.</param>
    /// <param name="principalState">Host data to carry to the caller (e.g. the principal record).</param>
    /// <returns>The resolution.</returns>
    public static SigningSecretResolution Found(string secret, object? principalState)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new(SigningSecretStatus.Found, secret, principalState);
    }

    /// <summary>The key or token is not recognised.</summary>
    public static SigningSecretResolution Unknown => UnknownInstance;

    /// <summary>The key or session was revoked.</summary>
    public static SigningSecretResolution Revoked => RevokedInstance;

    /// <summary>The key is disabled.</summary>
    public static SigningSecretResolution Inactive => InactiveInstance;

    /// <summary>
    /// The session has expired. When the secret is still known (a sealed token decodes), pass it: the
    /// signature is then checked first, so only the key holder learns that the session expired (STS-SPEC §5.5).
    /// </summary>
    /// <param name="secret">The session's secret, if still known.</param>
    /// <returns>The resolution.</returns>
    public static SigningSecretResolution Expired(string? secret = null) => new(SigningSecretStatus.Expired, secret, null);
}
