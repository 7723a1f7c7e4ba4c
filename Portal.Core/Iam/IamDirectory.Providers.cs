using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Core.Persistence.Entities;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

public sealed partial class IamDirectory
{
    /// <summary>The <see cref="IdentityProviderInfo.Kind"/> of SAML providers.</summary>
    public const string SamlProviderKind = "SAML";

    /// <summary>The <see cref="IdentityProviderInfo.Kind"/> of OIDC providers.</summary>
    public const string OidcProviderKind = "OIDC";

    // IAM SAMLMetadataDocumentType bounds.
    private const int MinSamlMetadataLength = 1000;
    private const int MaxSamlMetadataLength = 10_000_000;
    private const int MaxOidcUrlLength = 255;
    private const int MaxOidcClientIds = 100;
    private const int MaxOidcThumbprints = 5;
    private const string SamlMetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata";

    /// <summary>
    /// Registers a SAML provider (IAM CreateSAMLProvider). The metadata must be well-formed XML whose root is an md:EntityDescriptor
    /// with an IDPSSODescriptor; DTDs are refused so no entity expansion or external fetch can happen while parsing.
    /// </summary>
    public async Task<StsOutcome<IdentityProviderInfo>> CreateSamlProviderAsync(AccountId account, string name, string metadataXml, CancellationToken ct = default)
    {
        if (ValidateSamlProviderName(name) is { } e1)
        {
            return e1;
        }

        if (ValidateSamlMetadata(metadataXml) is { } e2)
        {
            return e2;
        }

        var arn = Arn.SamlProvider(account, name).ToString();
        return await AddProviderAsync(account, new IdentityProviderEntity { Arn = arn, AccountId = account.Value, Kind = SamlProviderKind, Name = name, MetadataXml = metadataXml }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces a SAML provider's metadata document (IAM UpdateSAMLProvider): same name and ARN, so trust policies naming
    /// it keep working; the document is validated as for <see cref="CreateSamlProviderAsync"/>. NoSuchEntity for an
    /// unknown ARN or one of another account or kind. Raises <see cref="Changed"/> so caches drop the old keys at once.
    /// </summary>
    public async Task<StsOutcome<IdentityProviderInfo>> UpdateSamlProviderAsync(AccountId account, string arn, string metadataXml, CancellationToken ct = default)
    {
        if (ValidateSamlMetadata(metadataXml) is { } invalid)
        {
            return invalid;
        }

        await using var db = _dbFactory.CreateDbContext();
        var entity = await db.IdentityProviders.FirstOrDefaultAsync(p => p.Arn == arn && p.AccountId == account.Value && p.Kind == SamlProviderKind, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return Fail<IdentityProviderInfo>(StsErrorCode.NoSuchEntity, $"The SAML provider {arn} cannot be found.");
        }

        entity.MetadataXml = metadataXml;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(entity);
    }

    /// <summary>
    /// Registers an OIDC provider (IAM CreateOpenIDConnectProvider): an https URL (http only on a loopback host, for local
    /// development) without query or fragment, 0..100 client ids and 0..5 SHA-1 thumbprints (40 hex digits).
    /// </summary>
    public async Task<StsOutcome<IdentityProviderInfo>> CreateOidcProviderAsync(
        AccountId account,
        string url,
        IReadOnlyList<string> clientIds,
        IReadOnlyList<string> thumbprints,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        ArgumentNullException.ThrowIfNull(thumbprints);
        if (ValidateOidcUrl(url) is { } e1)
        {
            return e1;
        }

        if (ValidateOidcLists(clientIds, thumbprints) is { } e2)
        {
            return e2;
        }

        var arn = Arn.OidcProvider(account, url).ToString();
        var entity = new IdentityProviderEntity
        {
            Arn = arn,
            AccountId = account.Value,
            Kind = OidcProviderKind,
            Name = url,
            ClientIdsJson = JsonSerializer.Serialize(clientIds.Distinct(StringComparer.Ordinal).ToList(), IamJson.Default.IReadOnlyListString),
            ThumbprintsJson = JsonSerializer.Serialize(thumbprints.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(), IamJson.Default.IReadOnlyListString),
        };
        return await AddProviderAsync(account, entity, ct).ConfigureAwait(false);
    }

    /// <summary>Finds a provider of the account by ARN (null for another account's ARN).</summary>
    public async Task<IdentityProviderInfo?> FindProviderAsync(AccountId account, string arn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var p = await db.IdentityProviders.AsNoTracking().FirstOrDefaultAsync(x => x.Arn == arn && x.AccountId == account.Value, ct).ConfigureAwait(false);
        return p is null ? null : ToInfo(p);
    }

    /// <summary>Lists the account's providers of one kind (<see cref="SamlProviderKind"/> or <see cref="OidcProviderKind"/>), by ARN.</summary>
    public async Task<IReadOnlyList<IdentityProviderInfo>> ListProvidersAsync(AccountId account, string kind, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.IdentityProviders.AsNoTracking().Where(p => p.AccountId == account.Value && p.Kind == kind).ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(p => p.Arn, StringComparer.Ordinal).Select(ToInfo).ToList();
    }

    /// <summary>Deletes a provider of the account; NoSuchEntity when there is none with that ARN.</summary>
    public async Task<StsOutcome<bool>> DeleteProviderAsync(AccountId account, string arn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.IdentityProviders.Where(p => p.Arn == arn && p.AccountId == account.Value).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (n == 0)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The identity provider {arn} cannot be found.");
        }

        OnChanged();
        return true;
    }

    /// <summary>How many users and roles a managed policy is attached to.</summary>
    public async Task<int> CountPolicyAttachmentsAsync(string policyArn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.PolicyAttachments.CountAsync(a => a.PolicyArn == policyArn, ct).ConfigureAwait(false);
    }

    private async Task<StsOutcome<IdentityProviderInfo>> AddProviderAsync(AccountId account, IdentityProviderEntity entity, CancellationToken ct)
    {
        await using var db = _dbFactory.CreateDbContext();
        if (!await db.Accounts.AnyAsync(a => a.Id == account.Value, ct).ConfigureAwait(false))
        {
            return Fail<IdentityProviderInfo>(StsErrorCode.NoSuchEntity, $"The account {account} cannot be found.");
        }

        if (await db.IdentityProviders.AnyAsync(p => p.Arn == entity.Arn, ct).ConfigureAwait(false))
        {
            return Fail<IdentityProviderInfo>(StsErrorCode.EntityAlreadyExists, $"Provider with arn {entity.Arn} already exists.");
        }

        entity.CreatedAt = _time.GetUtcNow();
        db.IdentityProviders.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(entity);
    }

    private static StsError? ValidateSamlProviderName(string? name)
    {
        // IAM SAMLProviderNameType: [\w._-]+, 1..128.
        if (name is null)
        {
            return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
        }

        var ok = name.Length is >= 1 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
        return ok ? null : new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: [\\w._-]+");
    }

    private static StsError? ValidateSamlMetadata(string? xml)
    {
        if (xml is null || xml.Length is < MinSamlMetadataLength or > MaxSamlMetadataLength)
        {
            return new StsError(StsErrorCode.ValidationError, string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length between {MinSamlMetadataLength} and {MaxSamlMetadataLength}"));
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxSamlMetadataLength,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "EntityDescriptor" || reader.NamespaceURI != SamlMetadataNamespace)
            {
                return InvalidMetadata();
            }

            var hasIdp = false;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "IDPSSODescriptor" && reader.NamespaceURI == SamlMetadataNamespace)
                {
                    hasIdp = true;
                }
            }

            return hasIdp ? null : InvalidMetadata();
        }
        catch (XmlException)
        {
            return InvalidMetadata();
        }

