using System.Text.Json;
using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Oidc;

/// <summary>
/// Turns the verified payload of an ID token into <see cref="ValidatedWebIdentityToken"/>: subject and audience
/// rules (STS-SPEC §1.3, §7.9; OIDC Core §3.1.3.7) and the AWS and portal claim mappings.
/// </summary>
internal static class OidcClaimMapper
{
    internal const string TagsClaim = "https://aws.amazon.com/tags";
    internal const string SourceIdentityClaim = "https://aws.amazon.com/source_identity";

    internal static StsOutcome<ValidatedWebIdentityToken> Map(JsonElement payload, OidcProviderConfig provider)
    {
        var providerName = provider.ProviderName;

        // STS-SPEC §1.3: SubjectFromWebIdentityToken is modelled as 6–255 characters.
        if (!payload.TryGetProperty("sub", out var subElement) || subElement.ValueKind != JsonValueKind.String)
        {
            return Invalid("Token is missing the sub claim");
        }

        var subject = subElement.GetString()!;
        if (subject.Length is < 6 or > 255)
        {
            return Invalid("Token sub claim must be 6 to 255 characters");
        }

        var conditionKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var audience = ResolveAudience(payload, provider, providerName, conditionKeys);
        if (!audience.Succeeded)
        {
            return audience.Error;
        }

        if (!TryReadStrings(payload, "amr", out var amr))
        {
            return Invalid("Token amr claim must be a string or an array of strings");
        }

        if (!TryReadStrings(payload, provider.GroupsClaim, out var groups))
        {
            return Invalid($"Token {provider.GroupsClaim} claim must be a string or an array of strings");
        }

        if (groups.Count > 0)
        {
            conditionKeys["portal:groups"] = groups;
        }

        foreach (var (claim, key) in (ReadOnlySpan<(string, string)>)[("email", "portal:email"), ("name", "portal:name")])
        {
            if (payload.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String)
            {
                conditionKeys[key] = [value.GetString()!];
            }
        }

        string? sourceIdentity = null;
        if (payload.TryGetProperty(SourceIdentityClaim, out var sourceIdentityElement))
        {
            if (sourceIdentityElement.ValueKind != JsonValueKind.String)
            {
                return Invalid("Token source_identity claim must be a string");
            }

            sourceIdentity = sourceIdentityElement.GetString();
        }

        var tags = ReadTags(payload);
        if (!tags.Succeeded)
        {
            return tags.Error;
        }

        return new ValidatedWebIdentityToken
        {
            ProviderArn = provider.ProviderArn,
            ProviderName = providerName,
            Subject = subject,
            Audience = audience.Value,
            Amr = amr,
            PrincipalTags = tags.Value.Tags,
            TransitiveTagKeys = tags.Value.TransitiveKeys,
            SourceIdentity = sourceIdentity,
            ConditionKeys = conditionKeys,
            MultiFactor = provider.TrustMfa && amr.Contains("mfa", StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// OIDC Core §3.1.3.7 items 3–5 and SECURITY-CASES cases 69 and 76: with <c>azp</c>, it must be a registered
    /// client and (unless the provider is Google-style) one of the audiences; without <c>azp</c>, there must be
    /// exactly one audience and it must be registered. Several audiences without <c>azp</c> are refused (case 76b).
    /// </summary>
    private static StsOutcome<string> ResolveAudience(JsonElement payload, OidcProviderConfig provider, string providerName, Dictionary<string, IReadOnlyList<string>> conditionKeys)
    {
        if (!payload.TryGetProperty("aud", out _) || !TryReadStrings(payload, "aud", out var audiences) || audiences.Count == 0)
        {
            return StsOutcome<string>.Failure(StsErrorCode.InvalidIdentityToken, "Token is missing a valid aud claim");
        }

        var incorrect = StsOutcome<string>.Failure(StsErrorCode.InvalidIdentityToken, "Incorrect token audience");
        if (payload.TryGetProperty("azp", out var azpElement))
        {
            if (azpElement.ValueKind != JsonValueKind.String || !provider.ClientIds.Contains(azpElement.GetString()!, StringComparer.Ordinal))
            {
                return incorrect;
            }

            var azp = azpElement.GetString()!;
            if (audiences.Contains(azp, StringComparer.Ordinal))
            {
                return azp;
            }

            if (!provider.AuthorizedPartyIsAudience)
            {
                return incorrect;
            }

            // STS-SPEC §7.9: for Google, PROVIDER:aud is azp and PROVIDER:oaud the original aud.
            conditionKeys[providerName + ":oaud"] = audiences;
            return azp;
        }

        if (audiences.Count > 1)
        {
            return StsOutcome<string>.Failure(StsErrorCode.InvalidIdentityToken, "Token has several audiences but no azp claim");
        }

        return provider.ClientIds.Contains(audiences[0], StringComparer.Ordinal) ? audiences[0] : incorrect;
    }

    /// <summary>STS-SPEC §1.3: <c>{"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}</c>. Limits are the engine's (§1.0.5).</summary>
    private static StsOutcome<(IReadOnlyList<Tag> Tags, IReadOnlyList<string> TransitiveKeys)> ReadTags(JsonElement payload)
    {
        var malformed = StsOutcome<(IReadOnlyList<Tag>, IReadOnlyList<string>)>.Failure(
            StsErrorCode.InvalidIdentityToken, "Token https://aws.amazon.com/tags claim is malformed");
        if (!payload.TryGetProperty(TagsClaim, out var claim))
        {
            return (Array.Empty<Tag>(), Array.Empty<string>());
        }

        if (claim.ValueKind != JsonValueKind.Object)
        {
            return malformed;
        }

        var tags = new List<Tag>();
        if (claim.TryGetProperty("principal_tags", out var principalTags))
        {
            if (principalTags.ValueKind != JsonValueKind.Object)
            {
                return malformed;
            }

            foreach (var property in principalTags.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1)
                {
                    value = value[0];
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    return malformed;
                }

                tags.Add(new Tag(property.Name, value.GetString()!));
            }
        }

        IReadOnlyList<string> transitive = [];
        if (claim.TryGetProperty("transitive_tag_keys", out var transitiveElement)
            && (transitiveElement.ValueKind != JsonValueKind.Array || !TryReadStrings(claim, "transitive_tag_keys", out transitive)))
        {
            return malformed;
        }

        return (tags, transitive);
    }

    /// <summary>Reads a claim that may be one string or an array of strings; an absent claim is an empty list.</summary>
    private static bool TryReadStrings(JsonElement payload, string name, out IReadOnlyList<string> values)
    {
        values = [];
        if (!payload.TryGetProperty(name, out var element))
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            values = [element.GetString()!];
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return true;
    }

    private static StsError Invalid(string message) => new(StsErrorCode.InvalidIdentityToken, message);
}
