namespace Portal.Core.Policies;

/// <summary>
/// IAM glob matching: <c>*</c> matches any sequence (including empty), <c>?</c> exactly one character,
/// everything else is literal (STS-SPEC §7.2). Never builds a regex from policy text.
/// </summary>
/// <remarks>
/// Classic two-pointer greedy algorithm: on a mismatch it backtracks only to the last <c>*</c>, so the
/// worst case is O(pattern × value) instead of the exponential blow-up of naive recursion.
/// With <c>escapes</c> on, <c>\x</c> stands for a literal <c>x</c>; resolved policy variables and the
/// <c>${*}</c>/<c>${?}</c> escapes (§7.5) are spliced in that way so they can never act as wildcards.
/// </remarks>
internal static class GlobMatcher
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value, bool ignoreCase, bool escapes = false)
    {
        var p = 0;
        var v = 0;
        var starP = -1;
        var starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                var length = 1;
                var literal = false;
                if (escapes && c == '\\' && p + 1 < pattern.Length)
                {
                    c = pattern[p + 1];
                    length = 2;
                    literal = true;
                }

                if (!literal && c == '*')
                {
                    p++;
                    starP = p;
                    starV = v;
                    continue;
                }

                if ((!literal && c == '?') || CharEquals(c, value[v], ignoreCase))
                {
                    p += length;
                    v++;
                    continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP;
            v = ++starV;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    private static bool CharEquals(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
