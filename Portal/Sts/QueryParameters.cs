using System.Text;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// The parameters of a Query-protocol request: the form body of a POST and the query string, merged. A name given twice,
/// or in both the query and the body, is refused before dispatch (SECURITY-CASES 85c/d: the dispatcher must never act on
/// a value the signature did not cover the way the client meant).
/// </summary>
public sealed class QueryParameters
{
    private readonly Dictionary<string, string> _values;

    private QueryParameters(Dictionary<string, string> values) => _values = values;

    /// <summary>All names.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>The value of a parameter, or null.</summary>
    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>True when the parameter is present (possibly empty).</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>Parses the query string and, when present, the form body.</summary>
    public static StsOutcome<QueryParameters> Parse(string rawQuery, ReadOnlySpan<byte> formBody)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ParseInto(values, rawQuery, "query string") is { } e1)
        {
            return e1;
        }

        if (!formBody.IsEmpty)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(formBody);
            }
            catch (DecoderFallbackException)
            {
                return new StsError(StsErrorCode.MalformedQueryString, "The request body is not valid UTF-8.");
            }

            if (ParseInto(values, text, "request body") is { } e2)
            {
                return e2;
            }
        }

        return new QueryParameters(values);
    }

    /// <summary>
    /// Reads a Query-protocol list (<c>Name.member.N</c>, N from 1, no gaps or duplicates; an empty <c>Name=</c> is an empty
    /// list, STS-SPEC §3.1), returning the members' suffix maps in order.
    /// </summary>
    public StsOutcome<IReadOnlyList<IReadOnlyDictionary<string, string>>> List(string name)
    {
        var prefix = name + ".member.";
        var items = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in _values)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(prefix.Length);
            var dot = rest.IndexOf('.');
            var indexText = dot < 0 ? rest : rest[..dot];
            if (indexText.Length == 0 || indexText.Length > 4 || indexText[0] == '0' || !int.TryParse(indexText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                return new StsError(StsErrorCode.InvalidQueryParameter, $"The parameter name {key} is not a valid list member.");
            }

            if (!items.TryGetValue(index, out var member))
            {
                member = new Dictionary<string, string>(StringComparer.Ordinal);
                items[index] = member;
            }

            member[dot < 0 ? string.Empty : rest[(dot + 1)..].ToString()] = value;
        }

        var expected = 1;
        foreach (var index in items.Keys)
        {
            if (index != expected++)
            {
                return new StsError(StsErrorCode.InvalidQueryParameter, $"The list {name} has a gap before member {index}; members are numbered from 1 without gaps.");
            }
        }

        return items.Values.Cast<IReadOnlyDictionary<string, string>>().ToList();
    }

    private static StsError? ParseInto(Dictionary<string, string> values, string text, string where)
    {
        if (text.Length == 0)
        {
            return null;
        }

        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawName = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? string.Empty : pair[(eq + 1)..];
            if (!TryDecode(rawName, out var name) || !TryDecode(rawValue, out var value))
            {
                return new StsError(StsErrorCode.MalformedQueryString, $"The {where} contains a malformed percent-encoding.");
            }

            if (!values.TryAdd(name, value))
            {
                return new StsError(StsErrorCode.ValidationError, $"The parameter {name} was given more than once; each parameter may appear once, in the query string or in the body.");
            }
        }

        return null;
    }

    /// <summary>HTML-form decoding: '+' is a space, %XX bytes form UTF-8; malformed escapes fail.</summary>
    internal static bool TryDecode(string raw, out string decoded)
    {
        if (raw.IndexOf('%') < 0 && raw.IndexOf('+') < 0)
        {
            decoded = raw;
            return true;
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                {
                    decoded = string.Empty;
                    return false;
                }

                bytes.Add((byte)((Uri.FromHex(raw[i + 1]) << 4) | Uri.FromHex(raw[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(raw.Substring(i, 2)));
                i++;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            decoded = string.Empty;
            return false;
        }
    }
}
