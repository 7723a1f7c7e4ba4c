using System.Text;

namespace Portal.Core.Policies;

/// <summary>
/// A policy string that contains policy variables (STS-SPEC §7.5): <c>${key}</c>, <c>${key, 'default'}</c>
/// and the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>. Only built for Version 2012-10-17 documents and
/// only where variables are allowed; everywhere else <c>${</c> is literal text.
/// </summary>
internal sealed class PolicyTemplate
{
    private readonly Segment[] _segments;

    private PolicyTemplate(Segment[] segments) => _segments = segments;

    /// <summary>
    /// Parses <paramref name="text"/>. Returns null with no error when the text has no variable, and null
    /// with <paramref name="error"/> set when a variable is malformed.
    /// </summary>
    public static PolicyTemplate? TryParse(string text, out string? error)
    {
        error = null;
        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var segments = new List<Segment>();
        var literalStart = 0;
        while (start >= 0)
        {
            if (start > literalStart)
            {
                segments.Add(Segment.Text(text[literalStart..start]));
            }

            var end = FindClose(text, start + 2);
            if (end < 0)
            {
                error = $"unterminated policy variable in \"{text}\"";
                return null;
            }

            var body = text.AsSpan(start + 2, end - start - 2);
            if (body is "*" or "?" or "$")
            {
                segments.Add(Segment.Escape(body[0]));
            }
            else if (!TryParseVariable(body, out var key, out var defaultValue))
            {
                error = $"malformed policy variable \"{text[start..(end + 1)]}\"";
                return null;
            }
            else
            {
                segments.Add(Segment.Variable(key, defaultValue));
            }

            literalStart = end + 1;
            start = text.IndexOf("${", literalStart, StringComparison.Ordinal);
        }

        if (literalStart < text.Length)
        {
            segments.Add(Segment.Text(text[literalStart..]));
        }

        return new PolicyTemplate([.. segments]);
    }

    /// <summary>
    /// Substitutes the variables from <paramref name="context"/>. With <paramref name="asGlobPattern"/>, the
    /// result is a <see cref="GlobMatcher"/> pattern in escape mode: policy text keeps its wildcards while
    /// substituted values and escapes are literal. False when a variable is absent and has no default.
    /// </summary>
    public bool TryResolve(RequestContext context, bool asGlobPattern, out string result)
    {
        var builder = new StringBuilder();
        foreach (var segment in _segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Text when asGlobPattern:
                    builder.Append(segment.Value.Replace("\\", "\\\\", StringComparison.Ordinal));
                    break;
                case SegmentKind.Text:
                    builder.Append(segment.Value);
                    break;
                case SegmentKind.Escape:
                    AppendLiteral(builder, segment.Value, asGlobPattern);
                    break;
                default:
                    string? value = null;
                    if (context.TryGet(segment.Value, out var values) && values.Count == 1)
                    {
                        value = values[0];
                    }

                    value ??= segment.Default;
                    if (value is null)
                    {
                        result = string.Empty;
                        return false;
                    }

                    AppendLiteral(builder, value, asGlobPattern);
                    break;
            }
        }

        result = builder.ToString();
        return true;
    }

    private static void AppendLiteral(StringBuilder builder, string value, bool asGlobPattern)
    {
        if (!asGlobPattern)
        {
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            if (c is '*' or '?' or '\\' or ':')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }
    }

    /// <summary>Finds the closing brace, skipping a quoted default value (which may contain '}').</summary>
    private static int FindClose(string text, int from)
    {
        var quoted = false;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                quoted = !quoted;
            }
            else if (text[i] == '}' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryParseVariable(ReadOnlySpan<char> body, out string key, out string? defaultValue)
    {
        key = string.Empty;
        defaultValue = null;
        var comma = body.IndexOf(',');
        var keySpan = (comma < 0 ? body : body[..comma]).Trim();
        if (keySpan.IsEmpty || keySpan.IndexOfAny("'${ ") >= 0)
        {
            return false;
        }

        key = keySpan.ToString();
        if (comma < 0)
        {
            return true;
        }

        var rest = body[(comma + 1)..].Trim();
        if (rest.Length < 2 || rest[0] != '\'' || rest[^1] != '\'' || rest[1..^1].Contains('\''))
        {
            return false;
        }

        defaultValue = rest[1..^1].ToString();
        return true;
    }

    private enum SegmentKind
    {
        Text,
        Escape,
        Variable,
    }

    private readonly record struct Segment(SegmentKind Kind, string Value, string? Default)
    {
        public static Segment Text(string text) => new(SegmentKind.Text, text, null);

        public static Segment Escape(char c) => new(SegmentKind.Escape, c.ToString(), null);

        public static Segment Variable(string key, string? defaultValue) => new(SegmentKind.Variable, key, defaultValue);
    }
}
