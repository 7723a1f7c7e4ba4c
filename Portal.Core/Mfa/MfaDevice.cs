namespace Portal.Core.Mfa;

/// <summary>What callers may see of a device: no seed, no counters.</summary>
/// <param name="SerialNumber">The device ARN.</param>
/// <param name="UserId">The owning user, when assigned.</param>
/// <param name="Enabled">True once enabled with two consecutive codes.</param>
/// <param name="EnabledAt">When it was enabled.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record MfaDevice(string SerialNumber, string? UserId, bool Enabled, DateTimeOffset? EnabledAt, DateTimeOffset CreatedAt)
{
    internal static MfaDevice From(MfaDeviceRecord record) =>
        new(record.SerialNumber, record.UserId, record.Enabled, record.EnabledAt, record.CreatedAt);
}
