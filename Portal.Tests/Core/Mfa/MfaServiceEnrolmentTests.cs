using System.Web;
using OtpNet;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Mfa;

public class MfaServiceEnrolmentTests
{
    private readonly MfaTestHarness _harness = new();

    [Fact]
    public async Task CreateVirtualDeviceAsync_ValidRequest_ReturnsArnSerialAndTwentyByteSecret()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", MfaTestHarness.DeviceName);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal("arn:aws:iam::123456789012:mfa/alice-phone", outcome.Value.SerialNumber);
        Assert.Equal(20, outcome.Value.Secret.Length);
        Assert.Equal(outcome.Value.Secret.ToArray(), Base32Encoding.ToBytes(outcome.Value.Base32StringSeed));
        Assert.Equal(MfaTestHarness.Start, outcome.Value.CreatedAt);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_WithPath_SerialContainsPath()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/division/team/", MfaTestHarness.DeviceName);

        // Assert
        Assert.Equal("arn:aws:iam::123456789012:mfa/division/team/alice-phone", outcome.Value!.SerialNumber);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_NewDevice_StartsDisabled()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Assert
        var listed = Assert.Single(await service.ListForUserAsync(MfaTestHarness.UserId));
        Assert.Equal(device.SerialNumber, listed.SerialNumber);
        Assert.False(listed.Enabled);
        Assert.Null(listed.EnabledAt);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_TwoDevices_HaveDifferentSecrets()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var first = await MfaTestHarness.CreateDeviceAsync(service, name: "one");
        var second = await MfaTestHarness.CreateDeviceAsync(service, name: "two");

