using Microsoft.Extensions.Options;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Mfa;

public class MfaServiceLifecycleTests
{
    private readonly MfaTestHarness _harness = new();

    [Fact]
    public async Task DeactivateAsync_EnabledDevice_DisablesAndUnassigns()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var outcome = await service.DeactivateAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Value.Enabled);
        Assert.Null(outcome.Value.UserId);
        Assert.Empty(await service.ListForUserAsync(MfaTestHarness.UserId));
    }

    [Fact]
    public async Task DeactivateAsync_EnabledDevice_LeavesNoUsableCode()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var recovery = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![0];

        // Act
        await service.DeactivateAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Assert
        var totp = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        var redeemed = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, recovery);
        Assert.Equal(MfaVerificationStatus.UnknownDevice, totp.Status);
        Assert.Equal(MfaVerificationStatus.UnknownDevice, redeemed.Status);
        Assert.Empty((await _harness.Store.FindAsync(device.SerialNumber))!.RecoveryCodes);
    }

    [Fact]
    public async Task DeactivateAsync_OtherUser_IsNoSuchEntityAndDeviceKeepsWorking()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var outcome = await service.DeactivateAsync(device.SerialNumber, MfaTestHarness.OtherUserId);

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, outcome.Error?.Code);
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task EnableAsync_AfterDeactivateWithAlreadyAcceptedCodes_IsInvalidAuthenticationCode()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);
        var code1 = _harness.CodeAt(device, -1);
        var code2 = _harness.CodeAt(device, 0);
        await service.EnableAsync(device.SerialNumber, MfaTestHarness.UserId, code1, code2);
        await service.DeactivateAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Act
        var outcome = await service.EnableAsync(device.SerialNumber, MfaTestHarness.OtherUserId, code1, code2);

        // Assert
        Assert.Equal(StsErrorCode.InvalidAuthenticationCode, outcome.Error?.Code);
    }

    [Fact]
    public async Task DeleteAsync_EnabledDevice_IsDeleteConflict()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var outcome = await service.DeleteAsync(device.SerialNumber);

        // Assert
        Assert.Equal(StsErrorCode.DeleteConflict, outcome.Error?.Code);
        Assert.NotNull(await _harness.Store.FindAsync(device.SerialNumber));
    }

    [Fact]
    public async Task DeleteAsync_DeactivatedDevice_RemovesIt()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await service.DeactivateAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Act
        var outcome = await service.DeleteAsync(device.SerialNumber);

        // Assert
        Assert.Equal(device.SerialNumber, outcome.Value);
        Assert.Null(await _harness.Store.FindAsync(device.SerialNumber));
    }

    [Fact]
    public async Task DeleteAsync_UnknownSerial_IsNoSuchEntity()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.DeleteAsync("arn:aws:iam::123456789012:mfa/none");

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, outcome.Error?.Code);
    }

    [Fact]
    public async Task ListForUserAsync_SeveralUsers_ReturnsOnlyTheCallersDevices()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await _harness.CreateEnabledDeviceAsync(service, MfaTestHarness.OtherUserId, "mallory-phone");

        // Act
        var devices = await service.ListForUserAsync(MfaTestHarness.UserId);

        // Assert
        var only = Assert.Single(devices);
        Assert.Equal(device.SerialNumber, only.SerialNumber);
        Assert.True(only.Enabled);
    }

    [Theory]
    [InlineData(0, 15, 15)]
    [InlineData(5, 0, 15)]
    [InlineData(5, 15, 0)]
    public void Constructor_InvalidOptions_Throws(int maxFailures, int windowMinutes, int lockoutMinutes)
    {
        // Arrange
        var options = new MfaOptions
        {
            MaxFailedAttempts = maxFailures,
            FailureWindow = TimeSpan.FromMinutes(windowMinutes),
            LockoutDuration = TimeSpan.FromMinutes(lockoutMinutes),
        };

        // Act
        var act = () => new MfaService(_harness.Store, _harness.Codec, Options.Create(options), _harness.Time);

        // Assert
        Assert.Throws<ArgumentException>(act);
    }

    private async Task<(MfaService Service, VirtualMfaDevice Device)> CreateSubjectAsync()
    {
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);
        return (service, device);
    }
}
