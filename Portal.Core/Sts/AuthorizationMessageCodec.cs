using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Credentials;

namespace Portal.Core.Sts;

/// <summary>
/// Encodes the details of the engine's own authorization denials as opaque messages that only a caller allowed
/// <c>sts:DecodeAuthorizationMessage</c> can decode (STS-SPEC §1.8): authenticated encryption under a key of its own,
/// base64url without line breaks.
/// </summary>
public sealed class AuthorizationMessageCodec
{
    /// <summary>The key-derivation purpose of these messages.</summary>
    public const string Purpose = "portal/authorization-message/v1";

    private readonly SecretProtector _protector;

    /// <summary>Creates the codec from the master key.</summary>
    public AuthorizationMessageCodec(IMasterKeySource masterKey) => _protector = new SecretProtector(masterKey, Purpose);

    /// <summary>Encodes a denial.</summary>
    public string Encode(bool allowed, bool explicitDeny, string? matchedStatement, string principalId, string principalArn, string action, string resource, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> conditions)
    {
        var items = new JsonArray();
        foreach (var (key, values) in conditions)
        {
            items.Add(new JsonObject { ["key"] = key, ["values"] = new JsonObject { ["items"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["value"] = v }).ToArray()) } });
        }

        var doc = new JsonObject
        {
            ["allowed"] = allowed,
            ["explicitDeny"] = explicitDeny,
            ["matchedStatements"] = new JsonObject { ["items"] = matchedStatement is null ? new JsonArray() : new JsonArray(new JsonObject { ["statementId"] = matchedStatement }) },
            ["failures"] = new JsonObject { ["items"] = new JsonArray() },
            ["context"] = new JsonObject
            {
                ["principal"] = new JsonObject { ["id"] = principalId, ["arn"] = principalArn },
                ["action"] = action,
                ["resource"] = resource,
                ["conditions"] = new JsonObject { ["items"] = items },
            },
        };
        var sealedBytes = _protector.Protect(doc.ToJsonString());
        return Convert.ToBase64String(sealedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a message produced by <see cref="Encode"/>; null when it is malformed or was not produced here.</summary>
    public string? TryDecode(string encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > 10240)
        {
            return null;
        }

        foreach (var c in encoded)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        var b64 = encoded.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            return null;
        }

        var text = _protector.UnprotectString(bytes);
        if (!text.Succeeded)
        {
            return null;
        }

        // Normalise to compact JSON (it already is, but never echo anything that does not parse).
        try
        {
            return JsonNode.Parse(text.Value)?.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);
}
