using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Stores;

/// <summary>
/// The <see cref="IMfaDeviceStore"/> over <c>MfaDevices</c> and <c>MfaRecoveryCodes</c>. Each compare-and-set is one
/// conditional UPDATE/DELETE whose WHERE clause is the documented condition; the affected row count is the answer, so
/// two nodes racing on the same code cannot both win (SECURITY-CASES 100, 101).
/// </summary>
public sealed class EfMfaDeviceStore : IMfaDeviceStore
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    /// <summary>Creates the store.</summary>
    public EfMfaDeviceStore(IDbContextFactory<PortalDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        _dbFactory = dbFactory;
    }

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(MfaDeviceRecord device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var db = _dbFactory.CreateDbContext();
        db.MfaDevices.Add(new MfaDeviceEntity
        {
            SerialNumber = device.SerialNumber,
            AccountId = device.Account.Value,
            Path = device.Path,
            DeviceName = device.DeviceName,
            UserId = device.UserId,
            SecretCiphertext = [.. device.ProtectedSecret],
            IsEnabled = device.Enabled,
            EnabledAt = device.EnabledAt,
            LastAcceptedStep = device.LastAcceptedStep,
            FailedAttempts = device.FailedAttempts,
            FirstFailureAt = device.FirstFailureAt,
            LockedUntil = device.LockedUntil,
            CreatedAt = device.CreatedAt,
        });
        db.MfaRecoveryCodes.AddRange(ToEntities(device.SerialNumber, device.RecoveryCodes));
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<MfaDeviceRecord?> FindAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var devices = await LoadAsync(db, db.MfaDevices.Where(d => d.SerialNumber == serialNumber), cancellationToken).ConfigureAwait(false);
        return devices.Count == 0 ? null : devices[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MfaDeviceRecord>> ListForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await LoadAsync(db, db.MfaDevices.Where(d => d.UserId == userId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryEnableAsync(string serialNumber, string userId, long acceptedStep, DateTimeOffset enabledAt, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber
                && !d.IsEnabled
                && (d.UserId == null || d.UserId == userId)
                && d.LastAcceptedStep < acceptedStep)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.IsEnabled, true)
                    .SetProperty(d => d.UserId, userId)
                    .SetProperty(d => d.EnabledAt, enabledAt)
                    .SetProperty(d => d.LastAcceptedStep, acceptedStep)
                    .SetProperty(d => d.FailedAttempts, 0)
                    .SetProperty(d => d.FirstFailureAt, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return rows == 1;
    }

    /// <inheritdoc />
    public async Task<bool> TryAdvanceStepAsync(string serialNumber, string userId, long newStep, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber
                && d.IsEnabled
                && d.UserId == userId
                && (d.LockedUntil == null || d.LockedUntil <= now)
                && d.LastAcceptedStep < newStep)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.LastAcceptedStep, newStep)
                    .SetProperty(d => d.FailedAttempts, 0)
                    .SetProperty(d => d.FirstFailureAt, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        return rows == 1;
    }

    /// <inheritdoc />
    public async Task<MfaFailureState?> RecordFailureAsync(string serialNumber, MfaFailureUpdate update, CancellationToken cancellationToken = default)
    {
        var now = update.Now;
        var windowStart = update.WindowStart;
        var threshold = update.Threshold;
        DateTimeOffset? lockUntil = update.LockUntil;

        await using var db = _dbFactory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // One UPDATE computes the next state from the row's current values (every SET reads the old row), so
        // concurrent failures each count: "fresh" restarts a run that began at or before the window start.
        var rows = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(
                        d => d.FailedAttempts,
                        d => ((d.FirstFailureAt == null || d.FirstFailureAt <= windowStart) ? 1 : d.FailedAttempts + 1) >= threshold
                            ? 0
                            : ((d.FirstFailureAt == null || d.FirstFailureAt <= windowStart) ? 1 : d.FailedAttempts + 1))
                    .SetProperty(
                        d => d.FirstFailureAt,
                        d => ((d.FirstFailureAt == null || d.FirstFailureAt <= windowStart) ? 1 : d.FailedAttempts + 1) >= threshold
                            ? null
                            : ((d.FirstFailureAt == null || d.FirstFailureAt <= windowStart) ? now : d.FirstFailureAt))
                    .SetProperty(
                        d => d.LockedUntil,
                        d => ((d.FirstFailureAt == null || d.FirstFailureAt <= windowStart) ? 1 : d.FailedAttempts + 1) >= threshold
                            ? lockUntil
                            : d.LockedUntil),
                cancellationToken)
            .ConfigureAwait(false);
        if (rows == 0)
        {
            return null;
        }

        // The UPDATE holds the row's write lock until commit, so this read returns exactly what it wrote.
        var state = await db.MfaDevices.AsNoTracking()
            .Where(d => d.SerialNumber == serialNumber)
            .Select(d => new MfaFailureState(d.FailedAttempts, d.LockedUntil))
            .SingleAsync(cancellationToken)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <inheritdoc />
    public async Task<bool> ReplaceRecoveryCodesAsync(string serialNumber, string userId, IReadOnlyList<MfaRecoveryCodeRecord> codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        await using var db = _dbFactory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Note: a no-change UPDATE guarded by ownership both checks the condition and write-locks the device row, so a
        // concurrent deactivation cannot slip between the check and the new generation of codes.
        var owned = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber && d.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.UserId, userId), cancellationToken)
            .ConfigureAwait(false);
        if (owned == 0)
        {
            return false;
        }

        await db.MfaRecoveryCodes.Where(c => c.SerialNumber == serialNumber).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        db.MfaRecoveryCodes.AddRange(ToEntities(serialNumber, codes));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> TryConsumeRecoveryCodeAsync(string serialNumber, string userId, Guid codeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var devices = db.MfaDevices;
        var consumed = await db.MfaRecoveryCodes
            .Where(c => c.Id == codeId
                && c.SerialNumber == serialNumber
                && c.UsedAt == null
                && devices.Any(d => d.SerialNumber == serialNumber
                    && d.IsEnabled
                    && d.UserId == userId
                    && (d.LockedUntil == null || d.LockedUntil <= now)))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken)
            .ConfigureAwait(false);
        if (consumed == 0)
        {
            return false;
        }

        await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.FailedAttempts, 0).SetProperty(d => d.FirstFailureAt, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> TryDeactivateAsync(string serialNumber, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber && d.UserId == userId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.IsEnabled, false)
                    .SetProperty(d => d.UserId, (string?)null)
                    .SetProperty(d => d.EnabledAt, (DateTimeOffset?)null),
                cancellationToken)
            .ConfigureAwait(false);
        if (rows == 0)
        {
            return false;
        }

        await db.MfaRecoveryCodes.Where(c => c.SerialNumber == serialNumber).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> TryDeleteAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();

        // Recovery codes go with the device through the foreign key's ON DELETE CASCADE.
        var rows = await db.MfaDevices
            .Where(d => d.SerialNumber == serialNumber && !d.IsEnabled)
            .ExecuteDeleteAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows == 1;
    }

    private static async Task<List<MfaDeviceRecord>> LoadAsync(PortalDbContext db, IQueryable<MfaDeviceEntity> query, CancellationToken cancellationToken)
    {
        // Note: no transaction: a read may be stale by the time the caller acts, which every Try… condition tolerates.
        var devices = await query.AsNoTracking().OrderBy(d => d.SerialNumber).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (devices.Count == 0)
        {
            return [];
        }

        var serials = devices.Select(d => d.SerialNumber).ToList();
        var codes = (await db.MfaRecoveryCodes.AsNoTracking()
                .Where(c => serials.Contains(c.SerialNumber))
                .OrderBy(c => c.Id)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false))
            .ToLookup(c => c.SerialNumber, StringComparer.Ordinal);

        return [.. devices.Select(d => new MfaDeviceRecord
        {
            SerialNumber = d.SerialNumber,
            Account = AccountId.Parse(d.AccountId),
            Path = d.Path,
            DeviceName = d.DeviceName,
            ProtectedSecret = d.SecretCiphertext,
            CreatedAt = d.CreatedAt,
            UserId = d.UserId,
            Enabled = d.IsEnabled,
            EnabledAt = d.EnabledAt,
            LastAcceptedStep = d.LastAcceptedStep,
            FailedAttempts = d.FailedAttempts,
            FirstFailureAt = d.FirstFailureAt,
            LockedUntil = d.LockedUntil,
            RecoveryCodes = [.. codes[d.SerialNumber].Select(c => new MfaRecoveryCodeRecord(c.Id, c.Salt, c.Hash, c.UsedAt))],
        })];
    }

    private static IEnumerable<MfaRecoveryCodeEntity> ToEntities(string serialNumber, IEnumerable<MfaRecoveryCodeRecord> codes) =>
        codes.Select(c => new MfaRecoveryCodeEntity
        {
            Id = c.Id,
            SerialNumber = serialNumber,
            Salt = [.. c.Salt],
            Hash = [.. c.Hash],
            UsedAt = c.UsedAt,
        });
}
