using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Oidc;

/// <summary>An ID token split and parsed but not yet verified: only its shape has been checked.</summary>
/// <param name="Algorithm">The header <c>alg</c>, one of <see cref="OidcTokenReader.AllowedAlgorithms"/>.</param>
/// <param name="KeyId">The header <c>kid</c>, or null.</param>
/// <param name="Issuer">The <c>iss</c> claim.</param>
/// <param name="Payload">The payload object (a detached clone).</param>
internal sealed record UnverifiedToken(string Algorithm, string? KeyId, string Issuer, JsonElement Payload);

/// <summary>
/// Structural checks that run before any provider lookup or key fetch, so hostile tokens cost no network call:
/// size, compact JWS form, header allow-lists and integer date claims (STS-SPEC §1.3, RFC 8725).
/// </summary>
internal static class OidcTokenReader
{
    /// <summary>STS-SPEC §1.3: the algorithms AWS accepts. PS256/384/512 are left out for parity; none/HS* never (RFC 8725 §3.1).</summary>
    internal static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Header parameters that carry or point at keys, or demand extensions: keys come only from the provider's
    /// JWKS (SECURITY-CASES case 67), <c>crit</c> cannot be honoured (RFC 7515 §4.1.11), <c>enc</c>/<c>zip</c> mean JWE (case 74b).
    /// </summary>
    private static readonly string[] ForbiddenHeaderParameters = ["jku", "jwk", "x5u", "x5c", "crit", "enc", "zip"];

    private const int MaxKeyIdLength = 256;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    internal static StsOutcome<UnverifiedToken> Read(string token, int maxLength)
    {
        if (token.Length > maxLength)
        {
            return Invalid("Token is larger than the maximum allowed size");
        }

        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            return Invalid("Encrypted (JWE) tokens are not supported");
        }

        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return Invalid("Token is not a compact JWS (header.payload.signature)");
        }

        using var header = ParseObject(parts[0]);
        if (header is null)
        {
            return Invalid("Token header is not a base64url JSON object");
        }

        var h = header.RootElement;
        if (!h.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !AllowedAlgorithms.Contains(alg.GetString()!, StringComparer.Ordinal))
        {
            return Invalid("Token signing algorithm is not allowed; expected one of " + string.Join(", ", AllowedAlgorithms));
        }

        // SECURITY-CASES case 65: an allowed alg with an empty signature is still unsigned.
        if (parts[2].Length == 0)
        {
            return Invalid("Token is not signed");
        }

        foreach (var name in ForbiddenHeaderParameters)
        {
            if (h.TryGetProperty(name, out _))
            {
                return Invalid($"Token header parameter '{name}' is not accepted");
            }
        }

        // SECURITY-CASES case 72a / RFC 8725 §3.11: an explicitly typed non-ID token (e.g. at+jwt) is refused.
        if (h.TryGetProperty("typ", out var typ) && (typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), "JWT", StringComparison.OrdinalIgnoreCase)))
        {
            return Invalid("Token type is not JWT");
        }

        string? kid = null;
        if (h.TryGetProperty("kid", out var kidElement))
        {
            // SECURITY-CASES case 68a: kid is only ever a dictionary key; odd values are refused before any fetch.
            if (kidElement.ValueKind != JsonValueKind.String || kidElement.GetString()!.Length is 0 or > MaxKeyIdLength)
            {
                return Invalid("Token kid is invalid");
            }

            kid = kidElement.GetString();
        }

        using var payload = ParseObject(parts[1]);
        if (payload is null)
        {
            return Invalid("Token payload is not a base64url JSON object");
        }

        var p = payload.RootElement;
        if (!p.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String || iss.GetString()!.Length == 0)
        {
            return Invalid("Token is missing the iss claim");
        }

        // STS-SPEC §1.3: numeric date claims must be integers (RFC 7519 §2 NumericDate, as AWS reads it).
        foreach (var name in (string[])["exp", "nbf", "iat"])
        {
            if (p.TryGetProperty(name, out var date) && (date.ValueKind != JsonValueKind.Number || !date.TryGetInt64(out _)))
            {
                return Invalid($"Token claim '{name}' is not an integer date");
            }
        }

        // RFC 7519 §4.1.3: aud is a string or an array of strings; anything else would be read differently by different parsers.
        if (!p.TryGetProperty("aud", out var aud) || !IsStringOrStrings(aud))
        {
            return Invalid("Token is missing a valid aud claim");
        }

        if (!p.TryGetProperty("exp", out _))
        {
            return Invalid("Token is missing the exp claim");
        }

        // OIDC Core §2: iat is required in an ID token; it is what the "Token too old" check measures.
        if (!p.TryGetProperty("iat", out _))
        {
            return Invalid("Token is missing the iat claim");
        }

        return new UnverifiedToken(alg.GetString()!, kid, iss.GetString()!, p.Clone());
    }

    private static bool IsStringOrStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => true,
        JsonValueKind.Array => element.GetArrayLength() > 0 && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
        _ => false,
    };

    private static JsonDocument? ParseObject(string segment)
    {
        try
        {
            var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(segment), JsonOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static StsError Invalid(string message) => new(StsErrorCode.InvalidIdentityToken, message);
}
