using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Authentication.Saml2.Bindings;
using Portal.Authentication.Saml2.Logout;
using Portal.Authentication.Saml2.Metadata;
using Portal.Core.Audit;
using Portal.Core.Federation;
using Portal.Core.Federation.Saml;

using Portal.Authentication.Saml2;

// Program.cs lists Add…/Map… calls without extra usings: the extensions live in the builder's namespace, as
// aspnetcore's and Sustainsys's Add* methods do (hence the local namespace-match suppression).
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Registration of SAML 2.0 sign-in and of the AssumeRoleWithSAML validator.</summary>
public static class Saml2AuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the SAML SP: per-provider schemes kept in step with the database by <see cref="SamlProviderSchemes"/>, the
    /// DB-backed replay cache and provider source, and Core's <see cref="StsSamlAssertionValidator"/> as the STS API's
    /// <see cref="ISamlAssertionValidator"/> (replacing Core's refuse-everything default whichever is registered first).
    /// Collaborators are registered with TryAdd so a test or app can replace any of them.
    /// </summary>
    public static WebApplicationBuilder AddPortalSaml2(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddAuthentication();
        services.AddOptions<Saml2ServiceProviderOptions>().BindConfiguration(Saml2Defaults.SectionName);
        services.AddOptions<StsSamlOptions>().BindConfiguration(Saml2Defaults.StsSectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SamlResponseValidator(sp.GetRequiredService<ILogger<SamlResponseValidator>>()));
        services.TryAddSingleton<ISamlReplayCache, ReplayStoreSamlReplayCache>();
        services.TryAddSingleton<ISamlProviderSource, DbSamlProviderSource>();
        services.TryAddSingleton<ISaml2ClaimsFactory, Saml2ClaimsFactory>();
        services.TryAddTransient<Saml2Handler>();
        services.TryAddSingleton<SamlProviderSchemes>();
        services.TryAddSingleton<Saml2LogoutService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Saml2Options>, Saml2PostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Saml2Options>, Saml2ValidateOptions>());
        services.AddHostedService<SamlProviderSchemesService>();
        services.Replace(ServiceDescriptor.Singleton<ISamlAssertionValidator, StsSamlAssertionValidator>());
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /saml/metadata</c>, <c>GET /saml/login/{provider}</c>, Single Logout <c>GET /saml/slo</c> and the ACS fallback <c>POST /saml/acs</c>, which
    /// answers responses no provider claimed. The ACS opts out of antiforgery: the IdP cannot send a token, and the
    /// response is bound to the browser by the state and correlation cookies instead (SECURITY-CASES 104a, 104j).
    /// </summary>
    public static WebApplication MapPortalSaml2(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Saml2Defaults.MetadataPath, Metadata).AllowAnonymous();
        app.MapGet(Saml2Defaults.LoginPathPrefix + "/{provider}", ChallengeAsync).AllowAnonymous();
        app.MapGet(Saml2Defaults.SingleLogoutPath, static (HttpContext context, Saml2LogoutService logout) => logout.HandleAsync(context)).AllowAnonymous();
        app.MapPost(Saml2Defaults.CallbackPath, RejectUnclaimedAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static IResult Metadata(HttpRequest request, IOptions<Saml2ServiceProviderOptions> options, IOptionsMonitor<Saml2Options> schemeOptions, SamlProviderSchemes schemes)
    {
        var sp = options.Value;
        var signing = schemes.Registrations.Keys.Select(schemeOptions.Get).Select(o => o.SigningCertificate).FirstOrDefault(c => c is not null);
        var xml = SpMetadataWriter.Write(sp.SpEntityId(request), sp.AcsLocation(request), signing, sp.EffectiveNameIdFormats, sp.SloLocation(request));
        return Results.Content(xml, "application/samlmetadata+xml; charset=utf-8");
    }

    private static async Task<IResult> ChallengeAsync(string provider, string? returnUrl, IAuthenticationSchemeProvider schemes)
    {
        var scheme = Saml2Defaults.SchemeName(provider);
        if (await schemes.GetSchemeAsync(scheme).ConfigureAwait(false) is not { HandlerType: var type } || type != typeof(Saml2Handler))
        {
            return Results.NotFound();
        }

        // SECURITY-CASES 98: only a local path may be the post-sign-in target.
        var target = returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) ? returnUrl : "/";
        return Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [scheme]);
    }

    /// <summary>A POST no provider's handler claimed: unreadable, or for an unknown IdP or an expired/foreign state.</summary>
    private static async Task RejectUnclaimedAsync(HttpContext context, IAuditSink audit, TimeProvider time, ILoggerFactory loggers)
    {
        var message = await HttpPostBinding.ReadAsync(context).ConfigureAwait(false);
        var reason = message.Problem
            ?? (Saml2Handler.TryParseRelayState(message.RelayState, out _, out _) ? SamlFailureReason.InResponseTo.ToCode()
                : message.UnverifiedIssuer is null ? SamlFailureReason.XmlMalformed.ToCode()
                : SamlFailureReason.Issuer.ToCode());
        Log.Unclaimed(loggers.CreateLogger<Saml2Handler>(), reason);
        await audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = time.GetUtcNow(),
                Action = Saml2Defaults.AuditAction,
                Decision = AuditDecision.Deny,
                Reason = reason,
                SourceIp = context.Connection.RemoteIpAddress?.ToString(),
                UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null,
                Message = Saml2Defaults.RejectedEvent,
            },
            context.RequestAborted).ConfigureAwait(false);
        await Saml2FailurePage.WriteAsync(context).ConfigureAwait(false);
    }
}
