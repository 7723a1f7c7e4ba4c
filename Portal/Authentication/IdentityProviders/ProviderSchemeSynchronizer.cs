using Portal.Authentication.Oidc;
using Portal.Authentication.Saml2;

namespace Portal.Authentication.IdentityProviders;

/// <summary>
/// Keeps the SAML and OIDC sign-in schemes in step with the registered providers: whenever the registry reports a change
/// (a provider created or deleted through any door — IAM API, admin pages), both scheme sets are re-synchronised, so a
/// new provider signs people in at once, without a restart. Changes arriving during a sync cause exactly one more sync.
/// </summary>
public sealed partial class ProviderSchemeSynchronizer : IHostedService, IDisposable
{
    private readonly IdentityProviderRegistry _registry;
    private readonly SamlProviderSchemes _saml;
    private readonly OidcProviderSchemes _oidc;
    private readonly ILogger<ProviderSchemeSynchronizer> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _pending;

    /// <summary>Creates the synchronizer.</summary>
    public ProviderSchemeSynchronizer(IdentityProviderRegistry registry, SamlProviderSchemes saml, OidcProviderSchemes oidc, ILogger<ProviderSchemeSynchronizer> logger)
    {
        _registry = registry;
        _saml = saml;
        _oidc = oidc;
        _logger = logger;
    }

    /// <summary>Synchronises both scheme sets now (and again if another change arrives meanwhile).</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _pending, 1);
        if (!await _gate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            // The running sync will see the pending flag and run once more.
            return;
        }

        try
        {
            while (Interlocked.Exchange(ref _pending, 0) == 1)
            {
                await _saml.SyncAsync(cancellationToken).ConfigureAwait(false);
                await _oidc.SyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.Changed += OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registry.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private void OnChanged() => _ = RunAsync();

    private async Task RunAsync()
    {
        try
        {
            await SyncAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed sync must not crash the process; the periodic SAML refresh and the next change retry.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSyncFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Synchronising the identity-provider sign-in schemes failed.")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
