using Portal.Core.Iam;
using Portal.Core.Identity;

namespace Portal.Authentication.IdentityProviders;

/// <summary>
/// The identity providers people can sign in with, and the scheme-naming convention the SAML and OIDC handlers follow:
/// <c>saml:NAME</c> for a SAML provider, <c>oidc:HOST[/PATH]</c> (the IAM OIDC provider name) for an OIDC provider.
/// <see cref="Changed"/> fires after providers are added or removed, so handlers can add or remove schemes at run time.
/// </summary>
public sealed class IdentityProviderRegistry : IDisposable
{
    /// <summary>Scheme prefix of SAML providers.</summary>
    public const string SamlSchemePrefix = "saml:";

    /// <summary>Scheme prefix of OIDC providers.</summary>
    public const string OidcSchemePrefix = "oidc:";

    private readonly IdentityProviderQuery _query;
    private readonly IamDirectory _directory;

    internal IdentityProviderRegistry(IdentityProviderQuery query, IamDirectory directory)
    {
        _query = query;
        _directory = directory;
        _directory.Changed += NotifyChanged;
    }

    /// <summary>
    /// Raised after the directory reports a change (providers, roles or policies) or <see cref="NotifyChanged"/> is called.
    /// Handlers re-read <see cref="ListAsync"/> and diff against the schemes they registered.
    /// </summary>
    public event Action? Changed;

    /// <summary>The authentication scheme name of a provider of <paramref name="kind"/> ("SAML"/"OIDC") named <paramref name="name"/>.</summary>
    public static string SchemeFor(string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return kind.ToUpperInvariant() switch
        {
            IamKinds.Saml => SamlSchemePrefix + name,
            IamKinds.Oidc => OidcSchemePrefix + Arn.OidcProviderName(name),
            _ => throw new ArgumentException($"Unknown identity provider kind '{kind}'.", nameof(kind)),
        };
    }

    /// <summary>All registered providers, by ARN, with their display names and scheme names.</summary>
    public Task<IReadOnlyList<RegisteredIdentityProvider>> ListAsync(CancellationToken ct = default) => _query.ListAsync(ct);

    /// <summary>The provider with this ARN, or null.</summary>
    public async Task<RegisteredIdentityProvider?> FindAsync(string? arn, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        return (await ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => string.Equals(p.Arn, arn, StringComparison.Ordinal));
    }

    /// <summary>Raises <see cref="Changed"/>; for writers that change providers without going through IamDirectory.</summary>
    public void NotifyChanged() => Changed?.Invoke();

    /// <inheritdoc />
    public void Dispose() => _directory.Changed -= NotifyChanged;

    private static class IamKinds
    {
        internal const string Saml = "SAML";
        internal const string Oidc = "OIDC";
    }
}
