namespace Portal.Authentication.Local;

/// <summary>Open-redirect guard for <c>returnUrl</c> (SECURITY-CASES 104: only same-origin paths survive).</summary>
public static class SafeReturnUrl
{
    /// <summary>
    /// <paramref name="returnUrl"/> when it is a local path (<c>/x</c>), else <c>/</c>. Refused: absolute URLs,
    /// protocol-relative <c>//host</c>, <c>/\host</c> and any backslash (browsers treat it as a slash), control characters.
    /// </summary>
    public static string Normalize(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048 || returnUrl[0] != '/')
        {
            return "/";
        }

        if (returnUrl.Length > 1 && returnUrl[1] is '/' or '\\')
        {
            return "/";
        }

        foreach (var c in returnUrl)
        {
            if (c == '\\' || char.IsControl(c))
            {
                return "/";
            }
        }

        return returnUrl;
    }
}
