using System.Buffers.Text;
using Microsoft.AspNetCore.Authentication;
using Portal.Core.Credentials;

namespace Portal.Federation;

/// <summary>The console session's authentication scheme and the claims its principal carries.</summary>
public static class ConsoleAuthentication
{
    /// <summary>The cookie scheme of console sessions started through the federation endpoint.</summary>
    public const string Scheme = "PortalConsole";

    /// <summary>The cookie name.</summary>
    public const string CookieName = "PortalConsole";

    /// <summary>The session's caller ARN.</summary>
    public const string ArnClaim = "portal:console:arn";

    /// <summary>The session's 12-digit account.</summary>
    public const string AccountClaim = "portal:console:account";

    /// <summary>When the console session ends (ISO 8601, UTC).</summary>
    public const string ExpiresAtClaim = "portal:console:expires_at";

    /// <summary>The access key id of the underlying temporary credentials.</summary>
    public const string AccessKeyIdClaim = "portal:console:access_key_id";

    /// <summary>The session token of the underlying credentials, re-verified on every request; lives only in the sealed cookie.</summary>
    public const string SessionTokenClaim = "portal:console:session_token";

    /// <summary>The validated broker URL from <c>Issuer</c>, when given.</summary>
    public const string IssuerClaim = "portal:console:issuer";
}

/// <summary>
/// Seals the console cookie with AES-256-GCM under a master-key subkey of its own purpose instead of ASP.NET Data
/// Protection, so every node of a deployment (which share the master key) opens every node's cookies.
/// </summary>
internal sealed class SealedTicketFormat : ISecureDataFormat<AuthenticationTicket>
{
    public const string Purpose = "portal/console-cookie/v1";

    private const int MaxLength = 32 * 1024;

    private readonly SecretProtector _protector;

    public SealedTicketFormat(IMasterKeySource masterKey) => _protector = new SecretProtector(masterKey, Purpose);

    public string Protect(AuthenticationTicket data) => Protect(data, purpose: null);

    public string Protect(AuthenticationTicket data, string? purpose) =>
        Base64Url.EncodeToString(_protector.Protect(TicketSerializer.Default.Serialize(data)));

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText) || protectedText.Length > MaxLength || !Base64Url.IsValid(protectedText))
        {
            return null;
        }

        var opened = _protector.Unprotect(Base64Url.DecodeFromChars(protectedText));
        return opened.Succeeded ? TicketSerializer.Default.Deserialize(opened.Value) : null;
    }
}
