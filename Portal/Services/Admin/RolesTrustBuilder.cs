using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Portal.Core.Identity;

namespace Portal.Services.Admin;

/// <summary>
/// What the visual trust-relationship builder edits: an identity provider with an optional group or claim condition,
/// IAM users or accounts, MFA and an ExternalId. <see cref="RolesTrustBuilder"/> turns it into a trust policy and back.
/// </summary>
public sealed record TrustBuilderModel
{
    /// <summary>The trusted SAML or OIDC provider's ARN; empty when no identity provider is trusted.</summary>
    public string ProviderArn { get; init; } = string.Empty;

    /// <summary>
    /// For an OIDC provider, the <c>&lt;provider&gt;:aud</c> values the token must carry (the portal's client id at that
    /// provider): without them a token issued to any other client of the provider would match (SECURITY-CASES 104g).
    /// </summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Groups (portal:groups) of which the person must be in at least one; empty for no group condition.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>A claim condition key, e.g. <c>saml:sub</c> or <c>idp.example.com:sub</c>; empty for none.</summary>
    public string ClaimKey { get; init; } = string.Empty;

    /// <summary>The value <see cref="ClaimKey"/> must equal.</summary>
    public string ClaimValue { get; init; } = string.Empty;

    /// <summary>IAM user ARNs or 12-digit account ids allowed to call AssumeRole.</summary>
    public IReadOnlyList<string> AwsPrincipals { get; init; } = [];

    /// <summary>Adds <c>Bool aws:MultiFactorAuthPresent = true</c> to every statement.</summary>
    public bool RequireMfa { get; init; }

    /// <summary>The ExternalId IAM callers must pass (<c>sts:ExternalId</c>); empty for none.</summary>
    public string ExternalId { get; init; } = string.Empty;

    /// <summary>True when the provider ARN names a SAML provider (otherwise an OIDC one).</summary>
    public bool IsSamlProvider => ProviderArn.Contains(":saml-provider/", StringComparison.Ordinal);

    /// <summary>The OIDC provider's condition-key prefix (its URL without scheme), or null for a SAML or no provider.</summary>
    public string? OidcKeyPrefix
    {
        get
        {
            const string marker = ":oidc-provider/";
            var at = ProviderArn.IndexOf(marker, StringComparison.Ordinal);
            return at < 0 ? null : ProviderArn[(at + marker.Length)..].Trim();
        }
    }

    /// <inheritdoc />
    public bool Equals(TrustBuilderModel? other) =>
        other is not null
        && string.Equals(ProviderArn, other.ProviderArn, StringComparison.Ordinal)
        && Groups.SequenceEqual(other.Groups, StringComparer.Ordinal)
        && Audiences.SequenceEqual(other.Audiences, StringComparer.Ordinal)
        && string.Equals(ClaimKey, other.ClaimKey, StringComparison.Ordinal)
        && string.Equals(ClaimValue, other.ClaimValue, StringComparison.Ordinal)
        && AwsPrincipals.SequenceEqual(other.AwsPrincipals, StringComparer.Ordinal)
        && RequireMfa == other.RequireMfa
        && string.Equals(ExternalId, other.ExternalId, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ProviderArn, ClaimKey, ClaimValue, RequireMfa, ExternalId, Groups.Count, AwsPrincipals.Count);
}

/// <summary>Builds trust policies from a <see cref="TrustBuilderModel"/> and reads builder-shaped policies back.</summary>
public static class RolesTrustBuilder
{
    /// <summary>Sid of the identity-provider statement.</summary>
    public const string ProviderSid = "TrustIdentityProvider";

    /// <summary>Sid of the IAM-principal statement.</summary>
    public const string AwsSid = "TrustIamPrincipals";

    /// <summary>The multi-valued groups key the portal and the federation sign-ins populate.</summary>
    public const string GroupsKey = "portal:groups";

