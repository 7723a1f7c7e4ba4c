using Portal.Core.Mfa;

namespace Portal.Tests.Core.Mfa;

/// <summary>
/// Wraps the in-memory store; once armed, holds every <see cref="FindAsync"/> until <c>parties</c> callers have read,
/// so concurrent operations all see the same state before any of them writes. That makes races deterministic
/// without sleeps: only the store's compare-and-set can then stop a double acceptance.
/// </summary>
internal sealed class BarrierMfaDeviceStore(IMfaDeviceStore inner) : IMfaDeviceStore
{
    private TaskCompletionSource _gate = CompletedGate();
    private int _parties;
    private int _arrivals;

    public void Arm(int parties)
    {
        _parties = parties;
        _arrivals = 0;
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<MfaDeviceRecord?> FindAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        var record = await inner.FindAsync(serialNumber, cancellationToken);
        var gate = _gate;
        if (!gate.Task.IsCompleted && Interlocked.Increment(ref _arrivals) >= _parties)
        {
            gate.TrySetResult();
        }

        await gate.Task.WaitAsync(cancellationToken);
        return record;
    }

    public Task<bool> TryAddAsync(MfaDeviceRecord device, CancellationToken cancellationToken = default) =>
        inner.TryAddAsync(device, cancellationToken);

    public Task<IReadOnlyList<MfaDeviceRecord>> ListForUserAsync(string userId, CancellationToken cancellationToken = default) =>
        inner.ListForUserAsync(userId, cancellationToken);

    public Task<bool> TryEnableAsync(string serialNumber, string userId, long acceptedStep, DateTimeOffset enabledAt, CancellationToken cancellationToken = default) =>
        inner.TryEnableAsync(serialNumber, userId, acceptedStep, enabledAt, cancellationToken);

    public Task<bool> TryAdvanceStepAsync(string serialNumber, string userId, long newStep, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryAdvanceStepAsync(serialNumber, userId, newStep, now, cancellationToken);

    public Task<MfaFailureState?> RecordFailureAsync(string serialNumber, MfaFailureUpdate update, CancellationToken cancellationToken = default) =>
        inner.RecordFailureAsync(serialNumber, update, cancellationToken);

    public Task<bool> ReplaceRecoveryCodesAsync(string serialNumber, string userId, IReadOnlyList<MfaRecoveryCodeRecord> codes, CancellationToken cancellationToken = default) =>
        inner.ReplaceRecoveryCodesAsync(serialNumber, userId, codes, cancellationToken);

    public Task<bool> TryConsumeRecoveryCodeAsync(string serialNumber, string userId, Guid codeId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryConsumeRecoveryCodeAsync(serialNumber, userId, codeId, now, cancellationToken);

    public Task<bool> TryDeactivateAsync(string serialNumber, string userId, CancellationToken cancellationToken = default) =>
        inner.TryDeactivateAsync(serialNumber, userId, cancellationToken);

    public Task<bool> TryDeleteAsync(string serialNumber, CancellationToken cancellationToken = default) =>
        inner.TryDeleteAsync(serialNumber, cancellationToken);

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
