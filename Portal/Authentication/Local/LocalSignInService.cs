using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Sts;
using QRCoder;

namespace Portal.Authentication.Local;

/// <summary>How the password step ended, as the sign-in page tells it (no user enumeration: one message for every miss).</summary>
public enum LocalPasswordStatus
{
    /// <summary>Password accepted; the TOTP step follows.</summary>
    Success,

    /// <summary>Unknown account, unknown user, no console password or wrong password.</summary>
    Invalid,

    /// <summary>The user is locked out after repeated failures.</summary>
    LockedOut,
}

/// <summary>The outcome of <see cref="LocalSignInService.CheckPasswordAsync"/>.</summary>
/// <param name="Status">The result.</param>
/// <param name="User">The user on success.</param>
public sealed record LocalPasswordResult(LocalPasswordStatus Status, UserInfo? User = null);

/// <summary>A TOTP enrolment in progress: what the page shows once (SECURITY-CASES 102d: nothing shows it again).</summary>
/// <param name="Secret">The Base32 secret for manual entry.</param>
/// <param name="OtpAuthUri">The Key URI.</param>
/// <param name="QrCodeDataUri">The Key URI as a PNG QR code data URI, rendered on the server (case 102g).</param>
public sealed record TotpEnrolment(string Secret, string OtpAuthUri, string QrCodeDataUri);

/// <summary>
/// The local (break-glass) sign-in steps over Portal.Core: console password with per-user lockout, then TOTP
/// verification, or enrolment of the user's first device.
/// </summary>
public sealed class LocalSignInService
{
    private readonly IamDirectory _directory;
    private readonly MfaService _mfa;
    private readonly ConsolePasswordHasher _hasher;
    private readonly IOptionsMonitor<LocalSignInOptions> _options;

    /// <summary>Creates the service.</summary>
    public LocalSignInService(IamDirectory directory, MfaService mfa, ConsolePasswordHasher hasher, IOptionsMonitor<LocalSignInOptions> options)
    {
        _directory = directory;
        _mfa = mfa;
        _hasher = hasher;
        _options = options;
    }

    /// <summary>
    /// Checks a console password. <paramref name="account"/> is a 12-digit id or an alias; blank means the first account
    /// created (the bootstrap account).
    /// </summary>
    public async Task<LocalPasswordResult> CheckPasswordAsync(string? account, string? userName, string? password, CancellationToken ct = default)
    {
        password ??= string.Empty;
        var accountId = await ResolveAccountAsync(account, ct).ConfigureAwait(false);
        if (accountId is not { } id || string.IsNullOrEmpty(userName) || password.Length == 0)
        {
            _hasher.VerifyNothing(password);
            return new LocalPasswordResult(LocalPasswordStatus.Invalid);
        }

        var options = _options.CurrentValue;
        var check = await _directory.CheckConsolePasswordAsync(
            id, userName, hash => _hasher.Verify(hash, password), new ConsoleLockoutPolicy(options.MaxFailedAttempts, options.LockoutDuration), ct)
            .ConfigureAwait(false);
        switch (check.Status)
        {
            case ConsolePasswordStatus.Success:
                return new LocalPasswordResult(LocalPasswordStatus.Success, check.User);
            case ConsolePasswordStatus.LockedOut:
                return new LocalPasswordResult(LocalPasswordStatus.LockedOut);
            case ConsolePasswordStatus.UnknownUser:
                _hasher.VerifyNothing(password);
                return new LocalPasswordResult(LocalPasswordStatus.Invalid);
            default:
                return new LocalPasswordResult(LocalPasswordStatus.Invalid);
        }
    }

    /// <summary>The serial number of the user's enabled device, or null when the user must enrol one.</summary>
    public async Task<string?> FindEnabledDeviceAsync(string userId, CancellationToken ct = default) =>
        (await _mfa.ListForUserAsync(userId, ct).ConfigureAwait(false)).Where(d => d.Enabled).Select(d => d.SerialNumber).FirstOrDefault();

    /// <summary>
    /// Starts (or restarts) enrolment of the user's portal device (<c>mfa/USERNAME</c>): a device left pending by an earlier
    /// visit is deleted, since its secret cannot be shown again (case 102d). The device stays disabled until
    /// <see cref="EnableAsync"/> confirms two consecutive codes (case 102b).
    /// </summary>
    public async Task<StsOutcome<TotpEnrolment>> BeginEnrolmentAsync(UserInfo user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var account = AccountId.Parse(user.AccountId);
        var serial = Arn.Mfa(account, "/", user.Name).ToString();
        var pending = (await _mfa.ListForUserAsync(user.Id, ct).ConfigureAwait(false)).FirstOrDefault(d => !d.Enabled && d.SerialNumber == serial);
        if (pending is not null)
        {
            _ = await _mfa.DeleteAsync(pending.SerialNumber, ct).ConfigureAwait(false);
        }

        var created = await _mfa.CreateVirtualDeviceAsync(account, user.Id, "/", user.Name, ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return StsOutcome<TotpEnrolment>.Failure(created.Error!.Code, created.Error.Message);
        }

        var device = created.Value!;
        return new TotpEnrolment(device.Base32StringSeed, device.OtpAuthUri, QrDataUri(device.OtpAuthUri));
    }

    /// <summary>Enables the user's pending device with two consecutive codes; returns the recovery codes, shown once.</summary>
    public async Task<StsOutcome<IReadOnlyList<string>>> EnableAsync(UserInfo user, string? code1, string? code2, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var serial = Arn.Mfa(AccountId.Parse(user.AccountId), "/", user.Name).ToString();
        var enabled = await _mfa.EnableAsync(serial, user.Id, code1?.Trim() ?? string.Empty, code2?.Trim() ?? string.Empty, ct).ConfigureAwait(false);
        if (!enabled.Succeeded)
        {
            return StsOutcome<IReadOnlyList<string>>.Failure(enabled.Error!.Code, enabled.Error.Message);
        }

        return await _mfa.GenerateRecoveryCodesAsync(serial, user.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Verifies a TOTP code, or a recovery code (<c>XXXXX-XXXXX</c>), against the user's enabled device.</summary>
    public async Task<MfaVerification> VerifyAsync(string userId, string? code, CancellationToken ct = default)
    {
        var serial = await FindEnabledDeviceAsync(userId, ct).ConfigureAwait(false);
        if (serial is null)
        {
            return new MfaVerification(MfaVerificationStatus.NotEnabled);
        }

        code = code?.Trim();
        return code is { Length: > 6 }
            ? await _mfa.RedeemRecoveryCodeAsync(serial, userId, code, ct).ConfigureAwait(false)
            : await _mfa.VerifyAsync(serial, userId, code, ct).ConfigureAwait(false);
    }

    private async Task<AccountId?> ResolveAccountAsync(string? account, CancellationToken ct)
    {
        var accounts = await _directory.ListAccountsAsync(ct).ConfigureAwait(false);
        var text = account?.Trim();
        var match = string.IsNullOrEmpty(text)
            ? accounts.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault()
            : accounts.FirstOrDefault(a => a.Id == text) ?? accounts.FirstOrDefault(a => string.Equals(a.Alias, text, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : AccountId.Parse(match.Id);
    }

    private static string QrDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return string.Create(CultureInfo.InvariantCulture, $"data:image/png;base64,{Convert.ToBase64String(png)}");
    }
}