    private const string GroupsOperator = "ForAnyValue:StringEquals";
    private const string MfaKey = "aws:MultiFactorAuthPresent";
    private const string ExternalIdKey = "sts:ExternalId";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The trust policy JSON for <paramref name="model"/>; a policy with no statement when nothing is trusted.</summary>
    public static string Build(TrustBuilderModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            if (!string.IsNullOrWhiteSpace(model.ProviderArn))
            {
                WriteProviderStatement(w, model);
            }

            if (model.AwsPrincipals.Count > 0)
            {
                WriteAwsStatement(w, model);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Normalises a typed principal: a 12-digit account id becomes its root ARN; anything else is kept.</summary>
    public static string NormalizePrincipal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return AccountId.TryParse(trimmed, out var account) ? Arn.Root(account).ToString() : trimmed;
    }

    /// <summary>
    /// Reads a policy back into the builder; null when the policy has a shape the builder cannot express (other
    /// statements, actions, operators or keys), so the page keeps the JSON editor as the source of truth.
    /// </summary>
    public static TrustBuilderModel? TryRead(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Read(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteProviderStatement(Utf8JsonWriter w, TrustBuilderModel model)
    {
        w.WriteStartObject();
        w.WriteString("Sid", ProviderSid);
        w.WriteString("Effect", "Allow");
        w.WriteStartObject("Principal");
        w.WriteString("Federated", model.ProviderArn.Trim());
        w.WriteEndObject();

        // The portal sets SourceIdentity on every issuance, so sts:SetSourceIdentity must be allowed too (STS-SPEC §7.7 table).
        w.WriteStartArray("Action");
        w.WriteStringValue(model.IsSamlProvider ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity");
        w.WriteStringValue("sts:SetSourceIdentity");
        w.WriteEndArray();

        var hasGroups = model.Groups.Count > 0;
        var hasClaim = !string.IsNullOrWhiteSpace(model.ClaimKey);
        var audienceKey = model.OidcKeyPrefix is { } prefix && model.Audiences.Count > 0 ? prefix + ":aud" : null;
        if (hasGroups || hasClaim || audienceKey is not null || model.RequireMfa)
        {
            w.WriteStartObject("Condition");
            if (hasGroups)
            {
                // portal:groups is multi-valued: any one of the person's groups may match (STS-SPEC §7.4 set qualifiers).
                w.WriteStartObject(GroupsOperator);
                WriteValues(w, GroupsKey, model.Groups);
                w.WriteEndObject();
            }

            if (hasClaim || audienceKey is not null)
            {
                w.WriteStartObject("StringEquals");
                if (audienceKey is not null)
                {
                    WriteValues(w, audienceKey, model.Audiences);
                }

                if (hasClaim && !string.Equals(model.ClaimKey.Trim(), audienceKey, StringComparison.Ordinal))
                {
                    w.WriteString(model.ClaimKey.Trim(), model.ClaimValue);
                }

                w.WriteEndObject();
            }

            WriteMfa(w, model.RequireMfa);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteAwsStatement(Utf8JsonWriter w, TrustBuilderModel model)
    {
        w.WriteStartObject();
        w.WriteString("Sid", AwsSid);
        w.WriteString("Effect", "Allow");
        w.WriteStartObject("Principal");
        WriteValues(w, "AWS", model.AwsPrincipals.Select(NormalizePrincipal).ToList());
        w.WriteEndObject();
        w.WriteString("Action", "sts:AssumeRole");
        var hasExternalId = !string.IsNullOrEmpty(model.ExternalId);
        if (hasExternalId || model.RequireMfa)
        {
            w.WriteStartObject("Condition");
            if (hasExternalId)
            {
                w.WriteStartObject("StringEquals");
                w.WriteString(ExternalIdKey, model.ExternalId);
                w.WriteEndObject();
            }

            WriteMfa(w, model.RequireMfa);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteMfa(Utf8JsonWriter w, bool requireMfa)
    {
        if (requireMfa)
        {
            w.WriteStartObject("Bool");
            w.WriteString(MfaKey, "true");
            w.WriteEndObject();
        }
    }

    private static void WriteValues(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 1)
        {
            w.WriteString(name, values[0]);
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static TrustBuilderModel? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statements) || statements.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var model = new TrustBuilderModel();
        bool? providerMfa = null;
        bool? awsMfa = null;
        foreach (var s in statements.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object || !IsString(s, "Effect", "Allow") || !s.TryGetProperty("Principal", out var principal)
                || principal.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (principal.TryGetProperty("Federated", out var federated) && federated.ValueKind == JsonValueKind.String && model.ProviderArn.Length == 0)
            {
                model = model with { ProviderArn = federated.GetString()! };
                var expected = new[] { model.IsSamlProvider ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity" };
                if (!Values(s, "Action").SequenceEqual(expected, StringComparer.Ordinal) || !ReadProviderConditions(s, ref model, out var mfa))
                {
                    return null;
                }

                providerMfa = mfa;
            }
            else if (principal.TryGetProperty("AWS", out _) && model.AwsPrincipals.Count == 0)
            {
                var principals = Values(principal, "AWS");
                if (principals.Count == 0 || !Values(s, "Action").SequenceEqual(["sts:AssumeRole"], StringComparer.Ordinal)
                    || !ReadAwsConditions(s, ref model, out var mfa))
                {
                    return null;
                }

                model = model with { AwsPrincipals = principals };
                awsMfa = mfa;
            }
            else
            {
                return null;
            }
        }

        // The builder sets MFA on every statement at once, so statements that disagree are not builder-shaped.
        if (providerMfa is not null && awsMfa is not null && providerMfa != awsMfa)
        {
            return null;
        }

        return model with { RequireMfa = providerMfa ?? awsMfa ?? false };
    }

    private static bool ReadProviderConditions(JsonElement statement, ref TrustBuilderModel model, out bool mfa)
    {
        mfa = false;
        if (!statement.TryGetProperty("Condition", out var condition))
        {
            return true;
        }

        foreach (var op in condition.EnumerateObject())
        {
            var entries = op.Value.EnumerateObject().ToList();
            switch (op.Name)
            {
                case GroupsOperator when entries is [{ Name: GroupsKey } g]:
                    model = model with { Groups = Values(g.Value) };
                    break;
                case "StringEquals" when entries.Count is 1 or 2:
                    var audienceKey = model.OidcKeyPrefix is { } prefix ? prefix + ":aud" : null;
                    foreach (var entry in entries)
                    {
                        if (string.Equals(entry.Name, audienceKey, StringComparison.Ordinal) && model.Audiences.Count == 0 && Values(entry.Value).Count > 0)
                        {
                            model = model with { Audiences = Values(entry.Value) };
                        }
                        else if (entry.Value.ValueKind == JsonValueKind.String && model.ClaimKey.Length == 0)
                        {
                            model = model with { ClaimKey = entry.Name, ClaimValue = entry.Value.GetString()! };
                        }
                        else
                        {
                            return false;
                        }
                    }

                    break;
                case "Bool" when IsMfa(entries):
                    mfa = true;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool ReadAwsConditions(JsonElement statement, ref TrustBuilderModel model, out bool mfa)
    {
        mfa = false;
        if (!statement.TryGetProperty("Condition", out var condition))
        {
            return true;
        }

        foreach (var op in condition.EnumerateObject())
        {
            var entries = op.Value.EnumerateObject().ToList();
            switch (op.Name)
            {
                case "StringEquals" when entries is [{ Name: ExternalIdKey, Value.ValueKind: JsonValueKind.String } e]:
                    model = model with { ExternalId = e.Value.GetString()! };
                    break;
                case "Bool" when IsMfa(entries):
                    mfa = true;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool IsMfa(List<JsonProperty> entries) =>
        entries is [{ Name: MfaKey } m] && m.Value.ValueKind == JsonValueKind.String && string.Equals(m.Value.GetString(), "true", StringComparison.Ordinal);

    private static bool IsString(JsonElement e, string name, string value) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && string.Equals(p.GetString(), value, StringComparison.Ordinal);

    private static List<string> Values(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? Values(p) : [];

    private static List<string> Values(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
        _ => [],
    };
}
