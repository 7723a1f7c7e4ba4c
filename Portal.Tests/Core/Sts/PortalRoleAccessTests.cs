using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>The portal's "which roles admit me" evaluation (StsEngine.Portal.cs; STS-SPEC §1.1, §1.3, §7.7, §7.9).</summary>
public sealed class PortalRoleAccessTests : IAsyncLifetime
{
    private const string Action = "sts:AssumeRoleWithWebIdentity";
    private const string Provider = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
    private const string OtherProvider = "arn:aws:iam::111122223333:oidc-provider/other.example.com";
    private const string Mfa = """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""";
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Baseline: alice at idp.example.com, without MFA, in group "dev", source identity = session name.</summary>
    private static StsEngine.FederatedSubject Alice(bool mfa = false) => new(
        Provider,
        "alice-sub",
        "alice@example.com",
        [],
        [],
        "alice@example.com",
        mfa,
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["idp.example.com:sub"] = ["alice-sub"],
            ["idp.example.com:aud"] = ["portal"],
            ["portal:groups"] = ["dev"],
        },
        null,
        null);

    private Task<IReadOnlyList<RoleAccess>> FederatedAsync(StsEngine.FederatedSubject subject) =>
        _h.Engine.FederatedRoleAccessAsync(Action, subject, new RequestInfo());

    [Fact]
    public async Task FederatedRoleAccess_TrustedProviderWithSourceIdentity_ListsRoleWithoutBlockers()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("dev", PolicyJson.TrustFederated(Provider, Action, null, "sts:SetSourceIdentity"));

        // Act
        var access = await FederatedAsync(Alice());

        // Assert
        var only = Assert.Single(access);
        Assert.Equal(role.Arn, only.Role.Arn);
        Assert.False(only.RequiresMfa);
        Assert.False(only.NeedsSetSourceIdentity);
    }

    [Theory]
    [InlineData(OtherProvider, null, Action)]
    [InlineData(Provider, """{"StringEquals":{"portal:groups":"ops"}}""", Action)]
    [InlineData(Provider, """{"StringEquals":{"idp.example.com:aud":"someone-else"}}""", Action)]
    [InlineData(Provider, null, "sts:AssumeRoleWithSAML")]
    public async Task FederatedRoleAccess_TrustPolicyDoesNotAdmit_RoleNotListed(string provider, string? condition, string action)
    {
        // Arrange
        await _h.CreateRoleAsync("dev", PolicyJson.TrustFederated(provider, action, condition, "sts:SetSourceIdentity"));

        // Act
        var access = await FederatedAsync(Alice());

        // Assert
        Assert.Empty(access);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FederatedRoleAccess_RoleRequiresMfa_ListedWithMfaBadge(bool personHasMfa)
    {
        // Arrange
        await _h.CreateRoleAsync("admin", PolicyJson.TrustFederated(Provider, Action, Mfa, "sts:SetSourceIdentity"));

        // Act
        var access = await FederatedAsync(Alice(personHasMfa));

        // Assert
        Assert.True(Assert.Single(access).RequiresMfa);
    }

    [Fact]
    public async Task FederatedRoleAccess_TrustLacksSetSourceIdentity_ReportsNeedsSetSourceIdentity()
    {
        // Arrange
        await _h.CreateRoleAsync("dev", PolicyJson.TrustFederated(Provider, Action));

        // Act
        var access = await FederatedAsync(Alice());

        // Assert
        Assert.True(Assert.Single(access).NeedsSetSourceIdentity);
    }

    [Fact]
    public async Task FederatedRoleAccess_TrustLacksSetSourceIdentity_IssuanceIsDeniedToo()
    {
        // Arrange: the list and issuance agree (one engine).
        var role = await _h.CreateRoleAsync("dev", PolicyJson.TrustFederated(Provider, Action));

        // Act
        var issued = await _h.Engine.AssumeFederatedAsync(Action, Alice(), role.Arn, 3600, null, [], new RequestInfo(), new StsError(StsErrorCode.AccessDenied, "no"));

        // Assert
        Assert.Contains("sts:SetSourceIdentity", Fails(issued, StsErrorCode.AccessDenied).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserRoleAccess_TrustAndIdentityPolicyAllow_ListsRole()
    {
        // Arrange
        var alice = await _h.CreateUserAsync("alice", PolicyJson.Allow("*", "sts:AssumeRole"));
        var role = await _h.CreateRoleAsync("dev", PolicyJson.TrustAws("arn:aws:iam::" + AccountA + ":root"));

        // Act
        var access = await _h.Engine.UserRoleAccessAsync(alice.Caller, "alice", new RequestInfo());

        // Assert
        var only = Assert.Single(access);
        Assert.Equal(role.Arn, only.Role.Arn);
        Assert.False(only.RequiresMfa);
    }

    [Fact]
    public async Task UserRoleAccess_IdentityPolicyMissing_RoleNotListed()
    {
        // Arrange: the account-root trust delegates to the user's own policies, which allow nothing (STS-SPEC §7.6).
        var alice = await _h.CreateUserAsync("alice");
        await _h.CreateRoleAsync("dev", PolicyJson.TrustAws("arn:aws:iam::" + AccountA + ":root"));

        // Act
        var access = await _h.Engine.UserRoleAccessAsync(alice.Caller, "alice", new RequestInfo());

        // Assert
        Assert.Empty(access);
    }

    [Fact]
    public async Task UserRoleAccess_RoleRequiresMfa_ListedAsRequiringMfa()
    {
        // Arrange
        var alice = await _h.CreateUserAsync("alice", PolicyJson.Allow("*", "sts:AssumeRole"));
        await _h.CreateRoleAsync("admin", PolicyJson.TrustAwsWhen(alice.Arn, Mfa));

        // Act
        var access = await _h.Engine.UserRoleAccessAsync(alice.Caller, "alice", new RequestInfo());

        // Assert
        Assert.True(Assert.Single(access).RequiresMfa);
    }

    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("Alice Smith", "Alice-Smith")]
    [InlineData("é", "--")]
    [InlineData("x", "x-")]
    public void PortalSessionName_Identity_SanitisedToSessionNamePattern(string identity, string expected)
    {
        // Arrange, Act
        var name = StsEngine.PortalSessionName(identity);

        // Assert
        Assert.Equal(expected, name);
    }

    [Fact]
    public void PortalSessionName_LongIdentity_CutTo64()
    {
        // Arrange, Act
        var name = StsEngine.PortalSessionName(new string('a', 100));

        // Assert
        Assert.Equal(64, name.Length);
    }
}
