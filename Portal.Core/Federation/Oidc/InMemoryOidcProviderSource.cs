using System.Collections.Concurrent;
using Portal.Core.Identity;

namespace Portal.Core.Federation.Oidc;

/// <summary>An <see cref="IOidcProviderSource"/> held in memory, for tests and single-node development.</summary>
public sealed class InMemoryOidcProviderSource : IOidcProviderSource
{
    private readonly ConcurrentDictionary<(string AccountId, string Issuer), OidcProviderConfig> _providers = new();

    /// <summary>Registers (or replaces) a provider; its ARN must name <paramref name="accountId"/>.</summary>
    public void Add(string accountId, OidcProviderConfig provider)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(provider);
        provider.Validate();
        if (Arn.Parse(provider.ProviderArn).Account != accountId)
        {
            throw new ArgumentException($"Provider {provider.ProviderArn} does not belong to account {accountId}.", nameof(provider));
        }

        _providers[(accountId, provider.Issuer)] = provider;
    }

    /// <inheritdoc />
    public Task<OidcProviderConfig?> FindByIssuerAsync(string accountId, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(issuer);
        return Task.FromResult(_providers.GetValueOrDefault((accountId, issuer)));
    }
}
