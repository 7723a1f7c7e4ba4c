using System.Buffers;
using System.Globalization;

namespace Portal.Core.Policies;

/// <summary>One policy-side value of a condition key, pre-parsed for its operator family (parse once, compare often).</summary>
internal sealed class ConditionValue
{
    private static readonly SearchValues<char> EpochCharacters = SearchValues.Create("0123456789.");

    public ConditionValue(string raw) => Raw = raw;

    /// <summary>The value normalised to a string (numbers and booleans as written, STS-SPEC §7.1).</summary>
    public string Raw { get; }

    public PolicyTemplate? Template { get; init; }

    public decimal Number { get; init; }

    public DateTimeOffset Date { get; init; }

    public IpCidr? Cidr { get; init; }

    public byte[]? Bytes { get; init; }

    public bool BoolValue { get; init; }

    public static bool TryParseNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);

    /// <summary>W3C ISO 8601 date/time or epoch seconds (§7.3 Date family).</summary>
    public static bool TryParseDate(string text, out DateTimeOffset value)
    {
        if (text.Length > 0 && text.AsSpan().IndexOfAnyExcept(EpochCharacters) < 0
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var epoch))
        {
            try
            {
                value = DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Truncate(epoch * 1000m));
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                value = default;
                return false;
            }
            catch (OverflowException)
            {
                value = default;
                return false;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    public static byte[]? TryDecodeBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
