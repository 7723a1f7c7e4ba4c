using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Policies;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>Engine-issued credentials under attack and change (SECURITY-CASES 91–93, N1–N3).</summary>
public sealed class SessionTokenSecurityTests : IAsyncLifetime
{
    private EngineHarness _h = null!;
    private TestUser _alice = null!;
    private RoleInfo _role = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", PolicyJson.Allow("*", "sts:AssumeRole"));
        _role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_alice.Arn), PolicyJson.Allow("*", "s3:GetObject"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<IssuedCredentials> AssumeAsync(int? duration = null) =>
        Ok(await _h.Engine.AssumeRoleAsync(_alice.Caller, new AssumeRoleRequest { RoleArn = _role.Arn, RoleSessionName = "s1", DurationSeconds = duration }, new RequestInfo())).Credentials;

    [Fact]
    public async Task Verify_OneSecondBeforeExpiration_IsValid()
    {
        // Arrange
        var creds = await AssumeAsync(900);
        _h.Time.Advance(TimeSpan.FromSeconds(899));

        // Act
        var verification = await _h.VerifyAsync(creds);

        // Assert
        Assert.True(verification.IsValid);
    }

    [Fact]
    public async Task Verify_AtExpiration_IsExpiredToken()
    {
        // Arrange (SECURITY-CASES 92a, N1)
        var creds = await AssumeAsync(900);
        _h.Time.SetUtcNow(creds.Expiration);

        // Act
        var verification = await _h.VerifyAsync(creds);

        // Assert
        var error = verification.ToStsError();
        Assert.Equal(SessionVerificationStatus.Expired, verification.Status);
        Assert.Equal(StsErrorCode.ExpiredToken, error?.Code);
        Assert.Equal(403, error?.HttpStatus);
        Assert.Equal("The security token included in the request is expired", error?.Message);
    }

    [Fact]
    public async Task Verify_TamperedToken_IsInvalidClientTokenId()
    {
        // Arrange (SECURITY-CASES 91)
        var creds = await AssumeAsync();
        var i = creds.SessionToken.Length / 2;
        var tampered = creds with { SessionToken = creds.SessionToken[..i] + (creds.SessionToken[i] == 'A' ? 'B' : 'A') + creds.SessionToken[(i + 1)..] };

        // Act
        var verification = await _h.VerifyAsync(tampered);

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, verification.ToStsError()?.Code);
    }

    [Fact]
    public async Task Verify_TokenWithAnotherSessionsKeyId_IsInvalidClientTokenId()
    {
        // Arrange (STS-SPEC §4.3)
        var a = await AssumeAsync();
        var b = await AssumeAsync();

        // Act
        var verification = await _h.VerifyAsync(a with { AccessKeyId = b.AccessKeyId });

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, verification.ToStsError()?.Code);
    }

    [Fact]
    public async Task Verify_RoleSessionsRevokedBeforeT_OldRevokedNewValid()
    {
        // Arrange (SECURITY-CASES 93a, N3)
        var old = await AssumeAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(10));
        await _h.Revocations.RevokeRoleSessionsIssuedBeforeAsync(_role.Arn, _h.Time.GetUtcNow(), CancellationToken.None);
        var fresh = await AssumeAsync();

        // Act
        var oldVerification = await _h.VerifyAsync(old);
        var freshVerification = await _h.VerifyAsync(fresh);

        // Assert
        Assert.Equal(SessionVerificationStatus.Revoked, oldVerification.Status);
        Assert.Equal("The security token included in the request has been revoked", oldVerification.ToStsError()?.Message);
        Assert.Equal(StsErrorCode.AccessDenied, oldVerification.ToStsError()?.Code);
        Assert.True(freshVerification.IsValid);
    }

    [Fact]
    public async Task Verify_ChainedSessionOfRevokedRole_IsRevokedToo()
    {
        // Arrange: revoking the first role's sessions; a chained session of a second role stays (different role).
        var other = await _h.CreateRoleAsync("other", PolicyJson.TrustAws(_role.Arn));
        var first = await AssumeAsync();
        var chained = Ok(await _h.Engine.AssumeRoleAsync(await _h.CallerForAsync(first), new AssumeRoleRequest { RoleArn = other.Arn, RoleSessionName = "s2" }, new RequestInfo())).Credentials;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Revocations.RevokeRoleSessionsIssuedBeforeAsync(_role.Arn, _h.Time.GetUtcNow(), CancellationToken.None);

        // Act
        var firstVerification = await _h.VerifyAsync(first);
        var chainedVerification = await _h.VerifyAsync(chained);

        // Assert
        Assert.Equal(SessionVerificationStatus.Revoked, firstVerification.Status);
        Assert.True(chainedVerification.IsValid);
    }

    [Fact]
    public async Task EvaluateAsync_RolePolicyRemoved_ExistingSessionLosesPermissionImmediately()
    {
        // Arrange (SECURITY-CASES 93b, N2)
        var claims = await _h.ClaimsOfAsync(await AssumeAsync());
        Assert.True((await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::b/k")).Allowed);

        // Act
        Ok(await _h.Directory.DeleteInlinePolicyAsync(_role.Id, "permissions"));
        var decision = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::b/k");

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(AuthorizationReasons.NoIdentityAllow, decision.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_DenyByTokenIssueTime_RevokesOlderSessionsOnly()
    {
        // Arrange (SECURITY-CASES 93a as AWS does it: a Deny with DateLessThan aws:TokenIssueTime)
        var old = await _h.ClaimsOfAsync(await AssumeAsync());
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        var cutoff = _h.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Ok(await _h.Directory.PutInlinePolicyAsync(_role.Id, "revoke", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"{{cutoff}}"} } }]}"""));
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await _h.ClaimsOfAsync(await AssumeAsync());

        // Act
        var oldDecision = await _h.Engine.EvaluateAsync(old, "s3:GetObject", "arn:aws:s3:::b/k");
        var freshDecision = await _h.Engine.EvaluateAsync(fresh, "s3:GetObject", "arn:aws:s3:::b/k");

        // Assert
        Assert.Equal(AuthorizationReasons.ExplicitDeny, oldDecision.Reason);
        Assert.True(freshDecision.Allowed);
    }

    [Fact]
    public async Task EvaluateAsync_ChangeBehindTheDirectorysBack_AppliesWithinTwoSeconds()
    {
        // Arrange: a change made by another node does not raise Changed here; the snapshot lifetime bounds the delay.
        var claims = await _h.ClaimsOfAsync(await AssumeAsync());
        Assert.True((await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::b/k")).Allowed);
        await using (var db = _h.DbFactory.CreateDbContext())
        {
            await db.InlinePolicies.Where(p => p.OwnerId == _role.Id).ExecuteDeleteAsync();
        }

        // Act
        var cached = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::b/k");
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        var refreshed = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::b/k");

        // Assert
        Assert.True(cached.Allowed);
        Assert.False(refreshed.Allowed);
    }

    [Fact]
    public async Task EvaluateAsync_RoleDeletedAndRecreated_OldSessionGetsNothing()
    {
        // Arrange (STS-SPEC §7.2: a re-created role is a different principal)
        var old = await _h.ClaimsOfAsync(await AssumeAsync());
        Ok(await _h.Directory.DeleteInlinePolicyAsync(_role.Id, "permissions"));
        Ok(await _h.Directory.DeleteRoleAsync(Account(AccountA), _role.Name));
        _role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_alice.Arn), PolicyJson.Allow("*", "s3:GetObject"));
        var fresh = await _h.ClaimsOfAsync(await AssumeAsync());

        // Act
        var oldDecision = await _h.Engine.EvaluateAsync(old, "s3:GetObject", "arn:aws:s3:::b/k");
        var freshDecision = await _h.Engine.EvaluateAsync(fresh, "s3:GetObject", "arn:aws:s3:::b/k");

        // Assert
        Assert.Equal(old.SourcePrincipalArn, fresh.SourcePrincipalArn);
        Assert.False(oldDecision.Allowed);
        Assert.True(freshDecision.Allowed);
    }

    [Fact]
    public async Task Verify_AtExpiration_IsExpiredAndNotValid()
    {
        // Arrange (SECURITY-CASES 92: no route extends an expired session)
        var creds = await AssumeAsync(900);
        _h.Time.Advance(TimeSpan.FromSeconds(900));

        // Act
        var verification = await _h.VerifyAsync(creds);

        // Assert
        Assert.False(verification.IsValid);
        Assert.Equal(SessionVerificationStatus.Expired, verification.Status);
        Assert.Equal(StsErrorCode.ExpiredToken, verification.ToStsError()!.Code);
    }
}
