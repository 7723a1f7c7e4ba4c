using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Portal.Core.Credentials;
using Portal.Core.Federation.Console;
using Portal.Core.Sts;

namespace Portal.Federation;

/// <summary>
/// The console federation endpoint (STS-SPEC §6) and the console landing page.
/// Error format (AWS's is undocumented, STS-SPEC §6.1/§9): <c>getSigninToken</c>, called by brokers, answers
/// <c>{"Error":{"Code":…,"Message":…}}</c> as JSON; <c>login</c> and <c>/console</c>, opened by browsers, answer plain
/// text. Both use the status of the code in <see cref="StsErrors"/> (400 for bad input, 403 for refused credentials).
/// </summary>
public static partial class FederationEndpoints
{
    /// <summary>The federation endpoint's path.</summary>
    public const string FederationPath = "/federation";

    /// <summary>The console landing page's path.</summary>
    public const string ConsolePath = "/console";

    /// <summary>Actions the console page evaluates for every session: a quick "what may I do" overview.</summary>
    internal static readonly IReadOnlyList<(string Action, string Resource)> CommonActions =
    [
        ("sts:GetCallerIdentity", "*"),
        ("sts:AssumeRole", "*"),
        ("iam:ListRoles", "*"),
        ("iam:ListUsers", "*"),
        ("s3:ListAllMyBuckets", "*"),
        ("ec2:DescribeInstances", "*"),
    ];

    private const int MaxResourceLength = 2048;

