using System.Text;
using Portal.Core.Identity;
using Portal.Core.Sts;
using QRCoder;

namespace Portal.Sts;

public sealed partial class IamApi
{
    private async Task<StsOutcome<string>> CreateVirtualMfaDeviceAsync(IamRequest r)
    {
        if (r.Require("VirtualMFADeviceName", "virtualMFADeviceName", out var name) is { } missing)
        {
            return missing;
        }

        var path = r.P["Path"] ?? "/";
        if (await DeniedAsync(r, Arn.Mfa(r.Account, path, name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        // Created unassigned (as IAM does): the user is bound by EnableMFADevice.
        var created = await _mfa.CreateVirtualDeviceAsync(r.Account, null, path, name, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        var device = created.Value;

        // Both are blobs in the model, so each travels base64-encoded: the seed as the bytes of its Base32 text, the QR
        // code as PNG bytes. This response is the only place the seed is ever shown (SECURITY-CASES 102d).
        var seed = Convert.ToBase64String(Encoding.ASCII.GetBytes(device.Base32StringSeed));
        var png = Convert.ToBase64String(RenderQrPng(device.OtpAuthUri));
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Open("VirtualMFADevice")
            .Element("SerialNumber", device.SerialNumber)
            .Element("Base32StringSeed", seed)
            .Element("QRCodePNG", png)
            .Close()
            .End();
    }

    private async Task<StsOutcome<string>> EnableMfaDeviceAsync(IamRequest r)
    {
        if (IamRequest.First(
                r.Require("UserName", "userName", out var userName),
                r.Require("SerialNumber", "serialNumber", out var serial),
                r.Require("AuthenticationCode1", "authenticationCode1", out var code1),
                r.Require("AuthenticationCode2", "authenticationCode2", out var code2)) is { } missing)
        {
            return missing;
        }

        var user = await AuthorizedUserAsync(r, userName).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        if (OwnSerial(r, serial) is { } foreign)
        {
            return foreign;
        }

        var enabled = await _mfa.EnableAsync(serial, user.Value.Id, code1, code2, r.Ct).ConfigureAwait(false);
        return enabled.Succeeded ? Empty(r) : enabled.Error;
    }

    private async Task<StsOutcome<string>> DeactivateMfaDeviceAsync(IamRequest r)
    {
        if (r.Require("SerialNumber", "serialNumber", out var serial) is { } missing)
        {
            return missing;
        }

        var target = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        if (target.Value.User is not { } user)
        {
            // Root MFA is not modelled by the engine (STS MFA checks are for IAM users), so root has no device to deactivate.
            return new StsError(StsErrorCode.NoSuchEntity, $"MFA device with serial number {serial} does not exist.");
        }

        if (OwnSerial(r, serial) is { } foreign)
        {
            return foreign;
        }

        var deactivated = await _mfa.DeactivateAsync(serial, user.Id, r.Ct).ConfigureAwait(false);
        return deactivated.Succeeded ? Empty(r) : deactivated.Error;
    }

    private async Task<StsOutcome<string>> ListMfaDevicesAsync(IamRequest r)
    {
        var target = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        // MFADevice.EnableDate is required: a device still awaiting its two codes is not listed.
        var user = target.Value.User;
        var devices = user is null
            ? []
            : (await _mfa.ListForUserAsync(user.Id, r.Ct).ConfigureAwait(false)).Where(d => d.Enabled).OrderBy(d => d.SerialNumber, StringComparer.Ordinal).ToList();
        var page = IamPaging.Page(devices, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("MFADevices");
        foreach (var d in page.Value.Items)
        {
            x.Open("member").Element("UserName", user!.Name).Element("SerialNumber", d.SerialNumber).Element("EnableDate", d.EnabledAt).Close();
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    private async Task<StsOutcome<string>> DeleteVirtualMfaDeviceAsync(IamRequest r)
    {
        if (r.Require("SerialNumber", "serialNumber", out var serial) is { } missing)
        {
            return missing;
        }

        if (OwnSerial(r, serial) is { } foreign)
        {
            return foreign;
        }

        if (await DeniedAsync(r, serial).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var deleted = await _mfa.DeleteAsync(serial, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    /// <summary>
    /// The MFA service looks devices up by serial alone, so the account scope is enforced here: a serial number of another
    /// account is answered as unknown, never enabled, deactivated or deleted.
    /// </summary>
    private static StsError? OwnSerial(IamRequest r, string serial)
    {
        var notFound = $"MFA device with serial number {serial} does not exist.";
        if (!Arn.TryParse(serial, out var arn) || arn.Service != "iam" || arn.ResourceType != "mfa")
        {
            return new StsError(StsErrorCode.NoSuchEntity, notFound);
        }

        return arn.Account == r.Account.Value ? null : new StsError(StsErrorCode.NoSuchEntity, notFound);
    }

    private static byte[] RenderQrPng(string otpAuthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(5);
    }
}
