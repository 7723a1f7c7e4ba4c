namespace Portal.Core.Mfa;

/// <summary>
/// A freshly created virtual MFA device with its seed, returned once by
/// <c>MfaService.CreateVirtualDeviceAsync</c> (case 102d: nothing returns the seed afterwards).
/// </summary>
/// <param name="SerialNumber">The device ARN, used as <c>SerialNumber</c> in STS calls.</param>
/// <param name="Secret">The raw 20-byte seed (case 102a).</param>
/// <param name="Base32StringSeed">The seed in RFC 4648 Base32, for manual entry.</param>
/// <param name="OtpAuthUri">The Key URI for a QR code; label and issuer are percent-encoded (case 102f).</param>
/// <param name="CreatedAt">When the device was created; it starts disabled (case 102b).</param>
public sealed record VirtualMfaDevice(
    string SerialNumber,
    ReadOnlyMemory<byte> Secret,
    string Base32StringSeed,
    string OtpAuthUri,
    DateTimeOffset CreatedAt);
