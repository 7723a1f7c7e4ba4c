using Microsoft.Extensions.Options;

namespace Portal.Security;

/// <summary>Extra origins the Blazor circuit may be opened from (section <c>Portal</c>, key <c>AllowedOrigins</c>).</summary>
public sealed class OriginCheckOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Portal";

    /// <summary>
    /// Origins (<c>https://portal.example.com</c>) accepted besides the request's own <c>scheme://host</c>; for a public name
    /// that differs from what the portal sees behind a proxy that is not in <c>Network:TrustedProxies</c>.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}

/// <summary>
/// SECURITY-CASES 104b: refuses the Blazor circuit (<c>/_blazor</c>: negotiate, WebSocket upgrade, long-polling, disconnect)
/// to a page of another origin. CORS does not apply to WebSockets, and the circuit runs with the person's cookies, so a
/// foreign page could otherwise drive an administrator's session (cross-site WebSocket hijacking).
/// </summary>
public static class BlazorOriginCheck
{
    /// <summary>The path prefix of the Blazor Server hub.</summary>
    public const string HubPath = "/_blazor";

    /// <summary>Adds the check; it must run before the Blazor hub endpoints.</summary>
    public static IApplicationBuilder UseBlazorOriginCheck(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptionsMonitor<OriginCheckOptions>>();
        return app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HubPath, StringComparison.OrdinalIgnoreCase)
                && !IsAllowed(context.Request, options.CurrentValue.AllowedOrigins))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>
    /// True when the request has no Origin, or its Origin is the request's own origin or an allowed one. No Origin is
    /// accepted because only browsers attach a person's cookies on their own, and browsers always send Origin on a
    /// WebSocket handshake (RFC 6455 §4.1, item 8) and on POST/cross-origin fetches (Fetch standard, "append a request
    /// Origin header"); a client without one is not acting with someone else's cookies. <c>Origin: null</c> (sandboxed
    /// frames, file: pages) is refused.
    /// </summary>
    internal static bool IsAllowed(HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        var values = request.Headers.Origin;
        if (values.Count == 0)
        {
            return true;
        }

        if (values.Count > 1 || Normalize(values[0]) is not { } origin)
        {
            return false;
        }

        var own = Normalize($"{request.Scheme}://{request.Host.Value}");
        return string.Equals(origin, own, StringComparison.Ordinal)
            || allowedOrigins.Any(a => string.Equals(Normalize(a), origin, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>scheme://host[:port]</c> in lower case with the default port dropped, or null when <paramref name="value"/> is not
    /// a serialised http(s) origin (a path, query or user info makes it something else).
    /// </summary>
    internal static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0
            || uri.PathAndQuery != "/"
            || uri.Fragment.Length > 0)
        {
            return null;
        }

        return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant();
    }
}
