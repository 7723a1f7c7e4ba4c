using System.Globalization;
using OtpNet;

namespace Portal.Core.Mfa;

/// <summary>Builds Google Authenticator Key URIs (<c>otpauth://totp/ISSUER:LABEL?secret=…</c>).</summary>
internal static class OtpAuthUri
{
    /// <summary>
    /// Issuer and account label are percent-encoded (RFC 3986 unreserved characters only), so a label such as
    /// <c>bob?secret=AAAA&amp;issuer=Evil</c> cannot end the path or add query parameters (case 102f).
    /// </summary>
    internal static string Build(string issuer, string accountLabel, byte[] secret)
    {
        var encodedIssuer = Uri.EscapeDataString(issuer);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"otpauth://totp/{encodedIssuer}:{Uri.EscapeDataString(accountLabel)}?secret={Base32Encoding.ToString(secret)}&issuer={encodedIssuer}&algorithm=SHA1&digits={TotpSteps.Digits}&period={TotpSteps.StepSeconds}");
    }
}