    /// <summary>Adds the sign-in service, the <see cref="ConsoleAuthentication.Scheme"/> cookie scheme and the options.</summary>
    public static IServiceCollection AddPortalFederation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FederationOptions>()
            .BindConfiguration(FederationOptions.SectionName)
            .Validate(o => TryParseOrigins(o), "Federation:AllowedDestinations must list http(s) origins only, e.g. https://console.example.com.")
            .ValidateOnStart();
        services.AddSingleton<ConsoleSigninService>();
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, options =>
        {
            options.Cookie.Name = ConsoleAuthentication.CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.Path = "/";

            // The console session never outlives what the sign-in decided (min of SessionDuration and the credentials).
            options.SlidingExpiration = false;
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuthentication.Scheme)
            .Configure<IMasterKeySource>((options, masterKey) => options.TicketDataFormat = new SealedTicketFormat(masterKey));
        return services;
    }

    /// <summary>Maps <c>GET|POST /federation</c> and <c>GET /console</c>.</summary>
    public static IEndpointRouteBuilder MapPortalFederation(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(FederationPath, [HttpMethods.Get, HttpMethods.Post], FederationAsync);
        endpoints.MapGet(ConsolePath, ConsoleAsync);
        return endpoints;
    }

    private static bool TryParseOrigins(FederationOptions options)
    {
        try
        {
            _ = options.ParseAllowedOrigins();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<IResult> FederationAsync(HttpContext http, ConsoleSigninService signin, IOptions<FederationOptions> options, CancellationToken ct)
    {
        ApplySecurityHeaders(http.Response);
        var parameters = await ReadParametersAsync(http.Request, ct).ConfigureAwait(false);
        if (!parameters.Succeeded)
        {
            return JsonError(parameters.Error);
        }

        var p = parameters.Value;
        return p.GetValueOrDefault("Action") switch
        {
            null or "" => JsonError(new StsError(StsErrorCode.MissingAction, "The request must contain the parameter Action.")),
            "getSigninToken" => await GetSigninTokenAsync(signin, p, ct).ConfigureAwait(false),
            "login" => await LoginAsync(http, signin, options.Value, p, ct).ConfigureAwait(false),
            _ => JsonError(new StsError(StsErrorCode.InvalidAction, "Action must be getSigninToken or login.")),
        };
    }

    private static async Task<IResult> GetSigninTokenAsync(ConsoleSigninService signin, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        var request = new SigninTokenRequest(
            p.GetValueOrDefault("Session"),
            p.GetValueOrDefault("SessionDuration"),
            p.GetValueOrDefault("DurationSeconds"),
            p.GetValueOrDefault("SessionType"));
        var outcome = await signin.GetSigninTokenAsync(request, ct).ConfigureAwait(false);
        return outcome.Succeeded
            ? Results.Json(new SigninTokenResponse(outcome.Value), FederationJsonContext.Default.SigninTokenResponse)
            : JsonError(outcome.Error);
    }

    private static async Task<IResult> LoginAsync(HttpContext http, ConsoleSigninService signin, FederationOptions options, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        // Targets are checked before the token is redeemed, so a typo in Destination does not burn the token.
        var origins = options.ParseAllowedOrigins();
        if (!FederationRedirects.TryGetLocation(p.GetValueOrDefault("Destination"), origins, out var location))
        {
            return TextError(new StsError(StsErrorCode.InvalidParameterValue, "Destination must be a path on this portal (starting with a single '/') or a URL on an allowed origin."));
        }

        var issuer = p.GetValueOrDefault("Issuer");
        string? issuerLocation = null;
        if (!string.IsNullOrEmpty(issuer) && !FederationRedirects.TryGetLocation(issuer, origins, out issuerLocation))
        {
            return TextError(new StsError(StsErrorCode.InvalidParameterValue, "Issuer must be a path on this portal or a URL on an allowed origin."));
        }

        // SECURITY-CASES 97e (login CSRF): a link arriving from another site could plant someone else's session in this
        // browser, so such navigations first show who the session is and need a deliberate, antiforgery-protected POST.
        // The portal's own "Open console" (a same-origin navigation) goes straight through, as does the confirmation.
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
            {
                return TextError(new StsError(StsErrorCode.AccessDenied, "The sign-in confirmation is invalid or has expired. Open the sign-in link again."));
            }
        }
        else if (!string.Equals(http.Request.Headers["Sec-Fetch-Site"].ToString(), "same-origin", StringComparison.Ordinal))
        {
            var peek = await signin.PeekAsync(p.GetValueOrDefault("SigninToken"), ct).ConfigureAwait(false);
            return peek.Succeeded
                ? ConfirmationPage(antiforgery.GetAndStoreTokens(http), peek.Value, p)
                : TextError(peek.Error);
        }

        var outcome = await signin.RedeemAsync(p.GetValueOrDefault("SigninToken"), ct).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return TextError(outcome.Error);
        }

        var session = outcome.Value;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, session.Claims.Arn),
            new(ClaimTypes.Name, session.Claims.Arn),
            new(ConsoleAuthentication.ArnClaim, session.Claims.Arn),
            new(ConsoleAuthentication.AccountClaim, session.Claims.AccountId),
            new(ConsoleAuthentication.AccessKeyIdClaim, session.Claims.AccessKeyId),
            new(ConsoleAuthentication.SessionTokenClaim, session.SessionToken),
            new(ConsoleAuthentication.ExpiresAtClaim, session.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        };
        if (issuerLocation is not null)
        {
            claims.Add(new Claim(ConsoleAuthentication.IssuerClaim, issuerLocation));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleAuthentication.Scheme));
        await http.SignInAsync(ConsoleAuthentication.Scheme, principal, new AuthenticationProperties
        {
            ExpiresUtc = session.ExpiresAt,
            IsPersistent = true,
            AllowRefresh = false,
        }).ConfigureAwait(false);

        // Delivered by 302 only: no page that carries the token in links (SECURITY-CASES 99).
        return Results.Redirect(location);
    }

    /// <summary>The "you are signing in as …" page: the token travels only in a POST form field, never in a link (case 99).</summary>
    private static IResult ConfirmationPage(AntiforgeryTokenSet tokens, SessionClaims claims, IReadOnlyDictionary<string, string> p)
    {
        static string E(string? value) => System.Net.WebUtility.HtmlEncode(value ?? string.Empty);
        var issuer = p.GetValueOrDefault("Issuer");
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in to the console</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
            <main>
            <h1>Sign in to the console?</h1>
            <p>You are about to sign in to the console as <strong id="signin-arn">{E(claims.Arn)}</strong>
            (account {E(claims.AccountId)}), until {E(claims.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))}.</p>
            <p>Continue only if you asked for this sign-in link yourself.</p>
            <form method="post" action="{FederationPath}">
              <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
              <input type="hidden" name="Action" value="login">
              <input type="hidden" name="SigninToken" value="{E(p.GetValueOrDefault("SigninToken"))}">
              <input type="hidden" name="Destination" value="{E(p.GetValueOrDefault("Destination"))}">
              {(string.IsNullOrEmpty(issuer) ? string.Empty : $"<input type=\"hidden\" name=\"Issuer\" value=\"{E(issuer)}\">")}
              <button type="submit" id="signin-continue">Continue</button>
              <a href="/">Cancel</a>
            </form>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> ConsoleAsync(HttpContext http, ConsoleSigninService signin, StsEngine engine, CancellationToken ct)
    {
        ApplySecurityHeaders(http.Response);
        var auth = await http.AuthenticateAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
        var principal = auth.Succeeded ? auth.Principal : null;
        var keyId = principal?.FindFirst(ConsoleAuthentication.AccessKeyIdClaim)?.Value;
        var token = principal?.FindFirst(ConsoleAuthentication.SessionTokenClaim)?.Value;
        var expiresText = principal?.FindFirst(ConsoleAuthentication.ExpiresAtClaim)?.Value;
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(token)
            || !DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiresAt))
        {
            return Results.Text("You are not signed in to the console. Sign in through your identity broker.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        // Revocation and expiry of the underlying credentials end the console session on the next request.
        var session = await signin.ValidateSessionAsync(keyId, token, expiresAt, ct).ConfigureAwait(false);
        if (!session.Succeeded)
        {
            await http.SignOutAsync(ConsoleAuthentication.Scheme).ConfigureAwait(false);
            return TextError(session.Error);
        }

        var query = ReadQuery(http.Request.Query, "action", "resource");
        if (!query.Succeeded)
        {
            return TextError(query.Error);
        }

        var action = query.Value.GetValueOrDefault("action");
        var resource = query.Value.GetValueOrDefault("resource");
        if (CheckSimulatorInput(action, resource) is { } inputError)
        {
            return TextError(inputError);
        }

        var overview = new List<ConsolePage.Evaluation>(CommonActions.Count);
        foreach (var (commonAction, commonResource) in CommonActions)
        {
            var decision = await engine.EvaluateAsync(session.Value, commonAction, commonResource, ct: ct).ConfigureAwait(false);
            overview.Add(new ConsolePage.Evaluation(commonAction, commonResource, decision));
        }

        ConsolePage.Evaluation? simulated = null;
        if (!string.IsNullOrEmpty(action))
        {
            var target = string.IsNullOrEmpty(resource) ? "*" : resource;
            simulated = new ConsolePage.Evaluation(action, target, await engine.EvaluateAsync(session.Value, action, target, ct: ct).ConfigureAwait(false));
        }

        var html = ConsolePage.Render(session.Value, expiresAt, principal!.FindFirst(ConsoleAuthentication.IssuerClaim)?.Value, overview, simulated, action, resource);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static StsError? CheckSimulatorInput(string? action, string? resource)
    {
        if (!string.IsNullOrEmpty(resource) && string.IsNullOrEmpty(action))
        {
            return new StsError(StsErrorCode.MissingParameter, "The simulator needs an action, e.g. s3:GetObject.");
        }

        if (!string.IsNullOrEmpty(action) && (action.Length > 128 || !ActionPattern().IsMatch(action)))
        {
            return new StsError(StsErrorCode.InvalidParameterValue, "The action must look like service:Action, e.g. s3:GetObject.");
        }

        if (!string.IsNullOrEmpty(resource) && (resource.Length > MaxResourceLength || resource.Any(char.IsControl)))
        {
            return new StsError(StsErrorCode.InvalidParameterValue, "The resource must be an ARN or * of at most 2048 characters.");
        }

        return null;
    }

    /// <summary>Query (GET) or form (POST) parameters; a parameter given twice is ambiguous and refused.</summary>
    private static async Task<StsOutcome<IReadOnlyDictionary<string, string>>> ReadParametersAsync(HttpRequest request, CancellationToken ct)
    {
        if (HttpMethods.IsGet(request.Method))
        {
            return ReadQuery(request.Query, null);
        }

        if (!request.HasFormContentType)
        {
            return new StsError(StsErrorCode.MalformedQueryString, "POST requests must be application/x-www-form-urlencoded.");
        }

        try
        {
            var form = await request.ReadFormAsync(ct).ConfigureAwait(false);
            return ToSingleValues(form);
        }
        catch (InvalidDataException)
        {
            return new StsError(StsErrorCode.MalformedQueryString, "The form body cannot be parsed.");
        }
    }

    private static StsOutcome<IReadOnlyDictionary<string, string>> ReadQuery(IQueryCollection query, params string[]? only)
    {
        var selected = only is null ? query : query.Where(kv => only.Contains(kv.Key, StringComparer.Ordinal));
        return ToSingleValues(selected);
    }

    private static StsOutcome<IReadOnlyDictionary<string, string>> ToSingleValues(IEnumerable<KeyValuePair<string, StringValues>> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (value.Count != 1)
            {
                return new StsError(StsErrorCode.ValidationError, $"The parameter {name} must be given exactly once.");
            }

            result[name] = value[0] ?? string.Empty;
        }

        return result;
    }

    /// <summary>No caching of tokens or pages, no Referer leak of the token, no framing (SECURITY-CASES 99, 104c).</summary>
    private static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static IResult JsonError(StsError error) =>
        Results.Json(new FederationErrorResponse(new FederationError(error.WireCode, error.Message)), FederationJsonContext.Default.FederationErrorResponse, statusCode: error.HttpStatus);

    private static IResult TextError(StsError error) =>
        Results.Text(error.Message, "text/plain; charset=utf-8", statusCode: error.HttpStatus);

    [GeneratedRegex("^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionPattern();
}

/// <summary>The body of a successful <c>getSigninToken</c> (STS-SPEC §6.1).</summary>
/// <param name="SigninToken">The opaque sign-in token.</param>
internal sealed record SigninTokenResponse(string SigninToken);

/// <summary>The JSON error body of <c>getSigninToken</c>.</summary>
/// <param name="Error">The error.</param>
internal sealed record FederationErrorResponse(FederationError Error);

/// <summary>An error code (the STS wire code) and message.</summary>
/// <param name="Code">The code.</param>
/// <param name="Message">The message.</param>
internal sealed record FederationError(string Code, string Message);

[JsonSerializable(typeof(SigninTokenResponse))]
[JsonSerializable(typeof(FederationErrorResponse))]
internal sealed partial class FederationJsonContext : JsonSerializerContext;
