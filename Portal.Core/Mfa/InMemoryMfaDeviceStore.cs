namespace Portal.Core.Mfa;

/// <summary>
/// A thread-safe <see cref="IMfaDeviceStore"/> held in memory, for tests and single-node development. Every
/// operation runs under one lock, so each compare-and-set is atomic as the interface requires.
/// </summary>
public sealed class InMemoryMfaDeviceStore : IMfaDeviceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MfaDeviceRecord> _devices = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<bool> TryAddAsync(MfaDeviceRecord device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            return Task.FromResult(_devices.TryAdd(device.SerialNumber, device));
        }
    }

    /// <inheritdoc />
    public Task<MfaDeviceRecord?> FindAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_devices.GetValueOrDefault(serialNumber));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MfaDeviceRecord>> ListForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<MfaDeviceRecord> list = _devices.Values
                .Where(d => string.Equals(d.UserId, userId, StringComparison.Ordinal))
                .OrderBy(d => d.SerialNumber, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryEnableAsync(string serialNumber, string userId, long acceptedStep, DateTimeOffset enabledAt, CancellationToken cancellationToken = default) =>
        Update(serialNumber, d => !d.Enabled && (d.UserId is null || d.UserId == userId) && d.LastAcceptedStep < acceptedStep,
            d => d with
            {
                Enabled = true,
                UserId = userId,
                EnabledAt = enabledAt,
                LastAcceptedStep = acceptedStep,
                FailedAttempts = 0,
                FirstFailureAt = null,
            });

    /// <inheritdoc />
    public Task<bool> TryAdvanceStepAsync(string serialNumber, string userId, long newStep, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Update(serialNumber, d => IsUsableBy(d, userId, now) && d.LastAcceptedStep < newStep,
            d => d with { LastAcceptedStep = newStep, FailedAttempts = 0, FirstFailureAt = null });

    /// <inheritdoc />
    public Task<MfaFailureState?> RecordFailureAsync(string serialNumber, MfaFailureUpdate update, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(serialNumber, out var d))
            {
                return Task.FromResult<MfaFailureState?>(null);
            }

            var runIsFresh = d.FirstFailureAt is null || d.FirstFailureAt <= update.WindowStart;
            var count = runIsFresh ? 1 : d.FailedAttempts + 1;
            var first = runIsFresh ? update.Now : d.FirstFailureAt;
            d = count >= update.Threshold
                ? d with { FailedAttempts = 0, FirstFailureAt = null, LockedUntil = update.LockUntil }
                : d with { FailedAttempts = count, FirstFailureAt = first };
            _devices[serialNumber] = d;
            return Task.FromResult<MfaFailureState?>(new MfaFailureState(d.FailedAttempts, d.LockedUntil));
        }
    }

    /// <inheritdoc />
    public Task<bool> ReplaceRecoveryCodesAsync(string serialNumber, string userId, IReadOnlyList<MfaRecoveryCodeRecord> codes, CancellationToken cancellationToken = default) =>
        Update(serialNumber, d => d.UserId == userId, d => d with { RecoveryCodes = [.. codes] });

    /// <inheritdoc />
    public Task<bool> TryConsumeRecoveryCodeAsync(string serialNumber, string userId, Guid codeId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Update(serialNumber, d => IsUsableBy(d, userId, now) && d.RecoveryCodes.Any(c => c.Id == codeId && c.UsedAt is null),
            d => d with
            {
                RecoveryCodes = [.. d.RecoveryCodes.Select(c => c.Id == codeId ? c with { UsedAt = now } : c)],
                FailedAttempts = 0,
                FirstFailureAt = null,
            });

    /// <inheritdoc />
    public Task<bool> TryDeactivateAsync(string serialNumber, string userId, CancellationToken cancellationToken = default) =>
        Update(serialNumber, d => d.UserId == userId,
            d => d with { Enabled = false, UserId = null, EnabledAt = null, RecoveryCodes = [] });

    /// <inheritdoc />
    public Task<bool> TryDeleteAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var deleted = _devices.TryGetValue(serialNumber, out var d) && !d.Enabled && _devices.Remove(serialNumber);
            return Task.FromResult(deleted);
        }
    }

    private static bool IsUsableBy(MfaDeviceRecord d, string userId, DateTimeOffset now) =>
        d.Enabled && d.UserId == userId && (d.LockedUntil is null || d.LockedUntil <= now);

    private Task<bool> Update(string serialNumber, Func<MfaDeviceRecord, bool> condition, Func<MfaDeviceRecord, MfaDeviceRecord> change)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(serialNumber, out var d) || !condition(d))
            {
                return Task.FromResult(false);
            }

            _devices[serialNumber] = change(d);
            return Task.FromResult(true);
        }
    }
}
