using System.Web;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Mfa;

/// <summary>The MfaService members the self-service MFA page builds on: labelled enrolment, removal, finding the enabled device.</summary>
public class MfaServiceSelfServiceTests
{
    private const string FederatedOwner = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/alice-sub";
    private readonly MfaTestHarness _harness = new();

    [Fact]
    public async Task CreateVirtualDeviceAsync_AccountLabel_IsTheUriLabelAndOwnerStaysUserId()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, FederatedOwner, "/", MfaTestHarness.DeviceName, "alice@example.com");

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.StartsWith("otpauth://totp/Portal:alice%40example.com?secret=", outcome.Value.OtpAuthUri, StringComparison.Ordinal);
        Assert.Equal(outcome.Value.SerialNumber, Assert.Single(await service.ListForUserAsync(FederatedOwner)).SerialNumber);
    }

    [Fact]
    public async Task CreateVirtualDeviceAsync_HostileAccountLabel_HasExactlyOneSecret()
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, FederatedOwner, "/", MfaTestHarness.DeviceName, "bob?secret=AAAA&issuer=Evil");

        // Assert
        var query = HttpUtility.ParseQueryString(new Uri(outcome.Value!.OtpAuthUri).Query);
        Assert.Equal([outcome.Value.Base32StringSeed], query.GetValues("secret") ?? []);
        Assert.Equal(["Portal"], query.GetValues("issuer") ?? []);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CreateVirtualDeviceAsync_BlankAccountLabel_IsValidationErrorAndCreatesNothing(string label)
    {
        // Arrange
        var service = _harness.CreateService();

        // Act
        var outcome = await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, FederatedOwner, "/", MfaTestHarness.DeviceName, label);

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error?.Code);
        Assert.Empty(await service.ListForUserAsync(FederatedOwner));
    }

    [Fact]
    public async Task RemoveAsync_EnabledDevice_DeletesItSoTheSerialCanBeEnrolledAgain()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);

        // Act
        var removed = await service.RemoveAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Assert
        Assert.Equal(device.SerialNumber, removed.Value);
        Assert.Null(await _harness.Store.FindAsync(device.SerialNumber));
        Assert.Null(await service.FindEnabledForUserAsync(MfaTestHarness.UserId));
        Assert.True((await service.CreateVirtualDeviceAsync(MfaTestHarness.Account, MfaTestHarness.UserId, "/", MfaTestHarness.DeviceName)).Succeeded);
    }

    [Fact]
    public async Task RemoveAsync_PendingDevice_Deleted()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var removed = await service.RemoveAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Assert
        Assert.True(removed.Succeeded);
        Assert.Null(await _harness.Store.FindAsync(device.SerialNumber));
    }

    [Fact]
    public async Task RemoveAsync_OtherUsersDevice_IsNoSuchEntityAndDeviceKeepsWorking()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);

        // Act
        var removed = await service.RemoveAsync(device.SerialNumber, MfaTestHarness.OtherUserId);

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, removed.Error?.Code);
        Assert.True((await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0))).Succeeded);
    }

    [Fact]
    public async Task FindEnabledForUserAsync_PendingAndEnabledDevices_ReturnsTheEnabledOne()
    {
        // Arrange
        var service = _harness.CreateService();
        var enabled = await _harness.CreateEnabledDeviceAsync(service);
        await MfaTestHarness.CreateDeviceAsync(service, name: "alice-new-phone");

        // Act
        var found = await service.FindEnabledForUserAsync(MfaTestHarness.UserId);

        // Assert
        Assert.Equal(enabled.SerialNumber, found?.SerialNumber);
    }

    [Fact]
    public async Task FindEnabledForUserAsync_OnlyPendingDevice_IsNull()
    {
        // Arrange
        var service = _harness.CreateService();
        await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var found = await service.FindEnabledForUserAsync(MfaTestHarness.UserId);

        // Assert
        Assert.Null(found);
    }
}