        // Assert
        Assert.NotEqual(first.Secret.ToArray(), second.Secret.ToArray());
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_Secret_IsStoredOnlyInProtectedForm()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Assert
        var record = await _harness.Store.FindAsync(device.SerialNumber);
        Assert.NotNull(record);
        Assert.Equal(TestMfaSecretCodec.Marker, record.ProtectedSecret[0]);
        Assert.NotEqual(device.Secret.ToArray(), record.ProtectedSecret);
        Assert.True(_harness.Codec.TryUnprotect(record.ProtectedSecret, out var secret));
        Assert.Equal(device.Secret.ToArray(), secret);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_OtpAuthUri_HasKeyUriFormat()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Assert
        Assert.Equal(
            $"otpauth://totp/Portal:alice?secret={device.Base32StringSeed}&issuer=Portal&algorithm=SHA1&digits=6&period=30",
            device.OtpAuthUri);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_HostileLabelAndIssuer_ArePercentEncoded()
    {
        // Arrange
        _harness.Options.Issuer = "Acme & Co: Ops";
        var service = _harness.CreateService();

        // Act
        var device = await MfaTestHarness.CreateDeviceAsync(service, userId: "bob?secret=AAAA&issuer=Evil");

        // Assert
        var uri = new Uri(device.OtpAuthUri);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal([device.Base32StringSeed], query.GetValues("secret") ?? []);
        Assert.Equal(["Acme & Co: Ops"], query.GetValues("issuer") ?? []);
        Assert.Equal("/Acme%20%26%20Co%3A%20Ops:bob%3Fsecret%3DAAAA%26issuer%3DEvil", uri.AbsolutePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("bob?secret=AAAA")]
    [InlineData("n\u00e9v")]
    public async Task CreateVirtualDeviceAsync_InvalidName_IsValidationError(string name)
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", name);

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error?.Code);
        Assert.Empty(await service.ListForUserAsync(MfaTestHarness.UserId));
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_NameLongerThan128_IsValidationError()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", new string('a', 129));

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error?.Code);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("A_z0+=,.@-")]
    public async Task CreateVirtualDeviceAsync_NameAtPatternEdges_Succeeds(string name)
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", name);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_NameOf128Characters_Succeeds()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", new string('a', 128));

        // Assert
        Assert.True(outcome.Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("division")]
    [InlineData("/division")]
    [InlineData("/a b/")]
    public async Task CreateVirtualDeviceAsync_InvalidPath_IsValidationError(string path)
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, path, MfaTestHarness.DeviceName);

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error?.Code);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_DuplicateSerial_IsEntityAlreadyExists()
    {
        // Arrange
        var service = _harness.CreateService();
        var original = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.OtherUserId, "/", MfaTestHarness.DeviceName);

        // Assert
        Assert.Equal(StsErrorCode.EntityAlreadyExists, outcome.Error?.Code);
        var record = await _harness.Store.FindAsync(original.SerialNumber);
        Assert.Equal(MfaTestHarness.UserId, record?.UserId);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public async Task EnableAsync_TwoConsecutiveCodesInWindow_EnablesAndAssigns(int firstOffset)
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var outcome = await service.EnableAsync(
            device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, firstOffset), _harness.CodeAt(device, firstOffset + 1));

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.True(outcome.Value.Enabled);
        Assert.Equal(MfaTestHarness.UserId, outcome.Value.UserId);
        var record = await _harness.Store.FindAsync(device.SerialNumber);
        Assert.Equal(_harness.CurrentStep + firstOffset + 1, record?.LastAcceptedStep);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, -1)]
    [InlineData(-1, 1)]
    [InlineData(0, -1)]
    [InlineData(-3, -2)]
    [InlineData(-2, -1)]
    [InlineData(1, 2)]
    public async Task EnableAsync_CodesNotConsecutiveOrOutsideWindow_IsInvalidAuthenticationCode(int firstOffset, int secondOffset)
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var outcome = await service.EnableAsync(
            device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, firstOffset), _harness.CodeAt(device, secondOffset));

        // Assert
        Assert.Equal(StsErrorCode.InvalidAuthenticationCode, outcome.Error?.Code);
        Assert.Equal("Authentication code for device is not valid.", outcome.Error?.Message);
        var listed = Assert.Single(await service.ListForUserAsync(MfaTestHarness.UserId));
        Assert.False(listed.Enabled);
    }

    [Theory]
    [InlineData("12345", "123456")]
    [InlineData("123456", "12345a")]
    [InlineData("", "")]
    public async Task EnableAsync_MalformedCodes_IsInvalidAuthenticationCode(string code1, string code2)
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var outcome = await service.EnableAsync(device.SerialNumber, MfaTestHarness.UserId, code1, code2);

        // Assert
        Assert.Equal(StsErrorCode.InvalidAuthenticationCode, outcome.Error?.Code);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public async Task EnableAsync_ThenVerifyWithEitherEnrolmentCode_IsReplayed(int offset)
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);
        await service.EnableAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, -1), _harness.CodeAt(device, 0));

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, offset));

        // Assert
        Assert.Equal(MfaVerificationStatus.Replayed, result.Status);
    }

    [Fact]
    public async Task EnableAsync_OtherUsersPendingDevice_IsNoSuchEntity()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var outcome = await service.EnableAsync(
            device.SerialNumber, MfaTestHarness.OtherUserId, _harness.CodeAt(device, -1), _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, outcome.Error?.Code);
        Assert.Empty(await service.ListForUserAsync(MfaTestHarness.OtherUserId));
    }

    [Fact]
    public async Task EnableAsync_UnassignedDevice_AssignsToCaller()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service, userId: null);

        // Act
        var outcome = await service.EnableAsync(
            device.SerialNumber, MfaTestHarness.OtherUserId, _harness.CodeAt(device, -1), _harness.CodeAt(device, 0));

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(device.SerialNumber, Assert.Single(await service.ListForUserAsync(MfaTestHarness.OtherUserId)).SerialNumber);
    }

    [Fact]
    public async Task EnableAsync_AlreadyEnabled_IsEntityAlreadyExists()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);

        // Act
        var outcome = await service.EnableAsync(
            device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, -1), _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(StsErrorCode.EntityAlreadyExists, outcome.Error?.Code);
    }

    [Fact]
    public async Task EnableAsync_UnknownSerial_IsNoSuchEntity()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.EnableAsync("arn:aws:iam::123456789012:mfa/none", MfaTestHarness.UserId, "123456", "654321");

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, outcome.Error?.Code);
    }
}
