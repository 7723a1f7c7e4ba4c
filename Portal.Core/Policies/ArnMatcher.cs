namespace Portal.Core.Policies;

/// <summary>
/// Field-wise ARN glob matching (STS-SPEC §7.2, and the Arn* condition operators of §7.3): pattern and
/// value are split at their first five colons; fields 1–5 are matched one by one, so a wildcard cannot
/// cross a colon there; the sixth field (resource part) is matched whole. Case-sensitive.
/// </summary>
internal static class ArnMatcher
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value, bool escapes = false)
    {
        if (pattern is "*")
        {
            return true;
        }

        for (var field = 0; field < 5; field++)
        {
            var patternEnd = NextColon(pattern, escapes);
            var valueEnd = value.IndexOf(':');
            if (patternEnd < 0 || valueEnd < 0)
            {
                return false;
            }

            if (!GlobMatcher.IsMatch(pattern[..patternEnd], value[..valueEnd], ignoreCase: false, escapes))
            {
                return false;
            }

            pattern = pattern[(patternEnd + 1)..];
            value = value[(valueEnd + 1)..];
        }

        return GlobMatcher.IsMatch(pattern, value, ignoreCase: false, escapes);
    }

    /// <summary>Index of the next field separator; an escaped colon (from a resolved variable) is not one.</summary>
    internal static int NextColon(ReadOnlySpan<char> pattern, bool escapes)
    {
        if (!escapes)
        {
            return pattern.IndexOf(':');
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ':')
            {
                return i;
            }
        }

        return -1;
    }
}
