using System.Text.Json;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Federation.Console;
using Portal.Core.Sts;
using Portal.Tests.Core.Credentials;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Core.Federation.Console;

public sealed class ConsoleSigninServiceTests : IAsyncLifetime, IDisposable
{
    private readonly TestDeployment _deployment;
    private readonly InMemoryReplayStore _replay = new();
    private readonly ListLogger<ConsoleSigninService> _logger = new();
    private readonly ConsoleSigninService _service;

    public ConsoleSigninServiceTests()
    {
        _deployment = new TestDeployment();
        _service = new ConsoleSigninService(_deployment.Verifier, _replay, _deployment.MasterKey, _deployment.Time, _logger);
    }

    public Task InitializeAsync() => _deployment.Ring.EnsureInitializedAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _deployment.Dispose();

    // ---- audit ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task GetSigninTokenAndLogin_Succeeding_AreAuditedAsAllow()
    {
        // Arrange
        var audit = new RecordingAuditSink();
        var service = new ConsoleSigninService(_deployment.Verifier, _replay, _deployment.MasterKey, _deployment.Time, _logger, audit);
        var (claims, token) = Issue();

        // Act
        var signin = await service.GetSigninTokenAsync(Request(claims, token));
        var session = await service.RedeemAsync(signin.Value);

        // Assert
        Assert.True(session.Succeeded);
        Assert.Collection(
            audit.Records,
            r => Assert.Equal(("federation:getSigninToken", AuditDecision.Allow, claims.Arn, claims.AccessKeyId), (r.Action, r.Decision, r.Principal, r.CallerAccessKeyId)),
            r => Assert.Equal(("federation:login", AuditDecision.Allow, claims.Arn), (r.Action, r.Decision, r.Principal)));
    }

    [Fact]
    public async Task Login_SecondUse_IsAuditedAsDeny()
    {
        // Arrange
        var audit = new RecordingAuditSink();
        var service = new ConsoleSigninService(_deployment.Verifier, _replay, _deployment.MasterKey, _deployment.Time, _logger, audit);
        var (claims, token) = Issue();
        var signin = await service.GetSigninTokenAsync(Request(claims, token));
        await service.RedeemAsync(signin.Value);

        // Act
        var second = await service.RedeemAsync(signin.Value);

        // Assert
        Assert.False(second.Succeeded);
        var last = audit.Records[^1];
        Assert.Equal(("federation:login", AuditDecision.Deny, "AccessDenied"), (last.Action, last.Decision, last.ErrorCode));
    }

    [Fact]
    public async Task GetSigninToken_AuditCommitFails_ReturnsNoToken()
    {
        // Arrange: no sign-in token leaves without its audit record.
        var service = new ConsoleSigninService(_deployment.Verifier, _replay, _deployment.MasterKey, _deployment.Time, _logger, new ThrowingAuditSink());
        var (claims, token) = Issue();

        // Act
        var outcome = await service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.False(outcome.Succeeded);
        Assert.Equal(StsErrorCode.InternalFailure, outcome.Error.Code);
    }

