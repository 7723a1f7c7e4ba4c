using Microsoft.AspNetCore.Components.Server;

namespace Portal.Hosting;

/// <summary>
/// Operator settings of the interactive (Blazor Server) circuits, section <c>Circuits</c> of appsettings.json. Unset
/// values keep ASP.NET Core's defaults; the defaults here are the ones docs/benchmarks.md measured.
/// </summary>
public sealed class PortalCircuitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Circuits";

    /// <summary>
    /// Per-message deflate on the circuit's WebSocket; off by default (ASP.NET Core's is on). Each compressed connection
    /// keeps zlib state for its lifetime (about 0.1 MB resident per circuit measured, near the noise; docs/benchmarks.md), and a
    /// circuit renders secrets (issued credentials) next to text the person types, the mix compression side channels
    /// need (BREACH-style); the render batches are small, so the bandwidth saved is small too.
    /// </summary>
    public bool WebSocketCompression { get; set; }

    /// <summary>See <see cref="CircuitOptions.DisconnectedCircuitMaxRetained"/>.</summary>
    public int? DisconnectedCircuitMaxRetained { get; set; }

    /// <summary>See <see cref="CircuitOptions.DisconnectedCircuitRetentionPeriod"/>.</summary>
    public TimeSpan? DisconnectedCircuitRetentionPeriod { get; set; }

    /// <summary>See <see cref="CircuitOptions.MaxBufferedUnacknowledgedRenderBatches"/>.</summary>
    public int? MaxBufferedUnacknowledgedRenderBatches { get; set; }

    /// <summary>Largest message a browser may send on the circuit (bytes); see HubOptions.MaximumReceiveMessageSize.</summary>
    public long? MaximumReceiveMessageSize { get; set; }
}

/// <summary>Applies <see cref="PortalCircuitOptions"/> to the circuit services and to the /_blazor endpoint.</summary>
public static class CircuitHosting
{
    /// <summary>Adds interactive server components with the circuit and hub settings from configuration.</summary>
    public static IServerSideBlazorBuilder AddPortalInteractiveServer(this IRazorComponentsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = Read(configuration);
        return builder
            .AddInteractiveServerComponents(circuit =>
            {
                circuit.DisconnectedCircuitMaxRetained = settings.DisconnectedCircuitMaxRetained ?? circuit.DisconnectedCircuitMaxRetained;
                circuit.DisconnectedCircuitRetentionPeriod = settings.DisconnectedCircuitRetentionPeriod ?? circuit.DisconnectedCircuitRetentionPeriod;
                circuit.MaxBufferedUnacknowledgedRenderBatches = settings.MaxBufferedUnacknowledgedRenderBatches ?? circuit.MaxBufferedUnacknowledgedRenderBatches;
            })
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = settings.MaximumReceiveMessageSize ?? hub.MaximumReceiveMessageSize);
    }

    /// <summary>
    /// Configures the /_blazor endpoint's WebSocket compression. With compression on, Blazor sends
    /// "frame-ancestors 'none'" (not its default 'self'; SecurityHeaders sends the same for every response, 104c).
    /// </summary>
    public static void ConfigurePortalCircuits(this ServerComponentsEndpointOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = Read(configuration);
        options.ContentSecurityFrameAncestorsPolicy = "'none'";
        options.DisableWebSocketCompression = !settings.WebSocketCompression;
    }

    private static PortalCircuitOptions Read(IConfiguration configuration) =>
        configuration.GetSection(PortalCircuitOptions.SectionName).Get<PortalCircuitOptions>() ?? new PortalCircuitOptions();
}
