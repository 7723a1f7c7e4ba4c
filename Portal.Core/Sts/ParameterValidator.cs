using System.Globalization;
using System.Text;

namespace Portal.Core.Sts;

/// <summary>
/// Collects every model-constraint failure of a request and reports them in one <c>ValidationError</c>, worded as AWS
/// does (STS-SPEC §1.0.7 step 3): "N validation errors detected: Value 'v' at 'member' failed to satisfy constraint: …".
/// </summary>
internal sealed class ParameterValidator
{
    private readonly List<string> _failures = [];

    public void Required(string member, string? value)
    {
        if (value is null)
        {
            _failures.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
    }

    public void Length(string member, string? value, int min, int max, bool sensitive = false)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length < min)
        {
            Add(member, value, sensitive, string.Create(CultureInfo.InvariantCulture, $"Member must have length greater than or equal to {min}"));
        }
        else if (value.Length > max)
        {
            Add(member, value, sensitive, string.Create(CultureInfo.InvariantCulture, $"Member must have length less than or equal to {max}"));
        }
    }

    public void Range(string member, int? value, int min, int max)
    {
        if (value is not { } v)
        {
            return;
        }

        if (v < min)
        {
            Add(member, v.ToString(CultureInfo.InvariantCulture), false, string.Create(CultureInfo.InvariantCulture, $"Member must have value greater than or equal to {min}"));
        }
        else if (v > max)
        {
            Add(member, v.ToString(CultureInfo.InvariantCulture), false, string.Create(CultureInfo.InvariantCulture, $"Member must have value less than or equal to {max}"));
        }
    }

    public void Pattern(string member, string? value, Func<char, bool> allowed, string pattern, bool sensitive = false)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            if (!allowed(c))
            {
                Add(member, value, sensitive, "Member must satisfy regular expression pattern: " + pattern);
                return;
            }
        }
    }

    public void ArnChars(string member, string? value)
    {
        if (value is not null && !StsPatterns.IsArnText(value))
        {
            Add(member, value, false, "Member must satisfy regular expression pattern: " + StsPatterns.ArnPattern);
        }
    }

    public void PolicyChars(string member, string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            if (!StsPatterns.IsPolicyChar(c))
            {
                Add(member, value, false, "Member must satisfy regular expression pattern: " + StsPatterns.PolicyPattern);
                return;
            }
        }
    }

    public void Count(string member, int count, int max)
    {
        if (count > max)
        {
            _failures.Add(string.Create(CultureInfo.InvariantCulture, $"Value '[...]' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"));
        }
    }

    public void Custom(string failure) => _failures.Add(failure);

    public StsError? ToError()
    {
        if (_failures.Count == 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        sb.Append(_failures.Count.ToString(CultureInfo.InvariantCulture));
        sb.Append(_failures.Count == 1 ? " validation error detected: " : " validation errors detected: ");
        sb.AppendJoin("; ", _failures);
        return new StsError(StsErrorCode.ValidationError, sb.ToString());
    }

    private void Add(string member, string value, bool sensitive, string constraint)
    {
        // Note: sensitive members (SAMLAssertion, WebIdentityToken) are masked, never echoed (STS-SPEC §1.0.7).
        var shown = sensitive ? "*** Sensitive Data Redacted ***" : value;
        _failures.Add($"Value '{shown}' at '{member}' failed to satisfy constraint: {constraint}");
    }
}

/// <summary>The model's character classes, spelled out (STS-SPEC §1.0.6: Java <c>\w</c> is ASCII).</summary>
internal static class StsPatterns
{
    public const string NamePattern = @"[\w+=,.@-]*";
    public const string ExternalIdPattern = @"[\w+=,.@:\/-]*";
    public const string SerialPattern = @"[\w+=/:,.@-]*";
    public const string TokenCodePattern = @"[\d]*";
    public const string AccessKeyPattern = @"[\w]*";
    public const string TagKeyPattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
    public const string TagValuePattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";
    public const string PolicyPattern = @"[\u0009\u000A\u000D\u0020-\u00FF]+";
    public const string ArnPattern = @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";

    public static bool IsWord(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    public static bool IsNameChar(char c) => IsWord(c) || c is '+' or '=' or ',' or '.' or '@' or '-';

    public static bool IsExternalIdChar(char c) => IsNameChar(c) || c is ':' or '/';

    public static bool IsSerialChar(char c) => IsNameChar(c) || c is '/' or ':';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsPolicyChar(char c) => c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\u00FF');

    public static bool IsTagChar(char c) =>
        char.IsLetter(c) || char.IsDigit(c) || char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        || c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';

    /// <summary>Every code point is TAB, LF, CR, 0x20–0x7E, 0x85, 0xA0–0xD7FF, 0xE000–0xFFFD or a valid surrogate pair.</summary>
    public static bool IsArnText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\u007E') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }
}
