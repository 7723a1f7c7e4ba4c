using System.Buffers;
using System.Text;

namespace Portal.Core.Signing;

/// <summary>One query parameter: decoded for reading, re-encoded per RFC 3986 for the canonical query.</summary>
internal readonly record struct QueryParameter(string Name, string Value, string EncodedName, string EncodedValue);

/// <summary>The canonical request of SigV4 (STS-SPEC §5.3), built from the request exactly as received.</summary>
internal static class SigV4Canonicalizer
{
    private const int StackDecodeLimit = 512;

    /// <summary>
    /// Splits the raw query into parameters. Returns false, naming the offending piece, on a malformed
    /// percent-escape: re-encoding it leniently would give two different queries the same canonical form.
    /// </summary>
    public static bool TryParseQuery(string rawQuery, List<QueryParameter> parameters, out string? malformed)
    {
        malformed = null;
        var remaining = rawQuery.AsSpan();
        while (!remaining.IsEmpty)
        {
            var amp = remaining.IndexOf('&');
            var piece = amp < 0 ? remaining : remaining[..amp];
            remaining = amp < 0 ? ReadOnlySpan<char>.Empty : remaining[(amp + 1)..];
            if (piece.IsEmpty)
            {
                continue;
            }

            var eq = piece.IndexOf('=');
            var rawName = eq < 0 ? piece : piece[..eq];
            var rawValue = eq < 0 ? ReadOnlySpan<char>.Empty : piece[(eq + 1)..];
            if (!TryDecode(rawName, out var name, out var encodedName) || !TryDecode(rawValue, out var value, out var encodedValue))
            {
                malformed = piece.ToString();
                return false;
            }

            parameters.Add(new QueryParameter(name, value, encodedName, encodedValue));
        }

        return true;
    }

    /// <summary>
    /// The canonical URI for non-S3 services: dot segments removed and empty segments collapsed (as botocore and
    /// the aws-c-auth "normalized" vectors do), then the received, already-encoded path encoded once more
    /// (STS-SPEC §5.3; SECURITY-CASES 86).
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var range in rawPath.AsSpan().Split('/'))
        {
            var segment = rawPath.AsSpan(range);
            if (segment.IsEmpty || segment is ".")
            {
                continue;
            }

            if (segment is "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment.ToString());
        }

        var normalized = new StringBuilder(rawPath.Length + 1).Append('/');
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > 0)
            {
                normalized.Append('/');
            }

            normalized.Append(segments[i]);
        }

        if (segments.Count > 0 && rawPath[^1] == '/')
        {
            normalized.Append('/');
        }

        return SigV4Encoding.Encode(normalized.ToString(), keepSlash: true);
    }

    /// <summary>Sorted by encoded name, then encoded value, joined with <c>&amp;</c>; the presigned signature excluded.</summary>
    public static string CanonicalQuery(List<QueryParameter> parameters, bool excludeSignature)
    {
        var selected = new QueryParameter[parameters.Count];
        var count = 0;
        foreach (var parameter in parameters)
        {
            if (excludeSignature && parameter.Name == SigV4Constants.SignatureParam)
            {
                continue;
            }

            selected[count++] = parameter;
        }

        Array.Sort(selected, 0, count, QueryOrder.Instance);
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(selected[i].EncodedName).Append('=').Append(selected[i].EncodedValue);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Appends <c>name:value\n</c> per signed header: every occurrence, trimmed, inner whitespace runs collapsed,
    /// joined with ','. Returns the name of a signed header absent from the request, or null (SECURITY-CASES 84d, 87).
    /// </summary>
    public static string? AppendCanonicalHeaders(
        StringBuilder builder,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string[] signedHeaders)
    {
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            var found = AppendValues(builder, headers, name);
            if (!found && name == SigV4Constants.HostHeader)
            {
                // HTTP/2 carries the host in :authority (STS-SPEC §5.3).
                found = AppendValues(builder, headers, SigV4Constants.AuthorityPseudoHeader);
            }

            if (!found)
            {
                return name;
            }

            builder.Append('\n');
        }

        return null;
    }

    public static void AppendTrimmedCollapsed(StringBuilder builder, string? value)
    {
        var span = (value ?? string.Empty).AsSpan().Trim(" \t\r\n");
        var pendingSpace = false;
        foreach (var c in span)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }
    }

    private static bool AppendValues(StringBuilder builder, IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        var found = false;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found)
            {
                builder.Append(',');
            }

            AppendTrimmedCollapsed(builder, headers[i].Value);
            found = true;
        }

        return found;
    }

    private static bool TryDecode(ReadOnlySpan<char> raw, out string decoded, out string encoded)
    {
        var max = SigV4Encoding.MaxDecodedLength(raw.Length);
        byte[]? rented = null;
        var buffer = max <= StackDecodeLimit ? stackalloc byte[StackDecodeLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = SigV4Encoding.DecodeComponent(raw, buffer);
            if (length < 0)
            {
                decoded = string.Empty;
                encoded = string.Empty;
                return false;
            }

            var bytes = buffer[..length];
            decoded = Encoding.UTF8.GetString(bytes);
            var builder = new StringBuilder(length * 3);
            SigV4Encoding.AppendEncoded(builder, bytes, keepSlash: false);
            encoded = builder.ToString();
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed class QueryOrder : IComparer<QueryParameter>
    {
        public static readonly QueryOrder Instance = new();

        public int Compare(QueryParameter x, QueryParameter y)
        {
            var byName = string.CompareOrdinal(x.EncodedName, y.EncodedName);
            return byName != 0 ? byName : string.CompareOrdinal(x.EncodedValue, y.EncodedValue);
        }
    }
}
