using Portal.Core.Mfa;

namespace Portal.Tests.Core.Mfa;

public class MfaVerificationTests
{
    [Theory]
    [InlineData(MfaVerificationStatus.InvalidCode, MfaMessages.InvalidCode)]
    [InlineData(MfaVerificationStatus.Replayed, MfaMessages.InvalidCode)]
    [InlineData(MfaVerificationStatus.LockedOut, MfaMessages.InvalidCode)]
    [InlineData(MfaVerificationStatus.UnknownDevice, MfaMessages.UnknownDevice)]
    [InlineData(MfaVerificationStatus.NotEnabled, MfaMessages.UnknownDevice)]
    public void FailureMessage_EachFailureStatus_MapsToTheObservedAwsMessage(MfaVerificationStatus status, string expected)
    {
        // Arrange
        var verification = new MfaVerification(status);

        // Act
        var message = verification.FailureMessage;

        // Assert
        Assert.Equal(expected, message);
        Assert.False(verification.Succeeded);
    }

    [Fact]
    public void Messages_MatchStsSpecWording()
    {
        // Arrange / Act / Assert: STS-SPEC §1.1 step 3 (observed AWS strings).
        Assert.Equal("MultiFactorAuthentication failed with invalid MFA one time pass code.", MfaMessages.InvalidCode);
        Assert.Equal(
            "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.",
            MfaMessages.UnknownDevice);
    }
}
