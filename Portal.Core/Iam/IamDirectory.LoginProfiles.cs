using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

/// <summary>Why a console password check succeeded or failed.</summary>
public enum ConsolePasswordStatus
{
    /// <summary>The password matched; the failure counter was reset.</summary>
    Success,

    /// <summary>No such account or user, or the user has no login profile. Shown to people like a wrong password.</summary>
    UnknownUser,

    /// <summary>The password did not match; counted towards lockout.</summary>
    WrongPassword,

    /// <summary>Too many failures; every password, the right one included, is refused until the lock expires.</summary>
    LockedOut,
}

/// <summary>The outcome of <see cref="IamDirectory.CheckConsolePasswordAsync"/>.</summary>
/// <param name="Status">The result.</param>
/// <param name="User">The user, when <see cref="ConsolePasswordStatus.Success"/>.</param>
/// <param name="LockedUntil">When locked out (also set when this failure caused the lock).</param>
public sealed record ConsolePasswordCheck(ConsolePasswordStatus Status, UserInfo? User = null, DateTimeOffset? LockedUntil = null)
{
    /// <summary>True when the password was accepted.</summary>
    public bool Succeeded => Status == ConsolePasswordStatus.Success;
}

/// <summary>How many consecutive console sign-in failures lock a user, and for how long.</summary>
/// <param name="MaxFailures">Failures that lock the login profile (at least 1).</param>
/// <param name="LockoutDuration">How long the lock lasts (positive).</param>
public sealed record ConsoleLockoutPolicy(int MaxFailures, TimeSpan LockoutDuration);

public sealed partial class IamDirectory
{
    /// <summary>
    /// Sets (or replaces) a user's console password (IAM CreateLoginProfile/UpdateLoginProfile). The directory stores
    /// <paramref name="passwordHash"/> as given: hashing is the host's job. Clears any lockout. NoSuchEntity for an unknown user.
    /// </summary>
    public async Task<StsOutcome<bool>> SetLoginProfileAsync(string userId, string passwordHash, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, passwordHash).SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct)
            .ConfigureAwait(false);
        return n == 0 ? Fail<bool>(StsErrorCode.NoSuchEntity, "The user cannot be found.") : true;
    }

    /// <summary>Removes a user's console password (IAM DeleteLoginProfile). NoSuchEntity when the user has none.</summary>
    public async Task<StsOutcome<bool>> DeleteLoginProfileAsync(string userId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.Users.Where(u => u.Id == userId && u.PasswordHash != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, (string?)null).SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct)
            .ConfigureAwait(false);
        return n == 0 ? Fail<bool>(StsErrorCode.NoSuchEntity, "Login Profile for the user cannot be found.") : true;
    }

    /// <summary>
    /// Checks a console password with per-user lockout (SECURITY-CASES 101 applied to the password step): a locked profile
    /// is refused without consulting <paramref name="verify"/>; a failure increments the counter atomically and reaching
    /// <see cref="ConsoleLockoutPolicy.MaxFailures"/> locks the profile; a success resets the counter.
    /// <paramref name="verify"/> receives the stored hash and says whether the presented password matches it.
    /// </summary>
    public async Task<ConsolePasswordCheck> CheckConsolePasswordAsync(
        AccountId account,
        string userName,
        Func<string, bool> verify,
        ConsoleLockoutPolicy policy,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(verify);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxFailures < 1 || policy.LockoutDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("The lockout policy needs at least one failure and a positive duration.", nameof(policy));
        }

        if (string.IsNullOrEmpty(userName) || account.Value is null)
        {
            return new ConsolePasswordCheck(ConsolePasswordStatus.UnknownUser);
        }

        var normalized = IamNames.Normalize(userName);
        await using var db = _dbFactory.CreateDbContext();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.AccountId == account.Value && u.NormalizedName == normalized, ct).ConfigureAwait(false);
        if (user?.PasswordHash is not { } hash)
        {
            return new ConsolePasswordCheck(ConsolePasswordStatus.UnknownUser);
        }

        var now = _time.GetUtcNow();
        if (user.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return new ConsolePasswordCheck(ConsolePasswordStatus.LockedOut, LockedUntil: lockedUntil);
        }

        if (verify(hash))
        {
            await db.Users.Where(u => u.Id == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, 0).SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct)
                .ConfigureAwait(false);
            return new ConsolePasswordCheck(ConsolePasswordStatus.Success, ToInfo(user));
        }

        // Note: increment in the database, not in memory, so parallel guesses cannot each see the same old count.
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), ct)
            .ConfigureAwait(false);
        var until = now + policy.LockoutDuration;
        var locked = await db.Users.Where(u => u.Id == user.Id && u.FailedSignIns >= policy.MaxFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockedUntil, until).SetProperty(u => u.FailedSignIns, 0), ct)
            .ConfigureAwait(false);
        return locked > 0
            ? new ConsolePasswordCheck(ConsolePasswordStatus.LockedOut, LockedUntil: until)
            : new ConsolePasswordCheck(ConsolePasswordStatus.WrongPassword);
    }
}
