using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OtpNet;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Core.Mfa;

/// <summary>
/// Virtual MFA devices: enrolment, enabling with two consecutive codes, RFC 6238 verification with replay
/// protection and lockout, recovery codes, deactivation and deletion (SECURITY-CASES cases 100–102).
/// </summary>
public sealed class MfaService
{
    /// <summary>RFC 4226 §4 R6: 160-bit shared secrets (case 102a).</summary>
    internal const int SecretBytes = 20;

    private const int MaxDeviceNameLength = 128;
    private const int MaxPathLength = 512;

    private readonly IMfaDeviceStore _store;
    private readonly IMfaSecretCodec _codec;
    private readonly TimeProvider _timeProvider;
    private readonly MfaOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the service; throws <see cref="ArgumentException"/> when the options are invalid.</summary>
    public MfaService(
        IMfaDeviceStore store,
        IMfaSecretCodec codec,
        IOptions<MfaOptions> options,
        TimeProvider timeProvider,
        ILogger<MfaService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Value.Validate();
        _store = store;
        _codec = codec;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates a disabled virtual device (IAM CreateVirtualMFADevice). <paramref name="userId"/> marks a self-enrolment:
    /// only that user may enable the device. Fails with <c>ValidationError</c> for a bad name or path and
    /// <c>EntityAlreadyExists</c> when the serial number is taken.
    /// </summary>
    public Task<StsOutcome<VirtualMfaDevice>> CreateVirtualDeviceAsync(
        AccountId account,
        string? userId,
        string path,
        string deviceName,
        CancellationToken cancellationToken = default) =>
        CreateVirtualDeviceAsync(account, userId, path, deviceName, userId ?? deviceName, cancellationToken);

    /// <summary>
    /// Creates a disabled virtual device like <see cref="CreateVirtualDeviceAsync(AccountId, string?, string, string, CancellationToken)"/>,
    /// with <paramref name="accountLabel"/> (for example the person's e-mail) as the account name an authenticator app shows
    /// in the otpauth URI; it is percent-encoded there (case 102f). A blank label is a <c>ValidationError</c>.
    /// </summary>
    public async Task<StsOutcome<VirtualMfaDevice>> CreateVirtualDeviceAsync(
        AccountId account,
        string? userId,
        string path,
        string deviceName,
        string accountLabel,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(accountLabel))
        {
            return StsOutcome<VirtualMfaDevice>.Failure(StsErrorCode.ValidationError, "The account label must not be empty.");
        }

        if (account.Value is null)
        {
            throw new ArgumentException("The account id is not initialised.", nameof(account));
        }

        if (!IsValidDeviceName(deviceName))
        {
            return StsOutcome<VirtualMfaDevice>.Failure(StsErrorCode.ValidationError,
                $"1 validation error detected: Value '{deviceName}' at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length between 1 and {MaxDeviceNameLength} and satisfy regular expression pattern: [\\w+=,.@-]+");
        }

        if (!IsValidPath(path))
        {
            return StsOutcome<VirtualMfaDevice>.Failure(StsErrorCode.ValidationError,
                $"1 validation error detected: Value '{path}' at 'path' failed to satisfy constraint: Member must have length between 1 and {MaxPathLength} and satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }

        if (userId is not null && userId.Length == 0)
        {
            return StsOutcome<VirtualMfaDevice>.Failure(StsErrorCode.ValidationError, "The user id must not be empty.");
        }

        var serialNumber = Arn.Mfa(account, path, deviceName).ToString();
        var secret = KeyGeneration.GenerateRandomKey(SecretBytes);
        var now = _timeProvider.GetUtcNow();
        var record = new MfaDeviceRecord
        {
            SerialNumber = serialNumber,
            Account = account,
            Path = path,
            DeviceName = deviceName,
            ProtectedSecret = _codec.Protect(secret),
            CreatedAt = now,
            UserId = userId,
        };

        if (!await _store.TryAddAsync(record, cancellationToken).ConfigureAwait(false))
        {
            return StsOutcome<VirtualMfaDevice>.Failure(StsErrorCode.EntityAlreadyExists,
                "MFADevice entity at the same path and name already exists.");
        }

        return new VirtualMfaDevice(
            serialNumber,
            secret,
            Base32Encoding.ToString(secret),
            OtpAuthUri.Build(_options.Issuer, accountLabel, secret),
            now);
    }

    /// <summary>
    /// Enables the device for <paramref name="userId"/> (IAM EnableMFADevice): <paramref name="code1"/> must be the code of
    /// step n and <paramref name="code2"/> that of step n+1, both within one step of now (RFC 6238 §5.2). Step n+1 becomes the
    /// last accepted step, so neither code can be replayed. Fails with <c>InvalidAuthenticationCode</c>,
    /// <c>NoSuchEntity</c> (unknown or another user's device) or <c>EntityAlreadyExists</c> (already enabled).
    /// </summary>
    public async Task<StsOutcome<MfaDevice>> EnableAsync(
        string serialNumber,
        string userId,
        string code1,
        string code2,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var record = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);
        if (record is null || (record.UserId is not null && !IsOwner(record, userId)))
        {
            return NoSuchDevice<MfaDevice>(serialNumber);
        }

        if (record.Enabled)
        {
            return StsOutcome<MfaDevice>.Failure(StsErrorCode.EntityAlreadyExists, "MFA Device is already in use.");
        }

        var invalid = StsOutcome<MfaDevice>.Failure(StsErrorCode.InvalidAuthenticationCode, MfaMessages.InvalidAuthenticationCode);
        if (!TotpSteps.IsWellFormed(code1) || !TotpSteps.IsWellFormed(code2) || string.Equals(code1, code2, StringComparison.Ordinal))
        {
            return invalid;
        }

        var now = _timeProvider.GetUtcNow();
        var totp = TotpSteps.Create(Unprotect(record));
        var current = TotpSteps.StepAt(now);
        long? matchedSecond = null;

        // Both n and n+1 must lie in [now-1, now+1] (RFC 6238 §5.2), and both must be newer than any accepted step (case 100).
        for (var n = current - 1; n <= current; n++)
        {
            if (n > record.LastAcceptedStep && TotpSteps.MatchesStep(totp, n, code1) & TotpSteps.MatchesStep(totp, n + 1, code2))
            {
                matchedSecond = n + 1;
                break;
            }
        }

        if (matchedSecond is not { } acceptedStep)
        {
            return invalid;
        }

        if (!await _store.TryEnableAsync(record.SerialNumber, userId, acceptedStep, now, cancellationToken).ConfigureAwait(false))
        {
            var latest = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);
            return latest is { Enabled: true }
                ? StsOutcome<MfaDevice>.Failure(StsErrorCode.EntityAlreadyExists, "MFA Device is already in use.")
                : invalid;
        }

        MfaLog.Enabled(_logger, record.SerialNumber, userId);
        return new MfaDevice(record.SerialNumber, userId, true, now, record.CreatedAt);
    }

