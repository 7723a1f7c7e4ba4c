using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Base of bunit component tests: MudBlazor services, loose JS interop (record every call, return defaults) and a
/// <see cref="FakeTimeProvider"/> registered as <see cref="TimeProvider"/>, frozen at <see cref="Now"/>.
/// </summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    /// <summary>The frozen instant every component test starts at.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Registers the services the portal's components inject.</summary>
    protected PortalComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Time);
    }

    /// <summary>The clock the components see; advance it to fire their timers.</summary>
    protected FakeTimeProvider Time { get; } = new(Now);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that are only IAsyncDisposable and xunit 2 disposes test classes synchronously
    // (RECIPE browser-and-idps §2), so the context is disposed asynchronously here.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
