using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Authentication.Local;

/// <summary>
/// Per-IP fixed-window limit on sign-in and MFA form posts (RFC 4226 §7.3 throttling), in front of the per-user password
/// lockout and the per-device TOTP lockout: those stop guessing one account, this slows spraying many.
/// </summary>
internal sealed class SignInRateLimiterPolicy : IRateLimiterPolicy<string>
{
    public const string Name = "portal-signin";

    private readonly IOptionsMonitor<LocalSignInOptions> _options;

    public SignInRateLimiterPolicy(IOptionsMonitor<LocalSignInOptions> options) => _options = options;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = static async (context, ct) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.HttpContext.Response.Headers.RetryAfter = "60";
        await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address. Try again in a minute.", ct).ConfigureAwait(false);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var ip = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var permits = _options.CurrentValue.PermitsPerMinutePerIp;
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