    // ---- getSigninToken ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task GetSigninTokenAsync_RoleSessionFromLongTermKeys_ReturnsOpaqueToken()
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration: "43200"));

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.DoesNotContain(claims.AccessKeyId, outcome.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(claims.Arn, outcome.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..32], outcome.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSigninTokenAsync_SameCredentialsTwice_ReturnsDistinctTokens()
    {
        // Arrange: each token carries its own random id for one-time use.
        var (claims, token) = Issue();

        // Act
        var first = await _service.GetSigninTokenAsync(Request(claims, token));
        var second = await _service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public async Task GetSigninTokenAsync_NoSession_IsMissingParameter()
    {
        // Act
        var outcome = await _service.GetSigninTokenAsync(new SigninTokenRequest(null));

        // Assert
        Assert.Equal(StsErrorCode.MissingParameter, outcome.Error!.Code);
        Assert.Equal(400, outcome.Error.HttpStatus);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("{\"sessionId\":\"ASIA\",\"sessionKey\":\"k\"}")]
    [InlineData("{\"sessionId\":\"ASIA\",\"sessionKey\":\"k\",\"sessionToken\":\"\"}")]
    [InlineData("{\"sessionId\":1,\"sessionKey\":\"k\",\"sessionToken\":\"t\"}")]
    [InlineData("{\"sessionId\":\"ASIA\",\"sessionKey\":null,\"sessionToken\":\"t\"}")]
    [InlineData("{\"sessionId\":\"ASIA\",\"sessionKey\":\"k\",\"sessionToken\":\"t\",\"sessionId\":\"ASIB\"}")]
    [InlineData("{\"sessionId\":\"ASIA\",\"sessionKey\":\"k\",\"sessionToken\":\"t\"")]
    public async Task GetSigninTokenAsync_MalformedSessionJson_IsInvalidParameterValue(string session)
    {
        // Act
        var outcome = await _service.GetSigninTokenAsync(new SigninTokenRequest(session));

        // Assert
        Assert.Equal(StsErrorCode.InvalidParameterValue, outcome.Error!.Code);
        Assert.Equal(400, outcome.Error.HttpStatus);
    }

    [Fact]
    public async Task GetSigninTokenAsync_OversizedSession_IsValidationError()
    {
        // Act
        var outcome = await _service.GetSigninTokenAsync(new SigninTokenRequest(new string(' ', ConsoleSigninService.MaxSessionJsonLength + 1)));

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
    }

    [Theory]
    [InlineData("899")]
    [InlineData("43201")]
    [InlineData("0")]
    [InlineData("-900")]
    [InlineData("+900")]
    [InlineData(" 900")]
    [InlineData("9e2")]
    [InlineData("900.0")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public async Task GetSigninTokenAsync_SessionDurationOutOfRangeOrNotInteger_IsValidationError(string duration)
    {
        // Arrange (SECURITY-CASES 97a)
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration: duration));

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
        Assert.Equal(400, outcome.Error.HttpStatus);
    }

    [Theory]
    [InlineData("900")]
    [InlineData("43200")]
    public async Task GetSigninTokenAsync_SessionDurationAtBounds_Succeeds(string duration)
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration: duration));

        // Assert
        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task GetSigninTokenAsync_SessionTypeOtherThanJson_IsValidationError()
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token) with { SessionType = "xml" });

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetSigninTokenAsync_WrongSecret_IsInvalidClientTokenId()
    {
        // Arrange: the session token alone (e.g. from a log) must not be exchangeable.
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims with { SecretAccessKey = SecretKeys.New() }, token));

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, outcome.Error!.Code);
        Assert.Equal(403, outcome.Error.HttpStatus);
    }

    [Fact]
    public async Task GetSigninTokenAsync_WrongSecretOnExpiredSession_IsInvalidNotExpired()
    {
        // Arrange: without the secret a caller learns nothing about the session's state.
        var (claims, token) = Issue();
        _deployment.Time.SetUtcNow(claims.ExpiresAt);

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims with { SecretAccessKey = SecretKeys.New() }, token));

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetSigninTokenAsync_TokenOfAnotherAccessKeyId_IsInvalidClientTokenId()
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims with { AccessKeyId = AccessKeyIds.NewTemporary(CredentialsTestData.Account) }, token));

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetSigninTokenAsync_GarbageSessionToken_IsInvalidClientTokenId()
    {
        // Arrange
        var (claims, _) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, "IQoJb3JpZ2luX2VjEJr"));

        // Assert
        Assert.Equal(StsErrorCode.InvalidClientTokenId, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetSigninTokenAsync_ExpiredCredentials_IsExpiredToken()
    {
        // Arrange
        var (claims, token) = Issue();
        _deployment.Time.SetUtcNow(claims.ExpiresAt);

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.Equal(StsErrorCode.ExpiredToken, outcome.Error!.Code);
        Assert.Equal(403, outcome.Error.HttpStatus);
    }

    [Fact]
    public async Task GetSigninTokenAsync_RevokedCredentials_IsAccessDenied()
    {
        // Arrange
        var (claims, token) = Issue();
        await _deployment.Revocations.RevokeSessionAsync(claims.SessionId, claims.ExpiresAt, CancellationToken.None);

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task GetSigninTokenAsync_GetSessionTokenCredentials_IsAccessDenied()
    {
        // Arrange (STS-SPEC §1.0.2: cannot be exchanged for a console sign-in token)
        var (claims, token) = Issue(c => c with { Kind = SessionKind.SessionToken, Arn = "arn:aws:iam::123456789012:user/alice" });

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
        Assert.Contains("GetSessionToken", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSigninTokenAsync_FederationTokenWithoutDuration_Succeeds()
    {
        // Arrange
        var (claims, token) = Issue(c => c with { Kind = SessionKind.FederatedUser });

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token));

        // Assert
        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task GetSigninTokenAsync_FederationTokenWithSessionDuration_IsValidationError()
    {
        // Arrange (STS-SPEC §6.1: must not be sent with GetFederationToken credentials)
        var (claims, token) = Issue(c => c with { Kind = SessionKind.FederatedUser });

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration: "3600"));

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
    }

    [Theory]
    [InlineData("899", false)]
    [InlineData("900", true)]
    [InlineData("129600", true)]
    [InlineData("129601", false)]
    public async Task GetSigninTokenAsync_FederationTokenDurationSeconds_AcceptsOnlyDocumentedRange(string duration, bool accepted)
    {
        // Arrange (STS-SPEC §6.1: DurationSeconds 900–129600 for GetFederationToken credentials)
        var (claims, token) = Issue(c => c with { Kind = SessionKind.FederatedUser });

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token) with { DurationSeconds = duration });

        // Assert
        Assert.Equal(accepted, outcome.Succeeded);
    }

    [Fact]
    public async Task GetSigninTokenAsync_RoleSessionWithDurationSeconds_IsValidationError()
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token) with { DurationSeconds = "3600" });

        // Assert
        Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("900", true)]
    [InlineData("3600", true)]
    [InlineData("3601", false)]
    [InlineData("43200", false)]
    public async Task GetSigninTokenAsync_RoleChainedSession_RefusesSessionDurationOverOneHour(string? duration, bool accepted)
    {
        // Arrange (STS-SPEC §6.1, SECURITY-CASES 97b and N.13: over 1 h only for roles assumed with long-term keys)
        var (claims, token) = Issue(c => c with { IsRoleChain = true });

        // Act
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration: duration));

        // Assert
        Assert.Equal(accepted, outcome.Succeeded);
        if (!accepted)
        {
            Assert.Equal(StsErrorCode.ValidationError, outcome.Error!.Code);
        }
    }

    // ---- login (redeem) ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task RedeemAsync_FreshToken_ReturnsSessionUntilCredentialExpiry()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(claims.Arn, outcome.Value.Claims.Arn);
        Assert.Equal(claims.SessionId, outcome.Value.Claims.SessionId);
        Assert.Equal(token, outcome.Value.SessionToken);
        Assert.Equal(claims.ExpiresAt, outcome.Value.ExpiresAt);
    }

    [Fact]
    public async Task RedeemAsync_SessionDurationShorterThanCredentials_EndsAfterSessionDurationFromLogin()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token, sessionDuration: "900");
        _deployment.Time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(_deployment.Time.GetUtcNow().AddSeconds(900), outcome.Value!.ExpiresAt);
    }

    [Fact]
    public async Task RedeemAsync_SessionDurationLongerThanCredentials_NeverOutlivesCredentials()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token, sessionDuration: "43200");

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(claims.ExpiresAt, outcome.Value!.ExpiresAt);
    }

    [Fact]
    public async Task RedeemAsync_ExactlyFifteenMinutesOld_Succeeds()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        _deployment.Time.Advance(ConsoleSigninService.SigninTokenLifetime);

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task RedeemAsync_FifteenMinutesAndOneSecondOld_IsExpiredToken()
    {
        // Arrange (SECURITY-CASES 97c)
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        _deployment.Time.Advance(ConsoleSigninService.SigninTokenLifetime + TimeSpan.FromSeconds(1));

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.ExpiredToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task RedeemAsync_SecondUse_IsAccessDenied()
    {
        // Arrange (SECURITY-CASES 97d)
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        Assert.True((await _service.RedeemAsync(signin)).Succeeded);

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
        Assert.Contains("already been used", outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedeemAsync_SecondUseOnAnotherNode_IsAccessDenied()
    {
        // Arrange: a second node shares the master key, key ring store and replay store.
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        using var node = _deployment.CreateNode();
        await node.Ring.EnsureInitializedAsync(CancellationToken.None);
        var otherNode = new ConsoleSigninService(node.Verifier, _replay, node.MasterKey, node.Time, new ListLogger<ConsoleSigninService>());
        Assert.True((await _service.RedeemAsync(signin)).Succeeded);

        // Act
        var outcome = await otherNode.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task RedeemAsync_ConcurrentUses_ExactlyOneSucceeds()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _service.RedeemAsync(signin))));

        // Assert
        Assert.Single(outcomes, o => o.Succeeded);
    }

    [Fact]
    public async Task RedeemAsync_OneCharacterChanged_IsAccessDenied()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        var middle = signin.Length / 2;
        var tampered = signin[..middle] + (signin[middle] == 'A' ? 'B' : 'A') + signin[(middle + 1)..];

        // Act
        var outcome = await _service.RedeemAsync(tampered);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
        Assert.Empty(_replay.Entries);
    }

    [Fact]
    public async Task RedeemAsync_TokenOfAnotherDeployment_IsAccessDenied()
    {
        // Arrange: same format, different master key.
        using var other = new TestDeployment(time: _deployment.Time);
        await other.Ring.EnsureInitializedAsync(CancellationToken.None);
        var foreign = new ConsoleSigninService(other.Verifier, new InMemoryReplayStore(), other.MasterKey, other.Time, new ListLogger<ConsoleSigninService>());
        var claims = CredentialsTestData.CreateRoleSession(_deployment.Time) with { IsRoleChain = false };
        var signin = (await foreign.GetSigninTokenAsync(Request(claims, other.Sealer.Seal(claims)))).Value!;

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("not base64url!")]
    [InlineData("AAAA")]
    public async Task RedeemAsync_NotASigninToken_IsAccessDenied(string signin)
    {
        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task RedeemAsync_NoToken_IsMissingParameter()
    {
        // Act
        var outcome = await _service.RedeemAsync(null);

        // Assert
        Assert.Equal(StsErrorCode.MissingParameter, outcome.Error!.Code);
    }

    [Fact]
    public async Task RedeemAsync_CredentialsRevokedAfterIssue_IsAccessDenied()
    {
        // Arrange
        var (claims, token) = Issue();
        var signin = await SigninTokenAsync(claims, token);
        await _deployment.Revocations.RevokePrincipalAsync(claims.SourcePrincipalArn, CancellationToken.None);

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task RedeemAsync_CredentialsExpiredAfterIssue_IsExpiredToken()
    {
        // Arrange: the token is fresh, the credentials behind it are not.
        var (claims, token) = Issue();
        _deployment.Time.SetUtcNow(claims.ExpiresAt.AddMinutes(-1));
        var signin = await SigninTokenAsync(claims, token);
        _deployment.Time.Advance(TimeSpan.FromMinutes(2));

        // Act
        var outcome = await _service.RedeemAsync(signin);

        // Assert
        Assert.Equal(StsErrorCode.ExpiredToken, outcome.Error!.Code);
    }

    // ---- console session ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task ValidateSessionAsync_LiveSession_ReturnsClaims()
    {
        // Arrange
        var session = await LoginAsync();

        // Act
        var outcome = await _service.ValidateSessionAsync(session.Claims.AccessKeyId, session.SessionToken, session.ExpiresAt);

        // Assert
        Assert.Equal(session.Claims.Arn, outcome.Value!.Arn);
    }

    [Fact]
    public async Task ValidateSessionAsync_AfterConsoleExpiry_IsExpiredToken()
    {
        // Arrange
        var session = await LoginAsync("900");
        _deployment.Time.SetUtcNow(session.ExpiresAt);

        // Act
        var outcome = await _service.ValidateSessionAsync(session.Claims.AccessKeyId, session.SessionToken, session.ExpiresAt);

        // Assert
        Assert.Equal(StsErrorCode.ExpiredToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateSessionAsync_CredentialsRevoked_IsAccessDenied()
    {
        // Arrange
        var session = await LoginAsync();
        await _deployment.Revocations.RevokeSessionAsync(session.Claims.SessionId, session.Claims.ExpiresAt, CancellationToken.None);

        // Act
        var outcome = await _service.ValidateSessionAsync(session.Claims.AccessKeyId, session.SessionToken, session.ExpiresAt);

        // Assert
        Assert.Equal(StsErrorCode.AccessDenied, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateSessionAsync_CredentialsExpiredBeforeConsoleExpiry_IsExpiredToken()
    {
        // Arrange: a console expiry claim later than the credentials (e.g. a forged or stale value) does not extend them.
        var session = await LoginAsync();
        _deployment.Time.SetUtcNow(session.Claims.ExpiresAt);

        // Act
        var outcome = await _service.ValidateSessionAsync(session.Claims.AccessKeyId, session.SessionToken, session.ExpiresAt.AddHours(12));

        // Assert
        Assert.Equal(StsErrorCode.ExpiredToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task Logs_IssueRedeemAndRejections_NeverContainSecretsOrTokens()
    {
        // Arrange
        var (claims, token) = Issue();

        // Act
        var signin = await SigninTokenAsync(claims, token);
        await _service.RedeemAsync(signin);
        await _service.RedeemAsync(signin);
        await _service.GetSigninTokenAsync(Request(claims with { SecretAccessKey = "wrong" }, token));

        // Assert
        Assert.NotEmpty(_logger.Messages);
        foreach (var message in _logger.Messages)
        {
            Assert.DoesNotContain(claims.SecretAccessKey, message, StringComparison.Ordinal);
            Assert.DoesNotContain(token, message, StringComparison.Ordinal);
            Assert.DoesNotContain(signin, message, StringComparison.Ordinal);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    /// <summary>The valid baseline: a role session assumed with long-term keys, issued now for one hour.</summary>
    private (SessionClaims Claims, string Token) Issue(Func<SessionClaims, SessionClaims>? change = null)
    {
        var claims = CredentialsTestData.CreateRoleSession(_deployment.Time) with { IsRoleChain = false };
        claims = change?.Invoke(claims) ?? claims;
        return (claims, _deployment.Sealer.Seal(claims));
    }

    private static SigninTokenRequest Request(SessionClaims claims, string token, string? sessionDuration = null) =>
        new(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sessionId"] = claims.AccessKeyId,
            ["sessionKey"] = claims.SecretAccessKey,
            ["sessionToken"] = token,
        }), sessionDuration);

    private async Task<string> SigninTokenAsync(SessionClaims claims, string token, string? sessionDuration = null)
    {
        var outcome = await _service.GetSigninTokenAsync(Request(claims, token, sessionDuration));
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        return outcome.Value;
    }

    private async Task<ConsoleSession> LoginAsync(string? sessionDuration = null)
    {
        var (claims, token) = Issue();
        var outcome = await _service.RedeemAsync(await SigninTokenAsync(claims, token, sessionDuration));
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        return outcome.Value;
    }
}
