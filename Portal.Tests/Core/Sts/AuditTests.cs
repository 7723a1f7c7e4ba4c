using Portal.Core.Audit;
using Portal.Core.Federation;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>Every issuance and denial is audited; credentials leave only after their event committed (ARCHITECTURE key decision 3; SECURITY-CASES 96).</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private EngineHarness _h = null!;
    private TestUser _alice = null!;
    private Portal.Core.Iam.RoleInfo _role = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", PolicyJson.Allow("*", "sts:*"));
        _role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:SetSourceIdentity"));
        _h.Audit.Clear();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private AssumeRoleRequest Request() => new() { RoleArn = _role.Arn, RoleSessionName = "s1" };

    [Fact]
    public async Task AssumeRole_Issuance_RecordsAllowWithIssuedSession()
    {
        // Arrange
        var info = new RequestInfo { RequestId = "req-1", SourceIp = "192.0.2.10", UserAgent = "aws-cli/2" };

        // Act
        var result = Ok(await _h.Engine.AssumeRoleAsync(_alice.Caller, Request() with { SourceIdentity = "alice" }, info));

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal("sts:AssumeRole", record.Action);
        Assert.Equal(result.Credentials.AccessKeyId, record.IssuedAccessKeyId);
        Assert.Equal(_alice.Arn, record.Principal);
        Assert.Equal(_alice.Caller.AccessKeyId, record.CallerAccessKeyId);
        Assert.Equal(_role.Arn, record.Resource);
        Assert.Equal("req-1", record.RequestId);
        Assert.Equal("192.0.2.10", record.SourceIp);
        Assert.Equal("alice", record.SourceIdentity);
        Assert.Equal(Start, record.Timestamp);
        var session = Assert.IsType<IssuedSessionRecord>(record.IssuedSession);
        Assert.Equal(claims.SessionId, session.SessionId);
        Assert.Equal(result.Credentials.AccessKeyId, session.AccessKeyId);
        Assert.Equal(result.AssumedRoleUser.Arn, session.Arn);
        Assert.Equal(_role.Arn, session.SourcePrincipalArn);
        Assert.Equal(AccountA, session.AccountId);
        Assert.Equal(result.Credentials.Expiration, session.ExpiresAt);
        Assert.Equal(Start, session.IssuedAt);
        Assert.Equal("req-1", session.RequestId);
        Assert.Equal("req-1", claims.RequestId);
    }

    [Fact]
    public async Task GetSessionToken_Issuance_RecordsAllowWithIssuedSession()
    {
        // Arrange
        var request = new GetSessionTokenRequest();

        // Act
        var creds = Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, request, new RequestInfo()));

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal("sts:GetSessionToken", record.Action);
        Assert.Equal(creds.AccessKeyId, record.IssuedAccessKeyId);
        Assert.Equal(creds.AccessKeyId, record.IssuedSession?.AccessKeyId);
    }

    [Fact]
    public async Task GetFederationToken_Issuance_RecordsAllowWithIssuedSession()
    {
        // Arrange
        var request = new GetFederationTokenRequest { Name = "bob", Policy = PolicyJson.AllowAll };

        // Act
        var result = Ok(await _h.Engine.GetFederationTokenAsync(_alice.Caller, request, new RequestInfo()));

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal(result.Credentials.AccessKeyId, record.IssuedSession?.AccessKeyId);
        Assert.Equal(result.FederatedUser.Arn, record.IssuedSession?.Arn);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_Issuance_RecordsTheFederatedSubject()
    {
        // Arrange
        var provider = $"arn:aws:iam::{AccountA}:oidc-provider/oidc.example.com";
        var role = await _h.CreateRoleAsync("web", PolicyJson.TrustFederated(provider, "sts:AssumeRoleWithWebIdentity"));
        _h.WebIdentity.Result = new ValidatedWebIdentityToken { ProviderArn = provider, ProviderName = "oidc.example.com", Subject = "app", Audience = "sts" };

        // Act
        var result = Ok(await _h.Engine.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = role.Arn, RoleSessionName = "pod", WebIdentityToken = "token" }, new RequestInfo()));

        // Assert
        var record = _h.Audit.Last;
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal(provider + "/app", record.Principal);
        Assert.Equal(provider + "/app", record.IssuedSession?.IssuedTo);
        Assert.Equal(result.Credentials.AccessKeyId, record.IssuedAccessKeyId);
    }

    [Fact]
    public async Task AssumeRole_TrustDenial_RecordsDenyWithReason()
    {
        // Arrange
        var bob = await _h.CreateUserAsync("bob", PolicyJson.Allow("*", "sts:AssumeRole"));
        _h.Audit.Clear();

        // Act
        var outcome = await _h.Engine.AssumeRoleAsync(bob.Caller, Request(), new RequestInfo());

        // Assert
        var error = Fails(outcome, StsErrorCode.AccessDenied);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("TrustPolicyDenied", record.Reason);
        Assert.Equal("AccessDenied", record.ErrorCode);
        Assert.Equal(error.Message, record.Message);
        Assert.Equal(bob.Arn, record.Principal);
        Assert.Null(record.IssuedAccessKeyId);
        Assert.Null(record.IssuedSession);
    }

    [Fact]
    public async Task AssumeRole_ValidationFailure_RecordsDeny()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 1 };

        // Act
        Fails(await _h.Engine.AssumeRoleAsync(_alice.Caller, request, new RequestInfo()), StsErrorCode.ValidationError);

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("ValidationError", record.Reason);
        Assert.Equal("ValidationError", record.ErrorCode);
    }

    [Fact]
    public async Task GetSessionToken_SessionCaller_RecordsDeny()
    {
        // Arrange
        var session = await _h.CallerForAsync(Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest(), new RequestInfo())));
        _h.Audit.Clear();

        // Act
        Fails(await _h.Engine.GetSessionTokenAsync(session, new GetSessionTokenRequest(), new RequestInfo()), StsErrorCode.AccessDenied);

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("SessionCaller", record.Reason);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_ValidatorError_RecordsDeny()
    {
        // Arrange
        _h.Saml.Result = StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.InvalidIdentityToken, "Response signature invalid");
        var request = new AssumeRoleWithSamlRequest { RoleArn = _role.Arn, PrincipalArn = $"arn:aws:iam::{AccountA}:saml-provider/Corp", SamlAssertion = "PHNhbWw+" };

        // Act
        Fails(await _h.Engine.AssumeRoleWithSamlAsync(request, new RequestInfo()), StsErrorCode.InvalidIdentityToken);

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("SamlInvalidIdentityToken", record.Reason);
        Assert.Equal(request.PrincipalArn, record.Principal);
    }

    [Fact]
    public async Task AssumeRole_AuditCommitFails_ReturnsInternalFailureAndNoCredentials()
    {
        // Arrange
        var sink = new ThrowingAuditSink();
        _h.UseAuditSink(sink);

        // Act
        var outcome = await _h.Engine.AssumeRoleAsync(_alice.Caller, Request(), new RequestInfo());

        // Assert
        var error = Fails(outcome, StsErrorCode.InternalFailure);
        Assert.Equal(500, error.HttpStatus);
        Assert.Equal("The request could not be completed. Try again later.", error.Message);
        Assert.Null(outcome.Value);
        Assert.Equal(1, sink.Attempts);
    }

    [Fact]
    public async Task GetSessionToken_AuditCommitFails_ReturnsInternalFailure()
    {
        // Arrange
        _h.UseAuditSink(new ThrowingAuditSink());

        // Act
        var outcome = await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest(), new RequestInfo());

        // Assert
        Fails(outcome, StsErrorCode.InternalFailure);
    }

    [Fact]
    public async Task GetFederationToken_AuditCommitFails_ReturnsInternalFailure()
    {
        // Arrange
        _h.UseAuditSink(new ThrowingAuditSink());

        // Act
        var outcome = await _h.Engine.GetFederationTokenAsync(_alice.Caller, new GetFederationTokenRequest { Name = "bob" }, new RequestInfo());

        // Assert
        Fails(outcome, StsErrorCode.InternalFailure);
    }

    [Fact]
    public async Task AssumeRole_DenialWhileAuditFails_StaysADenial()
    {
        // Arrange: a failing audit store must never turn a denial into anything else.
        var bob = await _h.CreateUserAsync("bob");
        _h.UseAuditSink(new ThrowingAuditSink());

        // Act
        var outcome = await _h.Engine.AssumeRoleAsync(bob.Caller, Request(), new RequestInfo());

        // Assert
        Fails(outcome, StsErrorCode.AccessDenied);
    }

    [Fact]
    public async Task AuditRecords_NeverContainSecretsOrTokens()
    {
        // Arrange (SECURITY-CASES 96)
        var issued = new List<IssuedCredentials>
        {
            Ok(await _h.Engine.AssumeRoleAsync(_alice.Caller, Request() with { Policy = PolicyJson.AllowAll }, new RequestInfo())).Credentials,
            Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest(), new RequestInfo())),
        };

        // Act
        await _h.Engine.GetSessionTokenAsync(await _h.CallerForAsync(issued[1]), new GetSessionTokenRequest(), new RequestInfo());

        // Assert
        var text = string.Join("\n", _h.Audit.Records.Select(r => r.ToString()));
        foreach (var c in issued)
        {
            Assert.DoesNotContain(c.SecretAccessKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(c.SessionToken, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_alice.Key.SecretAccessKey, text, StringComparison.Ordinal);
    }
}
