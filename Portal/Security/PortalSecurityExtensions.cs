namespace Portal.Security;

/// <summary>Registrations of the web-layer defences (SECURITY-CASES group M) that Program.cs lists.</summary>
public static class PortalSecurityExtensions
{
    /// <summary>Binds and validates the origin allow-list of the Blazor circuit (104b).</summary>
    public static WebApplicationBuilder AddPortalWebSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OriginCheckOptions>().BindConfiguration(OriginCheckOptions.SectionName)
            .Validate(o => o.AllowedOrigins.All(a => BlazorOriginCheck.Normalize(a) is not null), "Portal:AllowedOrigins entries must be origins such as https://portal.example.com (no path).")
            .ValidateOnStart();
        return builder;
    }
}
