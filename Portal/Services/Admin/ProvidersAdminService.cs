using System.Globalization;
using System.Net;
using System.Text.Json;
using Portal.Authentication.Oidc;
using Portal.Authentication.Saml2;
using Portal.Core.Audit;
using Portal.Core.Federation.Saml;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Services.Admin;

/// <summary>
/// What the identity-providers admin page does: list, register and delete SAML and OIDC providers per account, with
/// their portal sign-in settings. Every change raises <see cref="IamDirectory.Changed"/>, on which
/// ProviderSchemeSynchronizer re-syncs the sign-in schemes, so nothing else needs calling. Every change is high risk (a new
/// or changed IdP decides who can sign in and assume roles trusting it), so each needs a fresh <see cref="HighRiskApproval"/>
/// of the acting administrator (SECURITY-CASES 104g); without one it is refused, changes nothing and is audited as denied.
/// </summary>
public sealed class ProvidersAdminService(
    IamDirectory directory,
    OidcSignInSettingsCodec codec,
    IHttpClientFactory httpClients,
    TimeProvider time,
    SamlMetadataFetcher metadataFetcher,
    IAuditSink audit)
{
    /// <summary>The audit action of a provider registered here.</summary>
    public const string RegisterAuditAction = "admin:CreateIdentityProvider";

    /// <summary>The audit action of a provider's metadata or sign-in settings changed here (edit or metadata refresh).</summary>
    public const string UpdateAuditAction = "admin:UpdateIdentityProvider";

    /// <summary>The audit action of a provider deleted here.</summary>
    public const string DeleteAuditAction = "admin:DeleteIdentityProvider";

    /// <summary>Certificates expiring within this window are flagged.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    private static readonly TimeSpan DiscoveryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The accounts providers can live in.</summary>
    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default) => directory.ListAccountsAsync(ct);

    /// <summary>The account's SAML then OIDC providers, with sign-in settings and (SAML) certificate expiry.</summary>
    public async Task<IReadOnlyList<ProviderSummary>> ListProvidersAsync(string accountId, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        var result = new List<ProviderSummary>();
        foreach (var p in await directory.ListProvidersAsync(account, IamDirectory.SamlProviderKind, ct).ConfigureAwait(false))
        {
            var json = await directory.GetProviderSettingsAsync(account, p.Arn, ct).ConfigureAwait(false);
            var preview = PreviewSaml(p.MetadataXml ?? string.Empty, out var error);
            var settingsOk = SamlProviderSettings.TryParse(json, out var settings);
            result.Add(new ProviderSummary(p, settings?.DisplayName, preview is not null && settingsOk, preview, error ?? (settingsOk ? null : "The sign-in settings are not valid JSON.")));
        }

        foreach (var p in await directory.ListProvidersAsync(account, IamDirectory.OidcProviderKind, ct).ConfigureAwait(false))
        {
            var settings = OidcSignInSettingsCodec.Read(await directory.GetProviderSettingsAsync(account, p.Arn, ct).ConfigureAwait(false));
            result.Add(new ProviderSummary(p, settings?.DisplayName, settings?.SignInEnabled ?? false, null, settings is null ? "The sign-in settings are not valid JSON." : null));
        }

        return result;
    }

    /// <summary>Parses metadata for display; null with the parser's reason when it is not usable IdP metadata.</summary>
    public SamlMetadataPreview? PreviewSaml(string metadataXml, out string? error) => PreviewSaml(metadataXml, time.GetUtcNow(), out error);

    /// <summary>Parses metadata for display as of <paramref name="now"/> (expiry states are relative to it).</summary>
    public static SamlMetadataPreview? PreviewSaml(string metadataXml, DateTimeOffset now, out string? error)
    {
        ArgumentNullException.ThrowIfNull(metadataXml);
        if (!SamlMetadata.TryParse(metadataXml, out var metadata, out error))
        {
            return null;
        }

        var certificates = metadata.SigningCertificates.Select(c =>
        {
            var notAfter = new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var state = notAfter <= now ? CertificateExpiryState.Expired
                : notAfter - now <= ExpiryWarning ? CertificateExpiryState.ExpiringSoon
                : CertificateExpiryState.Valid;
            return new CertificateExpiry(c.Subject, c.Thumbprint, notAfter, state);
        }).ToList();
        return new SamlMetadataPreview(metadata.EntityId, metadata.SsoRedirectUrls.Concat(metadata.SsoPostUrls).ToList(), certificates);
    }

    /// <summary>
    /// Registers a SAML provider and stores its sign-in settings. Audited (SECURITY-CASES 104g: new IdP trust) with the
    /// acting administrator <paramref name="actor"/> and the provider's entity ID and certificates, refusals included.
    /// </summary>
    public async Task<StsOutcome<IdentityProviderInfo>> RegisterSamlAsync(
        string actor, string accountId, SamlProviderInput input, HighRiskApproval? approval, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var account = AccountId.Parse(accountId);
        var created = Unconfirmed(approval) is { } refused
            ? refused
            : await directory.CreateSamlProviderAsync(account, input.Name.Trim(), input.MetadataXml, ct).ConfigureAwait(false);
        if (created.Succeeded)
        {
            var settings = WithInput(new SamlProviderSettings(), input);
            var stored = await directory.UpdateProviderSettingsAsync(account, created.Value.Arn, settings.ToJson(), ct).ConfigureAwait(false);
            created = stored.Succeeded ? created : StsOutcome<IdentityProviderInfo>.Failure(stored.Error.Code, stored.Error.Message);
        }

        var after = created.Succeeded
            ? await SummaryAsync(account, created.Value.Arn, ct).ConfigureAwait(false)
            : "SAML " + input.Name.Trim() + "; " + IamChangeSummary.SamlMetadataFacts(input.MetadataXml);
        await AuditAsync(actor, RegisterAuditAction, created.Error, created.Value?.Arn ?? input.Name.Trim(), null, after, ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>Fetches IdP metadata from a URL under the portal's SSRF rules (<see cref="SamlMetadataFetcher"/>).</summary>
    public Task<SamlMetadataFetchResult> FetchSamlMetadataAsync(string url, CancellationToken ct = default) => metadataFetcher.FetchAsync(url, ct);

    /// <summary>A registered SAML provider as the edit form shows it; null when the account has no such SAML provider.</summary>
    public async Task<SamlProviderInput?> GetSamlProviderAsync(string accountId, string arn, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        if (await FindSamlAsync(account, arn, ct).ConfigureAwait(false) is not (var provider, { } settings))
        {
            return null;
        }

        return new SamlProviderInput
        {
            Name = provider.Name,
            MetadataXml = provider.MetadataXml ?? string.Empty,
            DisplayName = settings.DisplayName,
            GroupsAttribute = settings.GroupsAttribute,
            TrustMfa = settings.TrustMfa,
            AllowIdpInitiated = settings.AllowIdpInitiated,
            MetadataUrl = settings.MetadataUrl,
        };
    }

    /// <summary>
    /// Replaces a SAML provider's metadata (IAM UpdateSAMLProvider) and sign-in settings. The name cannot change: it
    /// is part of the ARN that trust policies name. Settings the form does not show are kept.
    /// </summary>
    public async Task<StsOutcome<bool>> UpdateSamlAsync(
        string actor, string accountId, string arn, SamlProviderInput input, HighRiskApproval? approval, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var account = AccountId.Parse(accountId);
        var before = await SummaryAsync(account, arn, ct).ConfigureAwait(false);
        var updated = Unconfirmed(approval) is { } refused ? refused : await UpdateSamlCoreAsync(account, arn, input, ct).ConfigureAwait(false);
        var after = updated.Succeeded ? await SummaryAsync(account, arn, ct).ConfigureAwait(false) : "SAML; " + IamChangeSummary.SamlMetadataFacts(input.MetadataXml);
        await AuditAsync(actor, UpdateAuditAction, updated.Error, arn, before, after, ct).ConfigureAwait(false);
        return updated;
    }

    private async Task<StsOutcome<bool>> UpdateSamlCoreAsync(AccountId account, string arn, SamlProviderInput input, CancellationToken ct)
    {
        if (await FindSamlAsync(account, arn, ct).ConfigureAwait(false) is not (_, { } settings))
        {
            return StsOutcome<bool>.Failure(StsErrorCode.NoSuchEntity, $"The SAML provider {arn} cannot be found.");
        }

        if (!SamlMetadata.TryParse(input.MetadataXml, out _, out var error))
        {
            return StsOutcome<bool>.Failure(StsErrorCode.InvalidInput, error);
        }

        return await StoreSamlAsync(account, arn, input.MetadataXml, WithInput(settings, input), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches the provider's metadata again from its stored URL and stores it, so a rolled-over signing certificate
    /// is trusted without retyping anything. The fetched document must name the same entity ID.
    /// </summary>
    public async Task<StsOutcome<SamlMetadataPreview>> RefreshSamlMetadataAsync(
        string actor, string accountId, string arn, HighRiskApproval? approval, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        var before = await SummaryAsync(account, arn, ct).ConfigureAwait(false);
        var refreshed = Unconfirmed(approval) is { } refused ? refused : await RefreshSamlCoreAsync(account, arn, ct).ConfigureAwait(false);
        var after = refreshed.Succeeded ? await SummaryAsync(account, arn, ct).ConfigureAwait(false) : null;
        await AuditAsync(actor, UpdateAuditAction, refreshed.Error, arn, before, after, ct).ConfigureAwait(false);
        return refreshed;
    }

    private async Task<StsOutcome<SamlMetadataPreview>> RefreshSamlCoreAsync(AccountId account, string arn, CancellationToken ct)
    {
        if (await FindSamlAsync(account, arn, ct).ConfigureAwait(false) is not (var provider, { } settings))
        {
            return StsOutcome<SamlMetadataPreview>.Failure(StsErrorCode.NoSuchEntity, $"The SAML provider {arn} cannot be found.");
        }

        if (settings.MetadataUrl is null)
        {
            return StsOutcome<SamlMetadataPreview>.Failure(StsErrorCode.InvalidInput, "This provider has no metadata URL; edit it and import the metadata from a URL first.");
        }

        var fetched = await metadataFetcher.FetchAsync(settings.MetadataUrl, ct).ConfigureAwait(false);
        if (!fetched.Succeeded)
        {
            return StsOutcome<SamlMetadataPreview>.Failure(StsErrorCode.InvalidInput, fetched.Error!);
        }

        // A changed entity ID is a different IdP, not a rollover: that needs a deliberate edit.
        var current = SamlMetadata.TryParse(provider.MetadataXml ?? string.Empty, out var parsed, out _) ? parsed.EntityId : null;
        if (current is not null && !string.Equals(current, fetched.Metadata!.EntityId, StringComparison.Ordinal))
        {
            return StsOutcome<SamlMetadataPreview>.Failure(StsErrorCode.InvalidInput, $"The metadata at the URL is for \"{fetched.Metadata!.EntityId}\", not \"{current}\"; edit the provider to change its IdP.");
        }

        var stored = await StoreSamlAsync(account, arn, fetched.MetadataXml!, settings, ct).ConfigureAwait(false);
        return stored.Succeeded
            ? PreviewSaml(fetched.MetadataXml!, out _)!
            : StsOutcome<SamlMetadataPreview>.Failure(stored.Error.Code, stored.Error.Message);
    }

    /// <summary>
    /// Registers an OIDC provider; its client secret is stored encrypted (<see cref="OidcSignInSettingsCodec"/>). Audited
    /// with the issuer, client ids and thumbprints, and whether a client secret is set (never the secret).
    /// </summary>
    public async Task<StsOutcome<IdentityProviderInfo>> RegisterOidcAsync(
        string actor, string accountId, OidcProviderInput input, HighRiskApproval? approval, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var account = AccountId.Parse(accountId);
        var created = Unconfirmed(approval) is { } refused ? refused : await RegisterOidcCoreAsync(account, input, ct).ConfigureAwait(false);
        var after = created.Succeeded ? await SummaryAsync(account, created.Value.Arn, ct).ConfigureAwait(false) : "OIDC " + input.IssuerUrl.Trim();
        await AuditAsync(actor, RegisterAuditAction, created.Error, created.Value?.Arn ?? input.IssuerUrl.Trim(), null, after, ct).ConfigureAwait(false);
        return created;
    }

    private async Task<StsOutcome<IdentityProviderInfo>> RegisterOidcCoreAsync(AccountId account, OidcProviderInput input, CancellationToken ct)
    {
        var created = await directory.CreateOidcProviderAsync(account, input.IssuerUrl.Trim(), input.ParsedClientIds(), input.ParsedThumbprints(), ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created;
        }

        var settings = new OidcSignInSettings
        {
            DisplayName = Blank(input.DisplayName),
            ClientId = Blank(input.SignInClientId),
            GroupsClaim = Blank(input.GroupsClaim),
            TrustMfa = input.TrustMfa,
        };
        var json = codec.Write(settings, string.IsNullOrEmpty(input.ClientSecret) ? null : input.ClientSecret);
        var stored = await directory.UpdateProviderSettingsAsync(account, created.Value.Arn, json, ct).ConfigureAwait(false);
        return stored.Succeeded ? created : StsOutcome<IdentityProviderInfo>.Failure(stored.Error.Code, stored.Error.Message);
    }

    /// <summary>Deletes a provider; its sign-in scheme disappears and roles trusting it can no longer be assumed through it.</summary>
    public async Task<StsOutcome<bool>> DeleteProviderAsync(string actor, string accountId, string arn, HighRiskApproval? approval, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        var before = await SummaryAsync(account, arn, ct).ConfigureAwait(false);
        var deleted = Unconfirmed(approval) is { } refused ? refused : await directory.DeleteProviderAsync(account, arn, ct).ConfigureAwait(false);
        await AuditAsync(actor, DeleteAuditAction, deleted.Error, arn, before, null, ct).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// Fetches <c>&lt;issuer&gt;/.well-known/openid-configuration</c> (OpenID Connect Discovery 1.0 §4) through the outbound
    /// client of <see cref="OidcOutboundRules"/> (SECURITY-CASES 78), with a short timeout.
    /// </summary>
    public async Task<DiscoveryResult> TestDiscoveryAsync(string issuerUrl, CancellationToken ct = default)
    {
        var issuer = (issuerUrl ?? string.Empty).Trim();
        if (IssuerUrlError(issuer) is { } invalid)
        {
            return new DiscoveryResult(false, null, null, invalid);
        }

        var uri = new Uri(issuer);
        var client = httpClients.CreateClient(NamesLoopback(uri) ? OidcSignInDefaults.LoopbackHttpClientName : OidcSignInDefaults.HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(DiscoveryTimeout);
        try
        {
            using var response = await client.GetAsync(new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration"), timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new DiscoveryResult(false, null, null, string.Create(CultureInfo.InvariantCulture, $"The discovery document answered HTTP {(int)response.StatusCode}."));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token).ConfigureAwait(false);
            var found = Text(doc.RootElement, "issuer");
            var jwks = Text(doc.RootElement, "jwks_uri");
            if (found is null || jwks is null)
            {
                return new DiscoveryResult(false, found, jwks, "The discovery document lacks issuer or jwks_uri.");
            }

            // Discovery §4.3: the issuer in the document must be identical to the URL it was fetched for, or tokens will not validate.
            return string.Equals(found, issuer, StringComparison.Ordinal)
                ? new DiscoveryResult(true, found, jwks, null)
                : new DiscoveryResult(false, found, jwks, $"The document's issuer \"{found}\" differs from \"{issuer}\"; enter it exactly.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DiscoveryResult(false, null, null, "The issuer did not answer within 5 seconds.");
        }
        catch (HttpRequestException ex)
        {
            return new DiscoveryResult(false, null, null, "Could not reach the issuer: " + ex.Message);
        }
        catch (JsonException)
        {
            return new DiscoveryResult(false, null, null, "The discovery document is not JSON.");
        }
    }

    /// <summary>Why an issuer URL cannot be registered (https, or http on a loopback host; no query, fragment or user info), or null.</summary>
    public static string? IssuerUrlError(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || url.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal))
        {
            return "Enter an absolute URL without query, fragment or user name, e.g. https://idp.example.com.";
        }

        // STS-SPEC §7.10: http only for a loopback issuer (local development).
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && NamesLoopback(uri))
            ? null
            : "The issuer must use https (http only on localhost or a loopback address).";
    }

    private static bool NamesLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private async Task<(IdentityProviderInfo Provider, SamlProviderSettings? Settings)?> FindSamlAsync(AccountId account, string arn, CancellationToken ct)
    {
        var provider = await directory.FindProviderAsync(account, arn, ct).ConfigureAwait(false);
        if (provider is null || !string.Equals(provider.Kind, IamDirectory.SamlProviderKind, StringComparison.Ordinal))
        {
            return null;
        }

        var json = await directory.GetProviderSettingsAsync(account, arn, ct).ConfigureAwait(false);
        return (provider, SamlProviderSettings.TryParse(json, out var settings) ? settings : null);
    }

    /// <summary>
    /// Stores the metadata (IAM UpdateSAMLProvider), then the settings; both raise <see cref="IamDirectory.Changed"/> so
    /// schemes and caches pick up the new keys at once.
    /// </summary>
    private async Task<StsOutcome<bool>> StoreSamlAsync(AccountId account, string arn, string metadataXml, SamlProviderSettings settings, CancellationToken ct)
    {
        var updated = await directory.UpdateSamlProviderAsync(account, arn, metadataXml, ct).ConfigureAwait(false);
        return updated.Succeeded
            ? await directory.UpdateProviderSettingsAsync(account, arn, settings.ToJson(), ct).ConfigureAwait(false)
            : StsOutcome<bool>.Failure(updated.Error.Code, updated.Error.Message);
    }

    /// <summary>The provider's trust facts plus its portal sign-in settings, for the audit record; never a client secret.</summary>
    private async Task<string?> SummaryAsync(AccountId account, string arn, CancellationToken ct)
    {
        var provider = await directory.FindProviderAsync(account, arn, ct).ConfigureAwait(false);
        if (provider is null)
        {
            return null;
        }

        var json = await directory.GetProviderSettingsAsync(account, arn, ct).ConfigureAwait(false);
        var settings = string.Equals(provider.Kind, IamDirectory.SamlProviderKind, StringComparison.Ordinal)
            ? SamlProviderSettings.TryParse(json, out var saml)
                ? $"display name {saml.DisplayName}; groups attribute {saml.GroupsAttribute}; trust MFA {saml.TrustMfa}; IdP-initiated {saml.AllowIdpInitiated}; metadata URL {saml.MetadataUrl}"
                : "settings not parseable"
            : OidcSignInSettingsCodec.Read(json) is { } oidc
                ? $"display name {oidc.DisplayName}; sign-in client id {oidc.ClientId}; groups claim {oidc.GroupsClaim}; trust MFA {oidc.TrustMfa}; client secret {(oidc.ProtectedClientSecret is null ? "none" : "set")}"
                : "settings not parseable";
        return IamChangeSummary.Provider(provider) + "; " + settings;
    }

    /// <summary>The refusal of a change without a fresh approval (SECURITY-CASES 104g); null when it may go ahead. Uses the approval up.</summary>
    private StsError? Unconfirmed(HighRiskApproval? approval) => HighRiskConfirmation.Refusal(approval, time);

    private Task AuditAsync(string actor, string action, StsError? error, string resource, string? before, string? after, CancellationToken ct) =>
        audit.WriteAsync(AuditActor.ChangeRecord(time, actor, action, resource, error, before, after), ct);

    /// <summary>The settings the SAML form edits, taken from <paramref name="input"/>; the others are kept.</summary>
    private static SamlProviderSettings WithInput(SamlProviderSettings settings, SamlProviderInput input) => settings with
    {
        DisplayName = Blank(input.DisplayName),
        GroupsAttribute = Blank(input.GroupsAttribute),
        TrustMfa = input.TrustMfa,
        AllowIdpInitiated = input.AllowIdpInitiated,
        MetadataUrl = Blank(input.MetadataUrl),
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
