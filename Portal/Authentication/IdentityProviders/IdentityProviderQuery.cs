using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Authentication.IdentityProviders;

/// <summary>
/// Read-only provider reads for sign-in (one context per call). IamDirectory owns provider changes; this stays a query so
/// the sign-in pages never hold a DbContext (STYLE anti-pattern 1).
/// </summary>
internal sealed class IdentityProviderQuery
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    public IdentityProviderQuery(IDbContextFactory<PortalDbContext> dbFactory) => _dbFactory = dbFactory;

    public async Task<IReadOnlyList<RegisteredIdentityProvider>> ListAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.IdentityProviders.AsNoTracking()
            .Select(p => new { p.Arn, p.AccountId, p.Kind, p.Name, p.SettingsJson })
            .ToListAsync(ct).ConfigureAwait(false);
        return rows
            .OrderBy(p => p.Arn, StringComparer.Ordinal)
            .Select(p =>
            {
                var scheme = IdentityProviderRegistry.SchemeFor(p.Kind, p.Name);
                return new RegisteredIdentityProvider(p.Arn, p.AccountId, p.Kind, p.Name, DisplayName(p.SettingsJson) ?? scheme[(scheme.IndexOf(':', StringComparison.Ordinal) + 1)..], scheme);
            })
            .ToList();
    }

    private static string? DisplayName(string settingsJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(settingsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("displayName", out var name)
                && name.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(name.GetString())
                ? name.GetString()
                : null;
        }
        catch (JsonException)
        {
            // Note: a malformed settings document must not take the sign-in page down; the provider keeps its default label.
            return null;
        }
    }
}
