using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Persistence;

namespace Portal.Authentication.Saml2;

/// <summary>
/// Keeps one authentication scheme per SAML provider registered in the database (<c>saml:</c> + name). Call
/// <see cref="SyncAsync"/> after adding, changing or deleting a provider (the admin UI does); every node also re-reads
/// the providers every <see cref="Saml2ServiceProviderOptions.ProviderRefreshInterval"/>, and once at start-up.
/// </summary>
public sealed class SamlProviderSchemes : IDisposable
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly IAuthenticationSchemeProvider _schemes;
    private readonly IOptionsMonitorCache<Saml2Options> _optionsCache;
    private readonly ILogger<SamlProviderSchemes> _logger;
    private readonly ConcurrentDictionary<string, SamlProviderRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sync = new(1, 1);

    /// <summary>Creates the registry.</summary>
    public SamlProviderSchemes(IDbContextFactory<PortalDbContext> dbFactory, IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<Saml2Options> optionsCache, ILogger<SamlProviderSchemes> logger)
    {
        _dbFactory = dbFactory;
        _schemes = schemes;
        _optionsCache = optionsCache;
        _logger = logger;
    }

    /// <summary>The providers that currently have a scheme, by scheme name.</summary>
    public IReadOnlyDictionary<string, SamlProviderRegistration> Registrations => _registrations;

    /// <summary>The registration behind a scheme, or null.</summary>
    public SamlProviderRegistration? Find(string? schemeName) =>
        schemeName is not null && _registrations.TryGetValue(schemeName, out var registration) ? registration : null;

    /// <summary>
    /// Reads every SAML provider from the database and adds, refreshes or removes schemes to match. A provider whose
    /// metadata cannot be used (no signing key, no HTTP-Redirect SSO) gets no scheme and a warning; a name used in two
    /// accounts keeps the earliest registration.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        await _sync.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = await LoadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var name in _registrations.Keys.Except(wanted.Keys).ToList())
            {
                _schemes.RemoveScheme(name);
                _registrations.TryRemove(name, out _);
                _optionsCache.TryRemove(name);
                Log.SchemeRemoved(_logger, name);
            }

            foreach (var (name, registration) in wanted)
            {
                if (_registrations.TryGetValue(name, out var existing) && existing.Fingerprint == registration.Fingerprint)
                {
                    continue;
                }

                _registrations[name] = registration;
                _optionsCache.TryRemove(name);
                if (existing is null)
                {
                    _schemes.AddScheme(new AuthenticationScheme(name, registration.Settings.DisplayName ?? registration.Name, typeof(Saml2Handler)));
                    Log.SchemeAdded(_logger, name);
                }
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _sync.Dispose();

    private async Task<Dictionary<string, SamlProviderRegistration>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entities = await db.IdentityProviders.AsNoTracking().Where(p => p.Kind == "SAML")
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var wanted = new Dictionary<string, SamlProviderRegistration>(StringComparer.Ordinal);
        foreach (var entity in entities.OrderBy(e => e.CreatedAt).ThenBy(e => e.Arn, StringComparer.Ordinal))
        {
            if (!SamlProviderRegistration.TryCreate(entity, out var registration, out var error))
            {
                Log.ProviderSkipped(_logger, entity.Arn, error);
            }
            else if (registration.IdentityProvider.SsoRedirectUrls.Count == 0)
            {
                Log.ProviderSkipped(_logger, entity.Arn, "The metadata lists no HTTP-Redirect SingleSignOnService.");
            }
            else if (!wanted.TryAdd(registration.SchemeName, registration))
            {
                Log.ProviderSkipped(_logger, entity.Arn, "Another account registered a SAML provider with the same name first.");
            }
        }

        return wanted;
    }
}

/// <summary>Runs <see cref="SamlProviderSchemes.SyncAsync"/> before the server accepts requests, then periodically.</summary>
internal sealed class SamlProviderSchemesService(
    SamlProviderSchemes schemes, IOptions<Saml2ServiceProviderOptions> options, TimeProvider timeProvider, ILogger<SamlProviderSchemesService> logger)
    : BackgroundService, IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => schemes.SyncAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ProviderRefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                await schemes.SyncAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbUpdateException ex)
            {
                Log.SyncFailed(logger, ex);
            }
            catch (InvalidOperationException ex)
            {
                Log.SyncFailed(logger, ex);
            }
        }
    }
}
