using System.Globalization;

namespace Portal.Core.Federation.Saml;

/// <summary>Strict xs:dateTime in UTC (SAML Core §1.3.3, SECURITY-CASES 47): <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z</c> only.</summary>
internal static class SamlDateTime
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 28 || text[^1] != 'Z' || text.EndsWith(".Z", StringComparison.Ordinal))
        {
            return false;
        }

        return DateTimeOffset.TryParseExact(
            text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Parses a required or optional time attribute; TIME_FORMAT when present but malformed.</summary>
    public static DateTimeOffset? ReadOptional(System.Xml.XmlElement element, string attribute)
    {
        var text = SamlXml.Attr(element, attribute);
        if (text is null)
        {
            return null;
        }

        return TryParse(text, out var value)
            ? value
            : throw new SamlRejectedException(SamlFailureReason.TimeFormat, $"{element.LocalName}/@{attribute} is not a UTC xs:dateTime.");
    }
}
