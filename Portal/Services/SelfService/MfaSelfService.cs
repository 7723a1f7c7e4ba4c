using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Portal.Authentication.Local;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Sts;
using QRCoder;

namespace Portal.Services.SelfService;

/// <summary>The form field an MFA page error belongs next to.</summary>
public enum MfaField
{
    /// <summary>Not tied to one field (shown above the form).</summary>
    None,

    /// <summary>The password (local users prove themselves with it, case 102c).</summary>
    Password,

    /// <summary>The code of the current device (or a recovery code).</summary>
    Code,

    /// <summary>The two consecutive codes that confirm a new device.</summary>
    NewCodes,
}

/// <summary>The outcome of an <see cref="MfaSelfService"/> step: a value, or an error and the field it belongs to.</summary>
/// <typeparam name="T">The value on success.</typeparam>
/// <param name="Value">The value on success.</param>
/// <param name="ErrorField">Where the error is shown.</param>
/// <param name="Error">A sentence for the person; null on success.</param>
public sealed record MfaResult<T>(T? Value, MfaField ErrorField = MfaField.None, string? Error = null)
    where T : class
{
    /// <summary>True when the step succeeded.</summary>
    public bool Succeeded => Error is null;

    internal static MfaResult<T> Fail(MfaField field, string error) => new(null, field, error);
}

/// <summary>What the MFA page shows about the signed-in person.</summary>
/// <param name="HasDevice">The person has an enabled TOTP device.</param>
/// <param name="EnabledAt">When it was enabled.</param>
/// <param name="NeedsPassword">Local users re-enter their password to remove or replace the device (case 102c).</param>
/// <param name="Label">The account name their authenticator app shows.</param>
public sealed record MfaStatus(bool HasDevice, DateTimeOffset? EnabledAt, bool NeedsPassword, string Label);

/// <summary>
/// A device being set up: the secret and QR code, shown only while this object lives in the page's circuit (case 102d).
/// Only <see cref="MfaSelfService"/> creates one, and a replacement only after proof of the current device (case 102c).
/// </summary>
public sealed class MfaEnrolment
{
    internal MfaEnrolment(VirtualMfaDevice device, string ownerId, string label, string? replaces, DateTimeOffset? proofExpiresAt)
    {
        SerialNumber = device.SerialNumber;
        Secret = device.Base32StringSeed;
        OtpAuthUri = device.OtpAuthUri;
        QrCodeDataUri = QrPngDataUri(device.OtpAuthUri);
        OwnerId = ownerId;
        Label = label;
        Replaces = replaces;
        ProofExpiresAt = proofExpiresAt;
    }

    /// <summary>The new device's serial number.</summary>
    public string SerialNumber { get; }

    /// <summary>The Base32 secret, for typing into an authenticator app.</summary>
    public string Secret { get; }

    /// <summary>The secret in groups of four characters, easier to type.</summary>
    public string GroupedSecret => string.Join(' ', Secret.Chunk(4).Select(c => new string(c)));

    /// <summary>The Key URI (issuer "Portal", the person's identity as label).</summary>
    public string OtpAuthUri { get; }

    /// <summary>The Key URI as a PNG QR code data URI, rendered on the server from local data (case 102g).</summary>
    public string QrCodeDataUri { get; }

    /// <summary>The account name the authenticator app shows.</summary>
    public string Label { get; }

    /// <summary>True when confirming this device drops the current one.</summary>
    public bool IsReplacement => Replaces is not null;

    internal string OwnerId { get; }

    internal string? Replaces { get; }

    internal DateTimeOffset? ProofExpiresAt { get; }

    private static string QrPngDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}

/// <summary>
/// The "MFA" page's application service: every signed-in person (local IAM user or federated identity) enrols, removes
/// or replaces their own TOTP device. A federated person's device belongs to their federated identity (provider ARN and
/// subject, <see cref="PortalPerson.IssuedTo"/>). Removing and replacing need proof (case 102c); a replacement is
/// confirmed with two codes before the old device is dropped, so abandoning it halfway loses nothing.
/// </summary>
public sealed class MfaSelfService
{
    /// <summary>How long proof of the current device allows finishing a replacement.</summary>
    internal static readonly TimeSpan ProofLifetime = TimeSpan.FromMinutes(10);

    private const string DevicePath = "/portal/";

    private readonly MfaService _mfa;
    private readonly PortalPersonResolver _people;
    private readonly LocalSignInService _local;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public MfaSelfService(MfaService mfa, PortalPersonResolver people, LocalSignInService local, TimeProvider time)
    {
        _mfa = mfa;
        _people = people;
        _local = local;
        _time = time;
    }

