using System.Diagnostics.CodeAnalysis;

namespace Portal.Federation;

/// <summary>
/// Decides whether a user-supplied <c>Destination</c>/<c>Issuer</c> may become a <c>Location</c> header: a path of this
/// portal, or a URL on an allow-listed origin. Everything else is refused, never rewritten (SECURITY-CASES 98).
/// </summary>
internal static class FederationRedirects
{
    /// <summary>Longest target accepted.</summary>
    public const int MaxLength = 2048;

    // Browsers decode some escapes before resolving, so percent-encoded tricks (/%5Cevil, /%2F%2Fevil) are checked after
    // a few rounds of decoding too.
    private const int DecodeRounds = 3;

    /// <summary>The value to put into <c>Location</c>, when <paramref name="target"/> is safe.</summary>
    public static bool TryGetLocation(string? target, IReadOnlyList<Uri> allowedOrigins, [NotNullWhen(true)] out string? location)
    {
        location = null;
        if (string.IsNullOrEmpty(target) || target.Length > MaxLength || HasForbiddenChar(target))
        {
            // CR/LF (header injection), tabs and other controls, whitespace and every backslash ('/\evil' is '//evil' to a browser).
            return false;
        }

        if (target[0] == '/')
        {
            if (!IsLocalPath(target))
            {
                return false;
            }

            location = target;
            return true;
        }

        // Only the canonical "scheme://" form: "https:evil.test" and "javascript:", "data:" never pass.
        if (!target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || !IsAllowedOrigin(uri, allowedOrigins))
        {
            return false;
        }

        location = uri.AbsoluteUri;
        return true;
    }

    /// <summary>Parses a configured origin: http(s), a host, optional port, and no path, query, fragment or user info.</summary>
    public static bool TryParseOrigin(string? value, [NotNullWhen(true)] out Uri? origin)
    {
        origin = null;
        if (string.IsNullOrWhiteSpace(value) || HasForbiddenChar(value)
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.Host.Length == 0)
        {
            return false;
        }

        origin = uri;
        return true;
    }

    private static bool IsLocalPath(string path)
    {
        var current = path;
        for (var round = 0; round <= DecodeRounds; round++)
        {
            // "//evil" is protocol-relative; a lone "/" is fine.
            if (current.Length > 1 && (current[1] == '/' || current[1] == '\\'))
            {
                return false;
            }

            if (round > 0 && (current.Length == 0 || current[0] != '/' || HasForbiddenChar(current)))
            {
                return false;
            }

            var decoded = Uri.UnescapeDataString(current);
            if (decoded == current)
            {
                return true;
            }

            current = decoded;
        }

        // Still changing after several rounds: nobody legitimate nests encodings that deep.
        return false;
    }

    private static bool IsAllowedOrigin(Uri uri, IReadOnlyList<Uri> allowedOrigins)
    {
        foreach (var origin in allowedOrigins)
        {
            if (string.Equals(uri.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
                && uri.Port == origin.Port)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasForbiddenChar(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }
}
