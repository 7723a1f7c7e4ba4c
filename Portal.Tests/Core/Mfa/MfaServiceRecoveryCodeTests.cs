using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Mfa;

public class MfaServiceRecoveryCodeTests
{
    private readonly MfaTestHarness _harness = new();

    [Fact]
    public async Task GenerateRecoveryCodesAsync_EnabledDevice_ReturnsTenDistinctFormattedCodes()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var outcome = await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(10, outcome.Value.Count);
        Assert.Equal(10, outcome.Value.Distinct(StringComparer.Ordinal).Count());
        Assert.All(outcome.Value, c => Assert.Matches(new Regex("^[A-Z2-7]{5}-[A-Z2-7]{5}$"), c));
    }

    [Fact]
    public async Task GenerateRecoveryCodesAsync_Codes_AreStoredOnlyAsSaltedHashes()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var codes = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value!;

        // Assert
        var stored = (await _harness.Store.FindAsync(device.SerialNumber))!.RecoveryCodes;
        Assert.Equal(10, stored.Count);
        Assert.Equal(10, stored.Select(s => Convert.ToHexString(s.Salt)).Distinct(StringComparer.Ordinal).Count());
        var plainForms = codes
            .SelectMany(c => new[] { c, c.Replace("-", string.Empty, StringComparison.Ordinal) })
            .SelectMany(c => new[] { Encoding.ASCII.GetBytes(c), SHA256.HashData(Encoding.ASCII.GetBytes(c)) })
            .Select(Convert.ToHexString)
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(stored, s => Assert.DoesNotContain(Convert.ToHexString(s.Hash), plainForms));
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_ValidCode_SucceedsExactlyOnce()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![3];

        // Act
        var first = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, code);
        var second = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, first.Status);
        Assert.Equal(_harness.Time.GetUtcNow(), first.MatchedAt);
        Assert.Equal(MfaVerificationStatus.Replayed, second.Status);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_LowercaseWithoutHyphen_Succeeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![0];

        // Act
        var result = await service.RedeemRecoveryCodeAsync(
            device.SerialNumber, MfaTestHarness.UserId, code.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant());

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_TwentyConcurrentRedemptions_ExactlyOneSucceeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![0];
        _harness.Store.Arm(20);

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, code))));

        // Assert
        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(MfaVerificationStatus.Replayed, r.Status));
    }

    [Theory]
    [InlineData("AAAAA-AAAAA")]
    [InlineData("not-a-code")]
    [InlineData("")]
    [InlineData(null)]
    public async Task RedeemRecoveryCodeAsync_WrongCode_IsInvalidCode(string? code)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId);

        // Act
        var result = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, result.Status);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_WrongCodesUpToThreshold_LockTheDevice()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var codes = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value!;
        for (var i = 0; i < _harness.Options.MaxFailedAttempts; i++)
        {
            await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, "AAAAA-AAAAA");
        }

        // Act
        var totp = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        var recovery = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, codes[0]);

        // Assert
        Assert.Equal(MfaVerificationStatus.LockedOut, totp.Status);
        Assert.Equal(MfaVerificationStatus.LockedOut, recovery.Status);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_CodeFromEarlierGeneration_IsInvalidCode()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var old = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value!;
        var fresh = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value!;

        // Act
        var oldResult = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, old[0]);
        var freshResult = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, fresh[0]);

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, oldResult.Status);
        Assert.Equal(MfaVerificationStatus.Success, freshResult.Status);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_OtherUser_IsUnknownDevice()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![0];

        // Act
        var result = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.OtherUserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.UnknownDevice, result.Status);
    }

    [Fact]
    public async Task GenerateRecoveryCodesAsync_OtherUsersDevice_IsNoSuchEntity()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var outcome = await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.OtherUserId);

        // Assert
        Assert.Equal(StsErrorCode.NoSuchEntity, outcome.Error?.Code);
        Assert.Empty((await _harness.Store.FindAsync(device.SerialNumber))!.RecoveryCodes);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_DeviceNotEnabled_IsNotEnabled()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);
        var code = (await service.GenerateRecoveryCodesAsync(device.SerialNumber, MfaTestHarness.UserId)).Value![0];

        // Act
        var result = await service.RedeemRecoveryCodeAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.NotEnabled, result.Status);
    }

    private async Task<(MfaService Service, VirtualMfaDevice Device)> CreateSubjectAsync()
    {
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);
        return (service, device);
    }
}
