using Portal.Core.Mfa;

namespace Portal.Tests.Core.Mfa;

public class MfaServiceVerifyTests
{
    private readonly MfaTestHarness _harness = new();

    [Fact]
    public async Task VerifyAsync_CurrentCode_SucceedsWithMatchedStep()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var step = _harness.CurrentStep;

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
        Assert.Equal(step, result.TimeStep);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(step * 30), result.MatchedAt);
        Assert.Null(result.FailureMessage);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task VerifyAsync_CodeOneStepAway_Succeeds(int stepOffset)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var expectedStep = _harness.CurrentStep + stepOffset;

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, stepOffset));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
        Assert.Equal(expectedStep, result.TimeStep);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-10)]
    public async Task VerifyAsync_CodeTwoOrMoreStepsAway_IsInvalidCode(int stepOffset)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, stepOffset));

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, result.Status);
        Assert.Equal(MfaMessages.InvalidCode, result.FailureMessage);
    }

    [Fact]
    public async Task VerifyAsync_SameCodeAgainFiveSecondsLater_IsReplayed()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = _harness.CodeAt(device, 0);
        var first = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code);
        _harness.Time.Advance(TimeSpan.FromSeconds(5));

        // Act
        var second = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, first.Status);
        Assert.Equal(MfaVerificationStatus.Replayed, second.Status);
        Assert.Equal(MfaMessages.InvalidCode, second.FailureMessage);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    public async Task VerifyAsync_EarlierStepAfterLaterAccepted_IsReplayed(int acceptedOffset, int laterSubmittedOffset)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var accepted = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, acceptedOffset));

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, laterSubmittedOffset));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, accepted.Status);
        Assert.Equal(MfaVerificationStatus.Replayed, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_NextStepAfterCurrentAccepted_Succeeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        _harness.Time.Advance(MfaTestHarness.Step);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_TwentyConcurrentSubmissionsOfOneCode_ExactlyOneSucceeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = _harness.CodeAt(device, 0);
        _harness.Store.Arm(20);

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code))));

        // Assert
        Assert.Single(results, r => r.Status == MfaVerificationStatus.Success);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(MfaVerificationStatus.Replayed, r.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("12 456")]
    [InlineData("-12345")]
    public async Task VerifyAsync_MalformedCode_IsInvalidCodeWithoutLoadingTheSecret(string? code)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var unprotectCallsBefore = _harness.Codec.UnprotectCalls;

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, result.Status);
        Assert.Equal(unprotectCallsBefore, _harness.Codec.UnprotectCalls);
    }

    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0}\n")]
    [InlineData("{0}0")]
    public async Task VerifyAsync_ValidCodeWithExtraCharacters_IsInvalidCode(string format)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var code = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, _harness.CodeAt(device, 0));

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_ValidCodeInNonAsciiDigits_IsInvalidCode()
    {
        // Arrange: the same digits as the valid code, written in Arabic-Indic numerals (char.IsDigit accepts them).
        var (service, device) = await CreateSubjectAsync();
        var code = new string([.. _harness.CodeAt(device, 0).Select(c => (char)('\u0660' + (c - '0')))]);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, code);

        // Assert
        Assert.Equal(MfaVerificationStatus.InvalidCode, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_OtherUsersDevice_IsUnknownDevice()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.OtherUserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.UnknownDevice, result.Status);
        Assert.Equal(MfaMessages.UnknownDevice, result.FailureMessage);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:mfa/no-such-device")]
    [InlineData("")]
    public async Task VerifyAsync_UnknownSerial_IsUnknownDevice(string serialNumber)
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();

        // Act
        var result = await service.VerifyAsync(serialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.UnknownDevice, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_DeviceNotEnabled_IsNotEnabled()
    {
        // Arrange
        var service = _harness.CreateService();
        var device = await MfaTestHarness.CreateDeviceAsync(service);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.NotEnabled, result.Status);
        Assert.Equal(MfaMessages.UnknownDevice, result.FailureMessage);
    }

    [Fact]
    public async Task VerifyAsync_CorrectCodeAfterMaxFailures_IsLockedOut()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        var failures = await FailAsync(service, device, _harness.Options.MaxFailedAttempts);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.All(failures, f => Assert.Equal(MfaVerificationStatus.InvalidCode, f.Status));
        Assert.Equal(MfaVerificationStatus.LockedOut, result.Status);
        Assert.Equal(_harness.Time.GetUtcNow() + _harness.Options.LockoutDuration, result.LockedUntil);
        Assert.Equal(MfaMessages.InvalidCode, result.FailureMessage);
    }

    [Fact]
    public async Task VerifyAsync_OneFailureBelowThreshold_CorrectCodeSucceeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts - 1);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_SuccessBetweenFailures_ResetsTheCounter()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts - 1);
        await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts - 1);
        _harness.Time.Advance(MfaTestHarness.Step);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_LockoutPeriodElapsed_CorrectCodeSucceeds()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts);
        _harness.Time.Advance(_harness.Options.LockoutDuration - TimeSpan.FromSeconds(1));
        var stillLocked = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.LockedOut, stillLocked.Status);
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_FailuresSpreadBeyondWindow_DoNotLock()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts - 1);
        _harness.Time.Advance(_harness.Options.FailureWindow + TimeSpan.FromSeconds(1));
        await FailAsync(service, device, 1);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.Success, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_ConcurrentWrongCodes_AreAllCounted()
    {
        // Arrange
        _harness.Options.MaxFailedAttempts = 20;
        var (service, device) = await CreateSubjectAsync();
        var wrong = _harness.WrongCode(device);
        _harness.Store.Arm(20);

        // Act
        await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, wrong))));
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.LockedOut, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_MalformedCodes_CountTowardsLockout()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        for (var i = 0; i < _harness.Options.MaxFailedAttempts; i++)
        {
            await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, "abc");
        }

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.LockedOut, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_LockedDeviceOfOtherUser_IsUnknownDevice()
    {
        // Arrange: lockout state must not leak to someone probing another user's serial.
        var (service, device) = await CreateSubjectAsync();
        await FailAsync(service, device, _harness.Options.MaxFailedAttempts);

        // Act
        var result = await service.VerifyAsync(device.SerialNumber, MfaTestHarness.OtherUserId, _harness.CodeAt(device, 0));

        // Assert
        Assert.Equal(MfaVerificationStatus.UnknownDevice, result.Status);
    }

    [Fact]
    public async Task VerifyAsync_SecretCannotBeUnprotected_Throws()
    {
        // Arrange
        var (service, device) = await CreateSubjectAsync();
        _harness.Codec.FailUnprotect = true;

        // Act
        var act = () => service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.CodeAt(device, 0));

        // Assert
        await Assert.ThrowsAsync<InvalidOperationException>(act);
    }

    private async Task<(MfaService Service, VirtualMfaDevice Device)> CreateSubjectAsync()
    {
        var service = _harness.CreateService();
        var device = await _harness.CreateEnabledDeviceAsync(service);
        return (service, device);
    }

    private async Task<List<MfaVerification>> FailAsync(MfaService service, VirtualMfaDevice device, int count)
    {
        var results = new List<MfaVerification>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await service.VerifyAsync(device.SerialNumber, MfaTestHarness.UserId, _harness.WrongCode(device)));
        }

        return results;
    }
}