    /// <summary>The person's MFA state, or null when the principal is not a complete portal sign-in.</summary>
    public async Task<MfaStatus?> GetStatusAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return null;
        }

        var device = await _mfa.FindEnabledForUserAsync(OwnerOf(person), ct).ConfigureAwait(false);
        return new MfaStatus(device is not null, device?.EnabledAt, person is LocalPerson, LabelOf(person));
    }

    /// <summary>Starts setting up a first device; refused when the person already has one (replacing needs proof).</summary>
    public async Task<MfaResult<MfaEnrolment>> BeginEnrolmentAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return MfaResult<MfaEnrolment>.Fail(MfaField.None, SignInAgain);
        }

        if (await _mfa.FindEnabledForUserAsync(OwnerOf(person), ct).ConfigureAwait(false) is not null)
        {
            return MfaResult<MfaEnrolment>.Fail(MfaField.None, "You already have an MFA device. Replace it instead.");
        }

        return await CreateAsync(person, null, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts replacing the device after proof (case 102c): a current code or recovery code, and for local users their
    /// password too. The current device keeps working until <see cref="ConfirmAsync"/> enables the new one.
    /// </summary>
    public async Task<MfaResult<MfaEnrolment>> BeginReplacementAsync(ClaimsPrincipal principal, string? password, string? code, CancellationToken ct = default)
    {
        var proof = await ProveAsync(principal, password, code, ct).ConfigureAwait(false);
        if (proof.Error is { } error)
        {
            return MfaResult<MfaEnrolment>.Fail(proof.ErrorField, error);
        }

        return await CreateAsync(proof.Person!, proof.Device!.SerialNumber, _time.GetUtcNow() + ProofLifetime, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Enables the new device with two consecutive codes (case 102b), drops the device it replaces, and returns new
    /// recovery codes, shown once.
    /// </summary>
    public async Task<MfaResult<IReadOnlyList<string>>> ConfirmAsync(ClaimsPrincipal principal, MfaEnrolment enrolment, string? code1, string? code2, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null || OwnerOf(person) != enrolment.OwnerId)
        {
            return MfaResult<IReadOnlyList<string>>.Fail(MfaField.None, SignInAgain);
        }

        // The device enabled now must be the one the proof was for: a first-device setup left open in another tab cannot
        // add a second device without proof (case 102c).
        var current = await _mfa.FindEnabledForUserAsync(enrolment.OwnerId, ct).ConfigureAwait(false);
        if (current is not null && current.SerialNumber != enrolment.Replaces)
        {
            return MfaResult<IReadOnlyList<string>>.Fail(MfaField.None, "Your MFA device changed meanwhile. Start again.");
        }

        if (enrolment.ProofExpiresAt is { } expires && _time.GetUtcNow() > expires)
        {
            return MfaResult<IReadOnlyList<string>>.Fail(MfaField.None, "This replacement took too long. Start again and prove it is you once more.");
        }

        var enabled = await _mfa.EnableAsync(enrolment.SerialNumber, enrolment.OwnerId, code1?.Trim() ?? string.Empty, code2?.Trim() ?? string.Empty, ct).ConfigureAwait(false);
        if (!enabled.Succeeded)
        {
            return enabled.Error.Code == StsErrorCode.InvalidAuthenticationCode
                ? MfaResult<IReadOnlyList<string>>.Fail(MfaField.NewCodes, "Those codes do not match. Enter two consecutive codes from your authenticator app.")
                : MfaResult<IReadOnlyList<string>>.Fail(MfaField.None, "This setup is no longer available. Start again.");
        }

        if (enrolment.Replaces is { } old)
        {
            _ = await _mfa.RemoveAsync(old, enrolment.OwnerId, ct).ConfigureAwait(false);
        }

        var codes = await _mfa.GenerateRecoveryCodesAsync(enrolment.SerialNumber, enrolment.OwnerId, ct).ConfigureAwait(false);
        return codes.Succeeded
            ? new MfaResult<IReadOnlyList<string>>(codes.Value)
            : MfaResult<IReadOnlyList<string>>.Fail(MfaField.None, codes.Error.Message);
    }

    /// <summary>Abandons a setup: the pending device is deleted; a replaced device stays as it was.</summary>
    public async Task CancelAsync(ClaimsPrincipal principal, MfaEnrolment enrolment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is not null && OwnerOf(person) == enrolment.OwnerId
            && (await _mfa.ListForUserAsync(enrolment.OwnerId, ct).ConfigureAwait(false)).Any(d => !d.Enabled && d.SerialNumber == enrolment.SerialNumber))
        {
            _ = await _mfa.RemoveAsync(enrolment.SerialNumber, enrolment.OwnerId, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the person's device after proof (case 102c). Returns the removed serial number.</summary>
    public async Task<MfaResult<string>> RemoveAsync(ClaimsPrincipal principal, string? password, string? code, CancellationToken ct = default)
    {
        var proof = await ProveAsync(principal, password, code, ct).ConfigureAwait(false);
        if (proof.Error is { } error)
        {
            return MfaResult<string>.Fail(proof.ErrorField, error);
        }

        var removed = await _mfa.RemoveAsync(proof.Device!.SerialNumber, OwnerOf(proof.Person!), ct).ConfigureAwait(false);
        return removed.Succeeded ? new MfaResult<string>(removed.Value) : MfaResult<string>.Fail(MfaField.None, removed.Error.Message);
    }

    /// <summary>
    /// Who owns the person's devices: the IAM user id for local users (as the local sign-in's TOTP step), the federated
    /// identity (provider ARN + "/" + subject) for everyone else.
    /// </summary>
    internal static string OwnerOf(PortalPerson person) => person switch
    {
        LocalPerson l => l.User.Id,
        _ => person.IssuedTo,
    };

    private const string SignInAgain = "Your sign-in does not identify a person. Sign in again.";

    private static string LabelOf(PortalPerson person) => person switch
    {
        LocalPerson l => l.User.Name + "@" + l.User.AccountId,
        FederatedPerson f => f.Subject.SessionName,
        _ => person.IssuedTo,
    };

    /// <summary>The MFA message for a refused code, by field.</summary>
    internal static string DescribeRefusal(MfaVerification verification) => verification.Status switch
    {
        MfaVerificationStatus.LockedOut => string.Create(CultureInfo.InvariantCulture, $"Too many invalid codes. Try again after {verification.LockedUntil:HH:mm} UTC."),
        MfaVerificationStatus.Replayed => "That code was already used. Wait for the next code.",
        _ => "Invalid code.",
    };

    private async Task<MfaResult<MfaEnrolment>> CreateAsync(PortalPerson person, string? replaces, DateTimeOffset? proofExpiresAt, CancellationToken ct)
    {
        var owner = OwnerOf(person);
        if (AccountOf(person) is not { } account)
        {
            return MfaResult<MfaEnrolment>.Fail(MfaField.None, SignInAgain);
        }

        // A pending device's secret cannot be shown again (case 102d), so an earlier unfinished setup is dropped.
        foreach (var pending in (await _mfa.ListForUserAsync(owner, ct).ConfigureAwait(false)).Where(d => !d.Enabled))
        {
            _ = await _mfa.RemoveAsync(pending.SerialNumber, owner, ct).ConfigureAwait(false);
        }

        var label = LabelOf(person);
        var created = await _mfa.CreateVirtualDeviceAsync(account, owner, DevicePath, DeviceNameOf(person), label, ct).ConfigureAwait(false);
        return created.Succeeded
            ? new MfaResult<MfaEnrolment>(new MfaEnrolment(created.Value, owner, label, replaces, proofExpiresAt))
            : MfaResult<MfaEnrolment>.Fail(MfaField.None, "Your device cannot be set up: " + created.Error.Message);
    }

    /// <summary>Proof for removal and replacement (case 102c): password (local users), then a current or recovery code.</summary>
    private async Task<(PortalPerson? Person, MfaDevice? Device, MfaField ErrorField, string? Error)> ProveAsync(
        ClaimsPrincipal principal, string? password, string? code, CancellationToken ct)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return (null, null, MfaField.None, SignInAgain);
        }

        var owner = OwnerOf(person);
        var device = await _mfa.FindEnabledForUserAsync(owner, ct).ConfigureAwait(false);
        if (device is null)
        {
            return (null, null, MfaField.None, "You have no MFA device.");
        }

        if (person is LocalPerson local)
        {
            if (string.IsNullOrEmpty(password))
            {
                return (null, null, MfaField.Password, "Enter your password.");
            }

            // Case 101: a correct password does not reset the code's failure count; the code is checked separately below.
            var checkedPassword = await _local.CheckPasswordAsync(local.User.AccountId, local.User.Name, password, ct).ConfigureAwait(false);
            switch (checkedPassword.Status)
            {
                case LocalPasswordStatus.Success:
                    break;
                case LocalPasswordStatus.LockedOut:
                    return (null, null, MfaField.Password, "Too many wrong passwords. Try again later.");
                default:
                    return (null, null, MfaField.Password, "Wrong password.");
            }
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            return (null, null, MfaField.Code, "Enter a code from your authenticator app or a recovery code.");
        }

        var verification = await _local.VerifyAsync(owner, code, ct).ConfigureAwait(false);
        return verification.Succeeded
            ? (person, device, MfaField.None, null)
            : (null, null, MfaField.Code, DescribeRefusal(verification));
    }

    private static AccountId? AccountOf(PortalPerson person) => person switch
    {
        LocalPerson l => AccountId.Parse(l.User.AccountId),
        FederatedPerson f when Arn.TryParse(f.Subject.ProviderArn, out var arn) && arn.TryGetAccountId(out var account) => account,
        _ => null,
    };

    /// <summary>A fresh IAM-valid device name ([\w+=,.@-]+): a replacement never collides with the device it replaces.</summary>
    private static string DeviceNameOf(PortalPerson person)
    {
        var suffix = RandomNumberGenerator.GetHexString(8, lowercase: true);
        return person switch
        {
            LocalPerson l => l.User.Name + "-" + suffix,
            _ => "federated-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(person.IssuedTo)))[..16] + "-" + suffix,
        };
    }
}
