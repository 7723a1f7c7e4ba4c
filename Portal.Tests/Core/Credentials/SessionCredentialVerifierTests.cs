using Portal.Core.Credentials;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Credentials;

public class SessionCredentialVerifierTests
{
    [Fact]
    public async Task VerifyAsync_ValidToken_ReturnsClaims()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var (claims, token) = Issue(deployment);

        // Act
        var result = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.True(result.IsValid);
        Assert.Equal(claims.SessionId, result.Claims.SessionId);
        Assert.Null(result.ToStsError());
    }

    [Fact]
    public async Task VerifyAsync_TokenOfAnotherAccessKeyId_IsInvalidClientTokenId()
    {
        // Arrange: a valid token presented with a different ASIA key (STS-SPEC §4.3).
        using var deployment = await TestDeployment.StartAsync();
        var (_, token) = Issue(deployment);
        var otherKeyId = AccessKeyIds.NewTemporary(CredentialsTestData.Account);

        // Act
        var result = await deployment.Verifier.VerifyAsync(otherKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Invalid, result.Status);
        Assert.Null(result.Claims);
        Assert.Equal(StsErrorCode.InvalidClientTokenId, result.ToStsError()!.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==")]
    public async Task VerifyAsync_MalformedToken_IsInvalidClientTokenId(string token)
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();

        // Act
        var result = await deployment.Verifier.VerifyAsync("ASIARZPUZDIKAAAAAAAA", token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Invalid, result.Status);
        Assert.Equal(StsErrorCode.InvalidClientTokenId, result.ToStsError()!.Code);
    }

    [Fact]
    public async Task VerifyAsync_OneSecondBeforeExpiry_IsValid()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var (claims, token) = Issue(deployment);
        deployment.Time.SetUtcNow(claims.ExpiresAt.AddSeconds(-1));

        // Act
        var result = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Valid, result.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(86_400)]
    public async Task VerifyAsync_AtOrAfterExpiry_IsExpiredToken(int secondsAfterExpiry)
    {
        // Arrange (SECURITY-CASES 92a)
        using var deployment = await TestDeployment.StartAsync();
        var (claims, token) = Issue(deployment);
        deployment.Time.SetUtcNow(claims.ExpiresAt.AddSeconds(secondsAfterExpiry));

        // Act
        var result = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Expired, result.Status);
        Assert.False(result.IsValid);
        Assert.Equal(claims.SessionId, result.Claims!.SessionId);
        Assert.Equal(StsErrorCode.ExpiredToken, result.ToStsError()!.Code);
    }

    [Fact]
    public async Task VerifyAsync_RevokedSession_IsAccessDenied()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var (claims, token) = Issue(deployment);
        await deployment.Revocations.RevokeSessionAsync(claims.SessionId, claims.ExpiresAt, CancellationToken.None);

        // Act
        var result = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Revoked, result.Status);
        Assert.False(result.IsValid);
        Assert.Equal(claims.SessionId, result.Claims!.SessionId);
        Assert.Equal(StsErrorCode.AccessDenied, result.ToStsError()!.Code);
    }

    [Fact]
    public async Task VerifyAsync_TokenUnderRetiredKey_IsValidUntilItsOwnExpiry()
    {
        // Arrange (SECURITY-CASES 94a)
        using var deployment = await TestDeployment.StartAsync();
        var (claims, token) = Issue(deployment);
        await deployment.Ring.RotateAsync(CancellationToken.None);
        deployment.Time.SetUtcNow(claims.ExpiresAt.AddSeconds(-1));

        // Act
        var beforeExpiry = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);
        deployment.Time.SetUtcNow(claims.ExpiresAt);
        var atExpiry = await deployment.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Valid, beforeExpiry.Status);
        Assert.Equal(SessionVerificationStatus.Expired, atExpiry.Status);
    }

    private static (SessionClaims Claims, string Token) Issue(TestDeployment deployment)
    {
        var claims = CredentialsTestData.CreateRoleSession(deployment.Time);
        return (claims, deployment.Sealer.Seal(claims));
    }
}
