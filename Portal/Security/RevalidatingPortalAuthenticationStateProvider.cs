using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Portal.Security;

/// <summary>How often a live circuit re-checks its person (section <c>Portal</c>, key <c>RevalidationInterval</c>).</summary>
public sealed class RevalidationOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Portal";

    /// <summary>Default 1 minute (SECURITY-CASES 104e: a short interval).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The circuit's authentication state, re-checked every <see cref="RevalidationOptions.RevalidationInterval"/> against the
/// current directory (SECURITY-CASES 104e): a person who was removed, or who lost the administrator role, becomes
/// unauthenticated in the open circuit, so its pages re-render as "not authorized" and admin handlers refuse.
/// </summary>
internal sealed class RevalidatingPortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    CurrentPrincipalValidator validator,
    IOptions<RevalidationOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await validator.CheckAsync(authenticationState.User, cancellationToken).ConfigureAwait(false) == PrincipalStanding.Current;
}