        static StsError InvalidMetadata() => new(StsErrorCode.InvalidInput, "Could not parse metadata");
    }

    private static StsError? ValidateOidcUrl(string? url)
    {
        if (url is null)
        {
            return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value null at 'url' failed to satisfy constraint: Member must not be null");
        }

        if (url.Length is < 1 or > MaxOidcUrlLength)
        {
            return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{url}' at 'url' failed to satisfy constraint: Member must have length between 1 and {MaxOidcUrlLength}");
        }

        // STS-SPEC §7.10: https only; http is tolerated for a loopback issuer (local development), never for a remote one.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || url.Contains('?', StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal))
        {
            return new StsError(StsErrorCode.InvalidInput, "Invalid Url: it must be an https URL without query or fragment (http is allowed only on a loopback host).");
        }

        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static StsError? ValidateOidcLists(IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints)
    {
        if (clientIds.Count > MaxOidcClientIds)
        {
            return new StsError(StsErrorCode.LimitExceeded, string.Create(CultureInfo.InvariantCulture, $"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MaxOidcClientIds}"));
        }

        if (thumbprints.Count > MaxOidcThumbprints)
        {
            return new StsError(StsErrorCode.LimitExceeded, string.Create(CultureInfo.InvariantCulture, $"Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: {MaxOidcThumbprints}"));
        }

        foreach (var id in clientIds)
        {
            if (id.Length is < 1 or > 255)
            {
                return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{id}' at 'clientIDList' failed to satisfy constraint: Member must have length between 1 and 255");
            }
        }

        foreach (var t in thumbprints)
        {
            if (t.Length != 40 || !t.All(char.IsAsciiHexDigit))
            {
                return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{t}' at 'thumbprintList' failed to satisfy constraint: Member must have length 40 and consist of hexadecimal digits");
            }
        }

        return null;
    }

    private static IdentityProviderInfo ToInfo(IdentityProviderEntity p) =>
        new(
            p.Arn,
            p.AccountId,
            p.Kind,
            p.Name,
            p.MetadataXml,
            JsonSerializer.Deserialize(p.ClientIdsJson, IamJson.Default.IReadOnlyListString) ?? [],
            JsonSerializer.Deserialize(p.ThumbprintsJson, IamJson.Default.IReadOnlyListString) ?? [],
            p.CreatedAt);
}