    /// <summary>
    /// Verifies a TOTP code for the calling user's device (STS-SPEC §1.1 step 3): RFC 6238 SHA-1, 6 digits, 30 s,
    /// ±1 step. A step is accepted once (case 100); failures lock the device (case 101).
    /// </summary>
    public async Task<MfaVerification> VerifyAsync(
        string serialNumber,
        string userId,
        string? code,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var now = _timeProvider.GetUtcNow();
        var (record, refusal) = await FindUsableAsync(serialNumber, userId, now, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!TotpSteps.IsWellFormed(code))
        {
            return await FailAsync(record!, now, cancellationToken).ConfigureAwait(false);
        }

        var totp = TotpSteps.Create(Unprotect(record!));
        if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, TotpSteps.Window))
        {
            return await FailAsync(record!, now, cancellationToken).ConfigureAwait(false);
        }

        // Note: a correct but already-used code is not a guess, so replays do not count towards lockout.
        if (step <= record!.LastAcceptedStep)
        {
            MfaLog.Replay(_logger, record.SerialNumber, step);
            return MfaVerification.Failed(MfaVerificationStatus.Replayed);
        }

        if (await _store.TryAdvanceStepAsync(record.SerialNumber, userId, step, now, cancellationToken).ConfigureAwait(false))
        {
            return new MfaVerification(MfaVerificationStatus.Success, TotpSteps.StepStart(step), step);
        }

        MfaLog.Replay(_logger, record.SerialNumber, step);
        return await ExplainLostUpdateAsync(record.SerialNumber, userId, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Issues 10 new recovery codes (<c>XXXXX-XXXXX</c>) for the user's device, replacing any earlier ones. The codes are
    /// returned once and stored only as salted PBKDF2 hashes. Fails with <c>NoSuchEntity</c> for an unknown or foreign device.
    /// </summary>
    public async Task<StsOutcome<IReadOnlyList<string>>> GenerateRecoveryCodesAsync(
        string serialNumber,
        string userId,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var record = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);
        if (record is null || !IsOwner(record, userId))
        {
            return NoSuchDevice<IReadOnlyList<string>>(serialNumber);
        }

        var codes = new string[RecoveryCodes.Count];
        var hashes = new MfaRecoveryCodeRecord[RecoveryCodes.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = RecoveryCodes.NewCode();
            hashes[i] = RecoveryCodes.Hash(codes[i]);
        }

        if (!await _store.ReplaceRecoveryCodesAsync(record.SerialNumber, userId, hashes, cancellationToken).ConfigureAwait(false))
        {
            return NoSuchDevice<IReadOnlyList<string>>(serialNumber);
        }

        return codes;
    }

    /// <summary>
    /// Redeems one recovery code of the user's enabled device, exactly once. A wrong code counts towards lockout, and
    /// a locked device refuses recovery codes too (case 101).
    /// </summary>
    public async Task<MfaVerification> RedeemRecoveryCodeAsync(
        string serialNumber,
        string userId,
        string? code,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var now = _timeProvider.GetUtcNow();
        var (record, refusal) = await FindUsableAsync(serialNumber, userId, now, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var normalized = RecoveryCodes.Normalize(code);
        MfaRecoveryCodeRecord? match = null;
        if (normalized is not null)
        {
            // Every stored hash is derived, so the time taken does not reveal which code matched.
            foreach (var stored in record!.RecoveryCodes)
            {
                if (RecoveryCodes.Matches(stored, normalized))
                {
                    match = stored;
                }
            }
        }

        if (match is null)
        {
            return await FailAsync(record!, now, cancellationToken).ConfigureAwait(false);
        }

        if (match.UsedAt is null
            && await _store.TryConsumeRecoveryCodeAsync(record!.SerialNumber, userId, match.Id, now, cancellationToken).ConfigureAwait(false))
        {
            MfaLog.RecoveryRedeemed(_logger, record.SerialNumber);
            return new MfaVerification(MfaVerificationStatus.Success, now);
        }

        return await ExplainLostUpdateAsync(record!.SerialNumber, userId, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Disables the user's device and unassigns it (IAM DeactivateMFADevice); its recovery codes are dropped. The last
    /// accepted step is kept, so codes seen before cannot re-enable it. Fails with <c>NoSuchEntity</c>.
    /// </summary>
    public async Task<StsOutcome<MfaDevice>> DeactivateAsync(
        string serialNumber,
        string userId,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (string.IsNullOrEmpty(serialNumber) || !await _store.TryDeactivateAsync(serialNumber, userId, cancellationToken).ConfigureAwait(false))
        {
            return NoSuchDevice<MfaDevice>(serialNumber);
        }

        MfaLog.Deactivated(_logger, serialNumber, userId);
        var record = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);
        return record is null ? NoSuchDevice<MfaDevice>(serialNumber) : MfaDevice.From(record);
    }

    /// <summary>
    /// Deletes a device that is not enabled (IAM DeleteVirtualMFADevice); an enabled device answers <c>DeleteConflict</c>,
    /// an unknown one <c>NoSuchEntity</c>. Returns the deleted serial number.
    /// </summary>
    public async Task<StsOutcome<string>> DeleteAsync(string serialNumber, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(serialNumber))
        {
            return NoSuchDevice<string>(serialNumber);
        }

        if (await _store.TryDeleteAsync(serialNumber, cancellationToken).ConfigureAwait(false))
        {
            return serialNumber;
        }

        return await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false) is null
            ? NoSuchDevice<string>(serialNumber)
            : StsOutcome<string>.Failure(StsErrorCode.DeleteConflict, "MFA Device is in use and must be deactivated before it can be deleted.");
    }

    /// <summary>
    /// Removes the user's own device for good: deactivates it (dropping its recovery codes) and deletes it, so its serial
    /// number can be enrolled again. The caller proves possession first (case 102c). Fails with <c>NoSuchEntity</c> for an
    /// unknown or foreign device. Returns the removed serial number.
    /// </summary>
    public async Task<StsOutcome<string>> RemoveAsync(string serialNumber, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var record = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);
        if (record is null || !IsOwner(record, userId))
        {
            return NoSuchDevice<string>(serialNumber);
        }

        // DeleteVirtualMFADevice refuses a device in use, so an enabled one is deactivated first; a pending one is deleted as is.
        if (record.Enabled)
        {
            var deactivated = await DeactivateAsync(serialNumber, userId, cancellationToken).ConfigureAwait(false);
            if (!deactivated.Succeeded)
            {
                return deactivated.Error;
            }
        }

        return await DeleteAsync(serialNumber, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's enabled device, or null when they have none.</summary>
    public async Task<MfaDevice?> FindEnabledForUserAsync(string userId, CancellationToken cancellationToken = default) =>
        (await ListForUserAsync(userId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => d.Enabled);

    /// <summary>The devices owned by <paramref name="userId"/>, enabled or awaiting enablement.</summary>
    public async Task<IReadOnlyList<MfaDevice>> ListForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var records = await _store.ListForUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return records.Select(MfaDevice.From).ToList();
    }

    internal static bool IsValidDeviceName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxDeviceNameLength)
        {
            return false;
        }

        // STS-SPEC §1.0.6: Java's \w is ASCII [A-Za-z0-9_].
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '+' or '=' or ',' or '.' or '@' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsValidPath(string? path)
    {
        if (path is null || path.Length is 0 or > MaxPathLength || path[0] != '/' || path[^1] != '/')
        {
            return false;
        }

        foreach (var c in path)
        {
            if (c is < '\u0021' or > '\u007E')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOwner(MfaDeviceRecord record, string userId) => string.Equals(record.UserId, userId, StringComparison.Ordinal);

    private static StsOutcome<T> NoSuchDevice<T>(string? serialNumber) =>
        StsOutcome<T>.Failure(StsErrorCode.NoSuchEntity, $"MFA device with serial number {serialNumber} does not exist.");

    private async Task<MfaDeviceRecord?> FindAsync(string? serialNumber, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(serialNumber) ? null : await _store.FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);

    /// <summary>The caller's enabled, unlocked device, or the refusal to return instead.</summary>
    private async Task<(MfaDeviceRecord? Record, MfaVerification? Refusal)> FindUsableAsync(
        string serialNumber,
        string userId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var record = await FindAsync(serialNumber, cancellationToken).ConfigureAwait(false);

        // STS-SPEC §1.1 step 3: the device must belong to the calling user; someone else's serial is "unknown".
        if (record is null || !IsOwner(record, userId))
        {
            return (null, MfaVerification.Failed(MfaVerificationStatus.UnknownDevice));
        }

        if (!record.Enabled)
        {
            return (null, MfaVerification.Failed(MfaVerificationStatus.NotEnabled));
        }

        if (record.LockedUntil > now)
        {
            // Case 101: while locked even the correct code is refused, and the secret is not even consulted.
            MfaLog.LockedRefused(_logger, record.SerialNumber);
            return (null, new MfaVerification(MfaVerificationStatus.LockedOut, LockedUntil: record.LockedUntil));
        }

        return (record, null);
    }

    private async Task<MfaVerification> FailAsync(MfaDeviceRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var update = new MfaFailureUpdate(now, now - _options.FailureWindow, _options.MaxFailedAttempts, now + _options.LockoutDuration);
        var state = await _store.RecordFailureAsync(record.SerialNumber, update, cancellationToken).ConfigureAwait(false);
        if (state is { LockedUntil: { } lockedUntil } && lockedUntil > now)
        {
            MfaLog.Lockout(_logger, record.SerialNumber, lockedUntil);
        }
        else if (state is { } counted)
        {
            MfaLog.Failure(_logger, record.SerialNumber, counted.FailedAttempts);
        }

        return MfaVerification.Failed(MfaVerificationStatus.InvalidCode);
    }

    /// <summary>A compare-and-set lost: re-read to say why (concurrent use, lockout or deactivation).</summary>
    private async Task<MfaVerification> ExplainLostUpdateAsync(string serialNumber, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (_, refusal) = await FindUsableAsync(serialNumber, userId, now, cancellationToken).ConfigureAwait(false);
        return refusal ?? MfaVerification.Failed(MfaVerificationStatus.Replayed);
    }

    private byte[] Unprotect(MfaDeviceRecord record) =>
        _codec.TryUnprotect(record.ProtectedSecret, out var secret)
            ? secret
            : throw new InvalidOperationException(
                $"The secret of MFA device {record.SerialNumber} cannot be unprotected; check the data-protection key ring.");
}
