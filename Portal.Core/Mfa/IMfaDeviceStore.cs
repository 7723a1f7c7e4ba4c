namespace Portal.Core.Mfa;

/// <summary>
/// Persistence for virtual MFA devices. Every <c>Try…</c> method is a single atomic compare-and-set
/// (one conditional SQL UPDATE/DELETE in a relational store): it returns false, changing nothing, when its
/// condition does not hold. The service relies on that for replay protection and lockout (cases 100, 101).
/// </summary>
public interface IMfaDeviceStore
{
    /// <summary>Inserts a device; false when the serial number already exists.</summary>
    Task<bool> TryAddAsync(MfaDeviceRecord device, CancellationToken cancellationToken = default);

    /// <summary>The device with this serial number, or null.</summary>
    Task<MfaDeviceRecord?> FindAsync(string serialNumber, CancellationToken cancellationToken = default);

    /// <summary>The devices whose <see cref="MfaDeviceRecord.UserId"/> is <paramref name="userId"/>.</summary>
    Task<IReadOnlyList<MfaDeviceRecord>> ListForUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enables and assigns the device to <paramref name="userId"/> with <c>LastAcceptedStep = acceptedStep</c>, clearing
    /// failures. Condition: not enabled, unassigned or already owned by that user, and <c>LastAcceptedStep &lt; acceptedStep</c>.
    /// </summary>
    Task<bool> TryEnableAsync(string serialNumber, string userId, long acceptedStep, DateTimeOffset enabledAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepts a TOTP step: sets <c>LastAcceptedStep = newStep</c> and clears failures. Condition: enabled, owned by
    /// <paramref name="userId"/>, <c>LastAcceptedStep &lt; newStep</c> and not locked at <paramref name="now"/>.
    /// </summary>
    Task<bool> TryAdvanceStepAsync(string serialNumber, string userId, long newStep, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Counts one failure atomically (see <see cref="MfaFailureUpdate"/>); null when the device does not exist.</summary>
    Task<MfaFailureState?> RecordFailureAsync(string serialNumber, MfaFailureUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Replaces all recovery codes of a device owned by <paramref name="userId"/>; false when there is none.</summary>
    Task<bool> ReplaceRecoveryCodesAsync(string serialNumber, string userId, IReadOnlyList<MfaRecoveryCodeRecord> codes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks one recovery code used and clears failures. Condition: the code exists and is unused, and the device is
    /// enabled, owned by <paramref name="userId"/> and not locked at <paramref name="now"/>.
    /// </summary>
    Task<bool> TryConsumeRecoveryCodeAsync(string serialNumber, string userId, Guid codeId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Disables and unassigns a device owned by <paramref name="userId"/> and drops its recovery codes.</summary>
    Task<bool> TryDeactivateAsync(string serialNumber, string userId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the device. Condition: it exists and is not enabled.</summary>
    Task<bool> TryDeleteAsync(string serialNumber, CancellationToken cancellationToken = default);
}
