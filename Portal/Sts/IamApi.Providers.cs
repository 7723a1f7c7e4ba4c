using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Sts;

public sealed partial class IamApi
{
    private async Task<StsOutcome<string>> CreateSamlProviderAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("SAMLMetadataDocument", "sAMLMetadataDocument", out var metadata), r.Require("Name", "name", out var name)) is { } missing)
        {
            return missing;
        }

        if (await DeniedAsync(r, Arn.SamlProvider(r.Account, name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var created = await _directory.CreateSamlProviderAsync(r.Account, name, metadata, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Element("SAMLProviderArn", created.Value.Arn).End();
    }

    /// <summary>IAM UpdateSAMLProvider: a new metadata document for the same provider (ARN unchanged), e.g. after a key rollover.</summary>
    private async Task<StsOutcome<string>> UpdateSamlProviderAsync(IamRequest r)
    {
        if (r.Require("SAMLMetadataDocument", "sAMLMetadataDocument", out var metadata) is { } missing)
        {
            return missing;
        }

        var provider = await AuthorizedProviderAsync(r, "SAMLProviderArn", "sAMLProviderArn", IamDirectory.SamlProviderKind).ConfigureAwait(false);
        if (!provider.Succeeded)
        {
            return provider.Error;
        }

        var updated = await _directory.UpdateSamlProviderAsync(r.Account, provider.Value.Arn, metadata, r.Ct).ConfigureAwait(false);
        if (!updated.Succeeded)
        {
            return updated.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Element("SAMLProviderArn", updated.Value.Arn).End();
    }

    private async Task<StsOutcome<string>> GetSamlProviderAsync(IamRequest r)
    {
        var provider = await AuthorizedProviderAsync(r, "SAMLProviderArn", "sAMLProviderArn", IamDirectory.SamlProviderKind).ConfigureAwait(false);
        if (!provider.Succeeded)
        {
            return provider.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Element("SAMLMetadataDocument", provider.Value.MetadataXml)
            .Element("CreateDate", provider.Value.CreatedAt)
            .End();
    }

    private async Task<StsOutcome<string>> ListSamlProvidersAsync(IamRequest r)
    {
        if (await DeniedAsync(r, "*").ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        // ListSAMLProvidersResponse has no IsTruncated or Marker: IAM always returns the whole list.
        var providers = await _directory.ListProvidersAsync(r.Account, IamDirectory.SamlProviderKind, r.Ct).ConfigureAwait(false);
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("SAMLProviderList");
        foreach (var p in providers)
        {
            x.Open("member").Element("Arn", p.Arn).Element("CreateDate", p.CreatedAt).Close();
        }

        return x.Close().End();
    }

    private async Task<StsOutcome<string>> CreateOidcProviderAsync(IamRequest r)
    {
        if (r.Require("Url", "url", out var url) is { } missing)
        {
            return missing;
        }

        var clientIds = ParseStrings(r, "ClientIDList");
        if (!clientIds.Succeeded)
        {
            return clientIds.Error;
        }

        var thumbprints = ParseStrings(r, "ThumbprintList");
        if (!thumbprints.Succeeded)
        {
            return thumbprints.Error;
        }

        if (await DeniedAsync(r, Arn.OidcProvider(r.Account, url).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var created = await _directory.CreateOidcProviderAsync(r.Account, url, clientIds.Value, thumbprints.Value, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Element("OpenIDConnectProviderArn", created.Value.Arn).End();
    }

    private async Task<StsOutcome<string>> GetOidcProviderAsync(IamRequest r)
    {
        var provider = await AuthorizedProviderAsync(r, "OpenIDConnectProviderArn", "openIDConnectProviderArn", IamDirectory.OidcProviderKind).ConfigureAwait(false);
        if (!provider.Succeeded)
        {
            return provider.Error;
        }

        // IAM reports the provider URL without its scheme (the same text as the ARN's resource name).
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Element("Url", Arn.OidcProviderName(provider.Value.Name)).Open("ClientIDList");
        foreach (var id in provider.Value.ClientIds)
        {
            x.Element("member", id);
        }

        x.Close().Open("ThumbprintList");
        foreach (var t in provider.Value.Thumbprints)
        {
            x.Element("member", t);
        }

        return x.Close().Element("CreateDate", provider.Value.CreatedAt).End();
    }

    private async Task<StsOutcome<string>> ListOidcProvidersAsync(IamRequest r)
    {
        if (await DeniedAsync(r, "*").ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        // ListOpenIDConnectProvidersResponse has no paging members either.
        var providers = await _directory.ListProvidersAsync(r.Account, IamDirectory.OidcProviderKind, r.Ct).ConfigureAwait(false);
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("OpenIDConnectProviderList");
        foreach (var p in providers)
        {
            x.Open("member").Element("Arn", p.Arn).Close();
        }

        return x.Close().End();
    }

    private async Task<StsOutcome<string>> DeleteProviderAsync(IamRequest r, string parameter, string member, string kind)
    {
        var provider = await AuthorizedProviderAsync(r, parameter, member, kind).ConfigureAwait(false);
        if (!provider.Succeeded)
        {
            return provider.Error;
        }

        var deleted = await _directory.DeleteProviderAsync(r.Account, provider.Value.Arn, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    /// <summary>A provider of the caller's account and of the expected kind, named by an ARN parameter, authorized.</summary>
    private async Task<StsOutcome<IdentityProviderInfo>> AuthorizedProviderAsync(IamRequest r, string parameter, string member, string kind)
    {
        if (r.Require(parameter, member, out var arnText) is { } missing)
        {
            return missing;
        }

        var notFound = $"The identity provider {arnText} cannot be found.";
        var arn = ParseOwnArn(r, arnText, notFound);
        if (!arn.Succeeded)
        {
            return arn.Error;
        }

        if (await DeniedAsync(r, arnText).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var provider = await _directory.FindProviderAsync(r.Account, arnText, r.Ct).ConfigureAwait(false);
        return provider is null || provider.Kind != kind ? new StsError(StsErrorCode.NoSuchEntity, notFound) : provider;
    }
}
