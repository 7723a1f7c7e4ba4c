using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public class RevocationListTests
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/ops/Admin";

    [Fact]
    public async Task IsRevoked_NothingRevoked_ReturnsFalse()
    {
        // Arrange
        using var deployment = new TestDeployment();
        await deployment.Revocations.RefreshAsync(CancellationToken.None);

        // Act
        var revoked = deployment.Revocations.IsRevoked(CredentialsTestData.CreateRoleSession(deployment.Time));

        // Assert
        Assert.False(revoked);
    }

    [Fact]
    public void IsRevoked_NeverLoaded_ThrowsInsteadOfFailingOpen()
    {
        // Arrange
        using var deployment = new TestDeployment();

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => deployment.Revocations.IsRevoked(CredentialsTestData.CreateRoleSession(deployment.Time)));
    }

    [Fact]
    public async Task RevokeSessionAsync_OneSession_RevokesOnlyThatSession()
    {
        // Arrange
        using var deployment = new TestDeployment();
        var target = CredentialsTestData.CreateRoleSession(deployment.Time);
        var sibling = CredentialsTestData.CreateRoleSession(deployment.Time);

        // Act
        await deployment.Revocations.RevokeSessionAsync(target.SessionId, target.ExpiresAt, CancellationToken.None);

        // Assert
        Assert.True(deployment.Revocations.IsRevoked(target));
        Assert.False(deployment.Revocations.IsRevoked(sibling));
    }

    public static TheoryData<string> PrincipalArns => new()
    {
        "arn:aws:sts::123456789012:assumed-role/Admin/alice", // claims.Arn
        RoleArn, // claims.SourcePrincipalArn
        "ARN:AWS:IAM::123456789012:ROLE/OPS/ADMIN", // case differs: over-revoke, never under
    };

    [Theory]
    [MemberData(nameof(PrincipalArns))]
    public async Task RevokePrincipalAsync_MatchingArn_RevokesSessionsIssuedUntilNow(string principalArn)
    {
        // Arrange
        using var deployment = new TestDeployment();
        var earlier = CredentialsTestData.CreateRoleSession(deployment.Time.GetUtcNow().AddMinutes(-10));
        var sameInstant = CredentialsTestData.CreateRoleSession(deployment.Time);
        var later = CredentialsTestData.CreateRoleSession(deployment.Time.GetUtcNow().AddTicks(1));

        // Act
        await deployment.Revocations.RevokePrincipalAsync(principalArn, CancellationToken.None);

        // Assert
        Assert.True(deployment.Revocations.IsRevoked(earlier));
        Assert.True(deployment.Revocations.IsRevoked(sameInstant));
        Assert.False(deployment.Revocations.IsRevoked(later));
    }

    [Fact]
    public async Task RevokePrincipalAsync_OtherPrincipal_DoesNotRevoke()
    {
        // Arrange
        using var deployment = new TestDeployment();
        var session = CredentialsTestData.CreateRoleSession(deployment.Time);

        // Act
        await deployment.Revocations.RevokePrincipalAsync("arn:aws:iam::123456789012:role/ops/Admin2", CancellationToken.None);

        // Assert
        Assert.False(deployment.Revocations.IsRevoked(session));
    }

    [Fact]
    public async Task RevokeRoleSessionsIssuedBeforeAsync_Boundary_RevokesStrictlyEarlierSessions()
    {
        // Arrange (SECURITY-CASES 93a): S1 at T1 < T2 revoked, S2 at T2 and later keep working.
        using var deployment = new TestDeployment();
        var t2 = deployment.Time.GetUtcNow();
        var s1 = CredentialsTestData.CreateRoleSession(t2.AddTicks(-1));
        var atCutoff = CredentialsTestData.CreateRoleSession(t2);
        var s2 = CredentialsTestData.CreateRoleSession(t2.AddSeconds(1));

        // Act
        await deployment.Revocations.RevokeRoleSessionsIssuedBeforeAsync(RoleArn, t2, CancellationToken.None);

        // Assert
        Assert.True(deployment.Revocations.IsRevoked(s1));
        Assert.False(deployment.Revocations.IsRevoked(atCutoff));
        Assert.False(deployment.Revocations.IsRevoked(s2));
    }

    [Fact]
    public async Task RevokeRoleSessionsIssuedBeforeAsync_OtherRoleOrSessionArn_DoesNotRevoke()
    {
        // Arrange: only the role ARN (SourcePrincipalArn) is a role-revocation target, not the session ARN.
        using var deployment = new TestDeployment();
        var session = CredentialsTestData.CreateRoleSession(deployment.Time.GetUtcNow().AddMinutes(-1));

        // Act
        await deployment.Revocations.RevokeRoleSessionsIssuedBeforeAsync("arn:aws:iam::123456789012:role/Other", deployment.Time.GetUtcNow(), CancellationToken.None);
        await deployment.Revocations.RevokeRoleSessionsIssuedBeforeAsync(session.Arn, deployment.Time.GetUtcNow(), CancellationToken.None);

        // Assert
        Assert.False(deployment.Revocations.IsRevoked(session));
    }

    [Fact]
    public async Task VerifyAsync_RevocationOnAnotherNode_AppliesAfterRefreshInterval()
    {
        // Arrange: node B has a fresh snapshot when node A revokes.
        using var a = await TestDeployment.StartAsync();
        using var b = a.CreateNode();
        await b.Ring.EnsureInitializedAsync(CancellationToken.None);
        var claims = CredentialsTestData.CreateRoleSession(a.Time);
        var token = a.Sealer.Seal(claims);
        Assert.Equal(SessionVerificationStatus.Valid, (await b.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None)).Status);
        await a.Revocations.RevokeSessionAsync(claims.SessionId, claims.ExpiresAt, CancellationToken.None);

        // Act
        a.Time.Advance(TimeSpan.FromMilliseconds(4999));
        var stale = await b.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);
        a.Time.Advance(TimeSpan.FromMilliseconds(1));
        var refreshed = await b.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Valid, stale.Status);
        Assert.Equal(SessionVerificationStatus.Revoked, refreshed.Status);
    }

    [Fact]
    public async Task EnsureFreshAsync_WithinInterval_DoesNotQueryStore()
    {
        // Arrange
        using var deployment = new TestDeployment();
        await deployment.Revocations.EnsureFreshAsync(CancellationToken.None);
        var reads = deployment.RevocationStore.ListCount;

        // Act
        deployment.Time.Advance(TimeSpan.FromSeconds(4));
        await deployment.Revocations.EnsureFreshAsync(CancellationToken.None);
        await deployment.Revocations.EnsureFreshAsync(CancellationToken.None);

        // Assert
        Assert.Equal(reads, deployment.RevocationStore.ListCount);
    }

    [Fact]
    public async Task PurgeExpiredAsync_EntriesPastTheirSessionsLifetime_AreRemoved()
    {
        // Arrange: a session entry lives until the session's expiry, a role entry until cutoff + max lifetime.
        using var deployment = new TestDeployment();
        var session = CredentialsTestData.CreateRoleSession(deployment.Time);
        await deployment.Revocations.RevokeSessionAsync(session.SessionId, session.ExpiresAt, CancellationToken.None);
        await deployment.Revocations.RevokeRoleSessionsIssuedBeforeAsync(RoleArn, deployment.Time.GetUtcNow(), CancellationToken.None);

        // Act
        deployment.Time.SetUtcNow(session.ExpiresAt);
        var afterSession = await deployment.Revocations.PurgeExpiredAsync(CancellationToken.None);
        deployment.Time.Advance(TimeSpan.FromSeconds(129_600));
        var afterMaxLifetime = await deployment.Revocations.PurgeExpiredAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, afterSession);
        Assert.Equal(1, afterMaxLifetime);
        Assert.Empty(await deployment.RevocationStore.ListActiveAsync(deployment.Time.GetUtcNow(), CancellationToken.None));
    }
}
