using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Core.Identity;
using Portal.Core.Mfa;

namespace Portal.Tests.Core.Mfa;

/// <summary>A valid baseline for MFA tests: frozen clock, in-memory store, test codec, default options.</summary>
internal sealed class MfaTestHarness
{
    internal const string UserId = "alice";
    internal const string OtherUserId = "mallory";
    internal const string DeviceName = "alice-phone";

    // 10 s into a 30 s step, so "now ± one step" never straddles a boundary by accident.
    internal static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 10, TimeSpan.Zero);

    internal static readonly AccountId Account = AccountId.Parse("123456789012");

    internal static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    internal FakeTimeProvider Time { get; } = new(Start);

    internal MfaTestHarness() => Store = new BarrierMfaDeviceStore(new InMemoryMfaDeviceStore());

    internal BarrierMfaDeviceStore Store { get; }

    internal TestMfaSecretCodec Codec { get; } = new();

    internal MfaOptions Options { get; } = new();

    internal MfaService CreateService() => new(Store, Codec, Microsoft.Extensions.Options.Options.Create(Options), Time);

    internal static async Task<VirtualMfaDevice> CreateDeviceAsync(MfaService service, string? userId = UserId, string name = DeviceName)
    {
        var outcome = await service.CreateVirtualDeviceAsync(Account, userId, "/", name);
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        return outcome.Value;
    }

    /// <summary>Creates and enables a device with the codes of steps now-1 and now, then moves the clock ten minutes on.</summary>
    internal async Task<VirtualMfaDevice> CreateEnabledDeviceAsync(MfaService service, string userId = UserId, string name = DeviceName)
    {
        var device = await CreateDeviceAsync(service, userId, name);
        var enabled = await service.EnableAsync(device.SerialNumber, userId, CodeAt(device, -1), CodeAt(device, 0));
        Assert.True(enabled.Succeeded, enabled.Error?.ToString());
        Time.Advance(TimeSpan.FromMinutes(10));
        return device;
    }

    /// <summary>The code an authenticator app shows <paramref name="stepOffset"/> steps from the fake clock's now.</summary>
    internal string CodeAt(VirtualMfaDevice device, int stepOffset) =>
        new Totp(device.Secret.ToArray()).ComputeTotp((Time.GetUtcNow() + (stepOffset * Step)).UtcDateTime);

    /// <summary>A well-formed code that matches none of the steps now-1, now, now+1.</summary>
    internal string WrongCode(VirtualMfaDevice device)
    {
        var valid = new[] { CodeAt(device, -1), CodeAt(device, 0), CodeAt(device, 1) };
        var candidate = int.Parse(valid[1], CultureInfo.InvariantCulture);
        string code;
        do
        {
            candidate = (candidate + 1) % 1_000_000;
            code = candidate.ToString("D6", CultureInfo.InvariantCulture);
        }
        while (valid.Contains(code));

        return code;
    }

    internal long CurrentStep => Time.GetUtcNow().ToUnixTimeSeconds() / 30;
}
