using System.Text.Json;
using Portal.Core.Federation.Console;
using Portal.Core.Sts;

namespace Portal.Services.SelfService;

/// <summary>
/// Console links for issued credentials: a one-time sign-in token (valid 15 minutes, STS-SPEC §6.1) exchanged at
/// <c>/federation?Action=login</c>, which opens <c>/console</c> as the session.
/// </summary>
public sealed class ConsoleLinkService
{
    /// <summary>Where the console link lands.</summary>
    public const string Destination = "/console";

    private readonly ConsoleSigninService _signin;

    /// <summary>Creates the service.</summary>
    public ConsoleLinkService(ConsoleSigninService signin) => _signin = signin;

    /// <summary>The portal-relative login URL for <paramref name="credentials"/>, or why no sign-in token was issued.</summary>
    public async Task<StsOutcome<string>> CreateLinkAsync(IssuedCredentials credentials, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var session = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sessionId"] = credentials.AccessKeyId,
            ["sessionKey"] = credentials.SecretAccessKey,
            ["sessionToken"] = credentials.SessionToken,
        });
        var token = await _signin.GetSigninTokenAsync(new SigninTokenRequest(session), ct).ConfigureAwait(false);
        if (!token.Succeeded)
        {
            return token.Error;
        }

        return "/federation?Action=login&Destination=" + Uri.EscapeDataString(Destination) + "&SigninToken=" + Uri.EscapeDataString(token.Value);
    }
}
