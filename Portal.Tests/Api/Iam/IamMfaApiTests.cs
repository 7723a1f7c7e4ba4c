using System.Text;
using OtpNet;

namespace Portal.Tests.Api.Iam;

public sealed class IamMfaApiTests : IClassFixture<PortalAppFactory>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly IamApiClient _api;

    public IamMfaApiTests(PortalAppFactory factory) => _api = new IamApiClient(factory);

    [Fact]
    public async Task CreateVirtualMfaDevice_Root_ReturnsSerialBase32SeedAndPngQrCode()
    {
        // Arrange
        var name = IamApiClient.Unique("dev");

        // Act
        var r = await _api.CallAsRootAsync("CreateVirtualMFADevice", ("VirtualMFADeviceName", name), ("Path", "/ops/"));

        // Assert
        r.AssertOk();
        Assert.Equal($"arn:aws:iam::{PortalAppFactory.AccountId}:mfa/ops/{name}", r.Value("VirtualMFADevice", "SerialNumber"));
        var png = Convert.FromBase64String(r.Value("VirtualMFADevice", "QRCodePNG"));
        Assert.Equal(PngSignature, png[..8]);
        var seed = Encoding.ASCII.GetString(Convert.FromBase64String(r.Value("VirtualMFADevice", "Base32StringSeed")));
        Assert.Matches("^[A-Z2-7]+=*$", seed);
        Assert.Equal(20, Base32Encoding.ToBytes(seed).Length);
    }

    [Fact]
    public async Task CreateVirtualMfaDevice_SameName_IsEntityAlreadyExists()
    {
        // Arrange
        var name = IamApiClient.Unique("dup");
        (await _api.CallAsRootAsync("CreateVirtualMFADevice", ("VirtualMFADeviceName", name))).AssertOk();

        // Act
        var r = await _api.CallAsRootAsync("CreateVirtualMFADevice", ("VirtualMFADeviceName", name));

        // Assert
        r.AssertError(409, "EntityAlreadyExists");
    }

    [Fact]
    public async Task EnableMfaDevice_TwoConsecutiveCodes_EnablesListsAndThenDeactivatesAndDeletes()
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();
        var (serial, seed) = await NewDeviceAsync();
        var (code1, code2) = ConsecutiveCodes(seed);

        // Act
        var enable = await _api.CallAsRootAsync("EnableMFADevice", ("UserName", user.Name), ("SerialNumber", serial), ("AuthenticationCode1", code1), ("AuthenticationCode2", code2));
        var list = await _api.CallAsRootAsync("ListMFADevices", ("UserName", user.Name));
        var deleteWhileEnabled = await _api.CallAsRootAsync("DeleteVirtualMFADevice", ("SerialNumber", serial));
        var deactivate = await _api.CallAsRootAsync("DeactivateMFADevice", ("UserName", user.Name), ("SerialNumber", serial));
        var listAfter = await _api.CallAsRootAsync("ListMFADevices", ("UserName", user.Name));
        var delete = await _api.CallAsRootAsync("DeleteVirtualMFADevice", ("SerialNumber", serial));
        var deleteAgain = await _api.CallAsRootAsync("DeleteVirtualMFADevice", ("SerialNumber", serial));

        // Assert
        enable.AssertOk();
        list.AssertOk();
        Assert.Equal(user.Name, list.Value("MFADevices", "member", "UserName"));
        Assert.Equal(serial, list.Value("MFADevices", "member", "SerialNumber"));
        Assert.NotEmpty(list.Value("MFADevices", "member", "EnableDate"));
        Assert.Equal("false", list.Value("IsTruncated"));
        deleteWhileEnabled.AssertError(409, "DeleteConflict");
        deactivate.AssertOk();
        Assert.Empty(listAfter.Result.Element(IamApiClient.Ns + "MFADevices")!.Elements());
        delete.AssertOk();
        deleteAgain.AssertError(404, "NoSuchEntity");
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("same")]
    [InlineData("reversed")]
    [InlineData("malformed")]
    public async Task EnableMfaDevice_BadCodes_IsInvalidAuthenticationCode(string breakWith)
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();
        var (serial, seed) = await NewDeviceAsync();
        var (code1, code2) = ConsecutiveCodes(seed);
        (code1, code2) = breakWith switch
        {
            "wrong" => (Wrong(code1), Wrong(code2)),
            "same" => (code1, code1),
            "reversed" => (code2, code1),
            _ => ("12a456", code2),
        };

        // Act
        var r = await _api.CallAsRootAsync("EnableMFADevice", ("UserName", user.Name), ("SerialNumber", serial), ("AuthenticationCode1", code1), ("AuthenticationCode2", code2));

        // Assert
        r.AssertError(403, "InvalidAuthenticationCode");
        Assert.Empty(await ListedSerialsAsync(user.Name));
    }

    [Fact]
    public async Task EnableMfaDevice_SerialOfAnotherAccount_IsNoSuchEntity()
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();
        var (serial, seed) = await NewDeviceAsync();
        var (code1, code2) = ConsecutiveCodes(seed);
        var foreign = serial.Replace(PortalAppFactory.AccountId, "999988887777", StringComparison.Ordinal);

        // Act
        var r = await _api.CallAsRootAsync("EnableMFADevice", ("UserName", user.Name), ("SerialNumber", foreign), ("AuthenticationCode1", code1), ("AuthenticationCode2", code2));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task EnableMfaDevice_UnknownUser_IsNoSuchEntity()
    {
        // Arrange
        var (serial, seed) = await NewDeviceAsync();
        var (code1, code2) = ConsecutiveCodes(seed);

        // Act
        var r = await _api.CallAsRootAsync("EnableMFADevice", ("UserName", IamApiClient.Unique("ghost")), ("SerialNumber", serial), ("AuthenticationCode1", code1), ("AuthenticationCode2", code2));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task EnableMfaDevice_IamUserWithoutPermission_IsAccessDenied()
    {
        // Arrange
        var (user, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:ListMFADevices"));
        var (serial, seed) = await NewDeviceAsync();
        var (code1, code2) = ConsecutiveCodes(seed);

        // Act
        var r = await _api.CallAsync(creds, "EnableMFADevice", ("UserName", user.Name), ("SerialNumber", serial), ("AuthenticationCode1", code1), ("AuthenticationCode2", code2));
        var list = await _api.CallAsync(creds, "ListMFADevices");

        // Assert
        r.AssertError(403, "AccessDenied");
        list.AssertOk();
        Assert.Empty(list.Result.Element(IamApiClient.Ns + "MFADevices")!.Elements());
    }

    [Fact]
    public async Task DeactivateMfaDevice_UnknownSerial_IsNoSuchEntity()
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsRootAsync("DeactivateMFADevice", ("UserName", user.Name), ("SerialNumber", $"arn:aws:iam::{PortalAppFactory.AccountId}:mfa/{IamApiClient.Unique("none")}"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    private async Task<(string Serial, string Seed)> NewDeviceAsync()
    {
        var r = await _api.CallAsRootAsync("CreateVirtualMFADevice", ("VirtualMFADeviceName", IamApiClient.Unique("dev")));
        r.AssertOk();
        var seed = Encoding.ASCII.GetString(Convert.FromBase64String(r.Value("VirtualMFADevice", "Base32StringSeed")));
        return (r.Value("VirtualMFADevice", "SerialNumber"), seed);
    }

    private async Task<IEnumerable<string>> ListedSerialsAsync(string userName)
    {
        var r = await _api.CallAsRootAsync("ListMFADevices", ("UserName", userName));
        r.AssertOk();
        return r.Result.Descendants(IamApiClient.Ns + "SerialNumber").Select(e => e.Value).ToList();
    }

    /// <summary>
    /// The codes of the current step and the next one. The server accepts code1 at step n and code2 at n+1 for n in
    /// {now-1, now}, so this pair stays valid even if a step boundary passes before the request is verified.
    /// </summary>
    private static (string Code1, string Code2) ConsecutiveCodes(string seed)
    {
        var totp = new Totp(Base32Encoding.ToBytes(seed));
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var at = (long s) => DateTimeOffset.FromUnixTimeSeconds(s * 30).UtcDateTime;
        return (totp.ComputeTotp(at(step)), totp.ComputeTotp(at(step + 1)));
    }

    private static string Wrong(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
