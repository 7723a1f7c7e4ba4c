namespace Portal.Core.Signing;

/// <summary>
/// Looks up the secret for an access key id: long-term keys from the store, temporary keys from their
/// session token. Implemented by the host.
/// </summary>
public interface ISigningSecretResolver
{
    /// <summary>Resolves the secret and principal for a key id and optional session token.</summary>
    /// <param name="accessKeyId">The access key id from the credential scope (syntax already checked).</param>
    /// <param name="sessionToken">The <c>X-Amz-Security-Token</c>, if the request carried one.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The resolution; <see cref="SigningSecretStatus.Unknown"/> when the key or token is not recognised.</returns>
    ValueTask<SigningSecretResolution> ResolveAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken);
}
