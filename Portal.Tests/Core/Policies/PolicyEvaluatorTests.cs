using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class PolicyEvaluatorTests
{
    private const string Account = "123456789012";
    private const string TargetRole = "arn:aws:iam::123456789012:role/Target";
    private const string CallerRole = "arn:aws:iam::123456789012:role/Caller";
    private const string CallerSession = "arn:aws:sts::123456789012:assumed-role/Caller/s1";
    private const string UserArn = "arn:aws:iam::123456789012:user/Bob";
    private const string FederatedArn = "arn:aws:sts::123456789012:federated-user/fed";

    private static NamedPolicy Policy(string source, PolicyKind kind, string statements)
    {
        var parsed = PolicyDocument.Parse($$"""{"Version": "2012-10-17", "Statement": [{{statements}}]}""", kind);
        Assert.True(parsed.Succeeded, parsed.ErrorSummary);
        return new NamedPolicy(source, parsed.Document);
    }

    private static NamedPolicy Identity(string source, string effect, string action, string resource = "*", string sid = "S") =>
        Policy(source, PolicyKind.Identity, $$"""{"Sid": "{{sid}}", "Effect": "{{effect}}", "Action": "{{action}}", "Resource": "{{resource}}"}""");

    private static NamedPolicy Session(string action) =>
        Policy("session policy", PolicyKind.Session, $$"""{"Effect": "Allow", "Action": "{{action}}", "Resource": "*"}""");

    private static NamedPolicy Trust(string principalJson, string action = "sts:AssumeRole") =>
        Policy("trust policy of " + TargetRole, PolicyKind.Trust, $$"""{"Sid": "Trust", "Effect": "Allow", "Principal": {{principalJson}}, "Action": "{{action}}"}""");

    private static RequestContext Context(string action = "s3:GetObject", string resource = "arn:aws:s3:::bucket/key", PolicyPrincipal? principal = null) =>
        new(action, resource) { Principal = principal };

    private static RequestContext AssumeRoleContext(PolicyPrincipal caller) => Context("sts:AssumeRole", TargetRole, caller);

    private static PolicyPrincipal UserCaller() => PolicyPrincipal.Aws(Account, UserArn, "AIDAEXAMPLE");

    private static PolicyPrincipal SessionCaller() => PolicyPrincipal.Aws(Account, CallerSession, CallerRole, "AROAEXAMPLE");

    // ---- Evaluate ----

    [Fact]
    public void Evaluate_DenyInAnyPolicy_BeatsAllow()
    {
        // Arrange
        var allow = Identity("allow-policy", "Allow", "s3:*");
        var deny = Policy("deny-policy", PolicyKind.Identity, """
            {"Sid": "Other", "Effect": "Deny", "Action": "ec2:*", "Resource": "*"},
            {"Sid": "NoGet", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
            """);

        // Act
        var decision = PolicyEvaluator.Evaluate([allow, deny], Context());

        // Assert
        Assert.Equal(PolicyEffect.ExplicitDeny, decision.Effect);
        Assert.Equal(new DecidingStatement("deny-policy", 1, "NoGet"), decision.DecidingStatement);
    }

    [Fact]
    public void Evaluate_Allow_ReportsFirstMatchingAllow()
    {
        // Arrange
        var policy = Policy("p", PolicyKind.Identity, """
            {"Sid": "Ec2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket/*"},
            {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}
            """);

        // Act
        var decision = PolicyEvaluator.Evaluate([policy], Context());

        // Assert
        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(new DecidingStatement("p", 1, "Read"), decision.DecidingStatement);
        Assert.Equal(PrincipalMatch.None, decision.PrincipalMatch);
    }

    [Fact]
    public void Evaluate_NothingMatches_IsImplicitDenyWithoutStatement()
    {
        // Arrange
        var policy = Identity("p", "Allow", "ec2:*");

        // Act
        var decision = PolicyEvaluator.Evaluate([policy], Context());

        // Assert
        Assert.Equal(PolicyEffect.ImplicitDeny, decision.Effect);
        Assert.Null(decision.DecidingStatement);
    }

    [Fact]
    public void Evaluate_NoPolicies_IsImplicitDeny() =>
        Assert.Equal(PolicyEffect.ImplicitDeny, PolicyEvaluator.Evaluate([], Context()).Effect);

    public static TheoryData<string, string, string, PolicyEffect> MatchingCases => new()
    {
        { """{"Effect": "Allow", "Action": "S3:getobject", "Resource": "*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.Allow },
        { """{"Effect": "Allow", "Action": ["ec2:*", "s3:Get*"], "Resource": "*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.Allow },
        { """{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.Allow },
        { """{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}""", "iam:CreateUser", "arn:aws:iam::123456789012:user/x", PolicyEffect.ImplicitDeny },
        { """{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}, {"Effect": "Allow", "Action": "*", "Resource": "*"}""", "iam:CreateUser", "x", PolicyEffect.ExplicitDeny },
        { """{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}, {"Effect": "Allow", "Action": "*", "Resource": "*"}""", "s3:GetObject", "x", PolicyEffect.Allow },
        { """{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.Allow },
        { """{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::B/*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.ImplicitDeny },
        { """{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}""", "s3:GetObject", "arn:aws:s3:::b/k", PolicyEffect.Allow },
        { """{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}""", "s3:GetObject", "arn:aws:s3:::secret/k", PolicyEffect.ImplicitDeny },
        { """{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}""", "s3:GetObject", "x", PolicyEffect.ImplicitDeny },
    };

    [Theory]
    [MemberData(nameof(MatchingCases))]
    public void Evaluate_ActionResourceAndNotForms_FollowSpec(string statements, string action, string resource, PolicyEffect expected)
    {
        // Arrange
        var policy = Policy("p", PolicyKind.Identity, statements);

        // Act
        var decision = PolicyEvaluator.Evaluate([policy], Context(action, resource));

        // Assert
        Assert.Equal(expected, decision.Effect);
    }

    [Fact]
    public void Evaluate_TrustStatementWithoutResource_MatchesAnyResource()
    {
        // Arrange
        var trust = Trust("""{"AWS": "arn:aws:iam::123456789012:user/Bob"}""");

        // Act
        var decision = PolicyEvaluator.Evaluate([trust], Context("sts:AssumeRole", "arn:aws:iam::123456789012:role/Anything", UserCaller()));

        // Assert
        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal(PrincipalMatch.Direct, decision.PrincipalMatch);
        Assert.Equal(new DecidingStatement("trust policy of " + TargetRole, 0, "Trust"), decision.DecidingStatement);
    }

    [Fact]
    public void Evaluate_SameContextDifferentAction_CanBeReused()
    {
        // Arrange
        var trust = Trust("""{"AWS": "arn:aws:iam::123456789012:user/Bob"}""");
        var context = AssumeRoleContext(UserCaller());

        // Act
        var assume = PolicyEvaluator.Evaluate([trust], context).Effect;
        context.Action = "sts:TagSession";
        var tag = PolicyEvaluator.Evaluate([trust], context).Effect;

        // Assert
        Assert.Equal(PolicyEffect.Allow, assume);
        Assert.Equal(PolicyEffect.ImplicitDeny, tag);
    }

    // ---- Authorize ----

    [Fact]
    public void Authorize_IdentityAllow_IsAllowedWithDecidingStatement()
    {
        // Arrange
        var request = new AuthorizationRequest(Context()) { IdentityPolicies = [Identity("role/R inline policy Read", "Allow", "s3:GetObject", sid: "Read")] };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.True(decision.Allowed);
        Assert.Equal(AuthorizationReasons.IdentityPolicyAllow, decision.Reason);
        Assert.Equal(new DecidingStatement("role/R inline policy Read", 0, "Read"), decision.DecidingStatement);
    }

    [Fact]
    public void Authorize_NoAllowAnywhere_IsImplicitDeny()
    {
        // Arrange
        var request = new AuthorizationRequest(Context()) { IdentityPolicies = [Identity("p", "Allow", "ec2:*")] };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(PolicyEffect.ImplicitDeny, decision.Effect);
        Assert.Equal(AuthorizationReasons.NoIdentityAllow, decision.Reason);
        Assert.Null(decision.DecidingStatement);
    }

    [Fact]
    public void Authorize_DenyInSessionPolicy_IsExplicitDeny()
    {
        // Arrange
        var deny = Policy("session policy", PolicyKind.Session, """{"Sid": "No", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}""");
        var request = new AuthorizationRequest(Context())
        {
            IdentityPolicies = [Identity("p", "Allow", "*")],
            SessionPolicies = [deny],
            IsSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(PolicyEffect.ExplicitDeny, decision.Effect);
        Assert.Equal(AuthorizationReasons.ExplicitDeny, decision.Reason);
        Assert.Equal(new DecidingStatement("session policy", 0, "No"), decision.DecidingStatement);
    }

    [Fact]
    public void Authorize_SessionPolicyGrantingMore_CannotAddPermissions()
    {
        // Arrange: SECURITY-CASES case 95 — role allows s3:GetObject, session policy allows iam:*.
        var request = new AuthorizationRequest(Context("iam:CreateUser", "arn:aws:iam::123456789012:user/new", SessionCaller()))
        {
            IdentityPolicies = [Identity("role/Caller policy", "Allow", "s3:GetObject")],
            SessionPolicies = [Session("iam:*")],
            IsSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(AuthorizationReasons.NoIdentityAllow, decision.Reason);
    }

    [Theory]
    [InlineData("iam:*", false, AuthorizationReasons.SessionPolicyDenied)]
    [InlineData("s3:Get*", true, AuthorizationReasons.IdentityPolicyAllow)]
    public void Authorize_SessionPolicies_IntersectWithIdentity(string sessionAction, bool allowed, string reason)
    {
        // Arrange
        var request = new AuthorizationRequest(Context(principal: SessionCaller()))
        {
            IdentityPolicies = [Identity("role/Caller policy", "Allow", "s3:GetObject")],
            SessionPolicies = [Session("ec2:*"), Session(sessionAction)],
            IsSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((allowed, reason), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_FederatedSessionWithoutSessionPolicy_IsDenied()
    {
        // Arrange
        var request = new AuthorizationRequest(Context(principal: PolicyPrincipal.Aws(Account, FederatedArn, UserArn)))
        {
            IdentityPolicies = [Identity("user/Bob policy", "Allow", "*")],
            IsSession = true,
            IsFederatedUserSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(AuthorizationReasons.FederatedSessionWithoutPolicy, decision.Reason);
    }

    [Fact]
    public void Authorize_FederatedSessionWithSessionPolicy_IsAllowed()
    {
        // Arrange
        var request = new AuthorizationRequest(Context(principal: PolicyPrincipal.Aws(Account, FederatedArn, UserArn)))
        {
            IdentityPolicies = [Identity("user/Bob policy", "Allow", "*")],
            SessionPolicies = [Session("s3:*")],
            IsSession = true,
            IsFederatedUserSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.True(decision.Allowed);
    }

    [Theory]
    [InlineData(FederatedArn, true, AuthorizationReasons.ResourcePolicyAllow)]
    [InlineData(UserArn, false, AuthorizationReasons.FederatedSessionWithoutPolicy)]
    public void Authorize_FederatedSessionNamedByResourcePolicy_OnlyTheSessionArnBypassesTheSessionRule(string named, bool allowed, string reason)
    {
        // Arrange
        var resourcePolicy = Policy("bucket policy", PolicyKind.Resource,
            $$"""{"Effect": "Allow", "Principal": {"AWS": "{{named}}"}, "Action": "s3:GetObject", "Resource": "*"}""");
        var request = new AuthorizationRequest(Context(principal: PolicyPrincipal.Aws(Account, FederatedArn, UserArn)))
        {
            ResourcePolicy = resourcePolicy,
            IsSession = true,
            IsFederatedUserSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((allowed, reason), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_TrustNamingCallerDirectly_NeedsNoIdentityPolicy()
    {
        // Arrange
        var request = new AuthorizationRequest(AssumeRoleContext(UserCaller()))
        {
            ResourcePolicy = Trust("""{"AWS": "arn:aws:iam::123456789012:user/Bob"}"""),
            ResourcePolicyIsTrustPolicy = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.True(decision.Allowed);
        Assert.Equal(AuthorizationReasons.ResourcePolicyAllow, decision.Reason);
        Assert.Equal("trust policy of " + TargetRole, decision.DecidingStatement!.PolicySource);
    }

    [Theory]
    [InlineData("""{"AWS": "123456789012"}""")]
    [InlineData("""{"AWS": "arn:aws:iam::123456789012:root"}""")]
    [InlineData("\"*\"")]
    public void Authorize_TrustAtAccountLevelOrWildcard_RequiresIdentityAllow(string principal)
    {
        // Arrange
        var without = new AuthorizationRequest(AssumeRoleContext(UserCaller())) { ResourcePolicy = Trust(principal), ResourcePolicyIsTrustPolicy = true };
        var with = new AuthorizationRequest(AssumeRoleContext(UserCaller()))
        {
            ResourcePolicy = Trust(principal),
            ResourcePolicyIsTrustPolicy = true,
            IdentityPolicies = [Identity("user/Bob policy", "Allow", "sts:AssumeRole", TargetRole)],
        };

        // Act
        var denied = PolicyEvaluator.Authorize(without);
        var allowed = PolicyEvaluator.Authorize(with);

        // Assert
        Assert.Equal((false, AuthorizationReasons.NoIdentityAllow), (denied.Allowed, denied.Reason));
        Assert.Equal((true, AuthorizationReasons.IdentityPolicyAllow), (allowed.Allowed, allowed.Reason));
        Assert.Equal("user/Bob policy", allowed.DecidingStatement!.PolicySource);
    }

    [Fact]
    public void Authorize_TrustNotAllowing_DeniesEvenWhenIdentityAllows()
    {
        // Arrange: trust policies are never "identity OR resource" (§7.6).
        var request = new AuthorizationRequest(AssumeRoleContext(UserCaller()))
        {
            ResourcePolicy = Trust("""{"AWS": "arn:aws:iam::123456789012:user/Alice"}"""),
            ResourcePolicyIsTrustPolicy = true,
            IdentityPolicies = [Identity("user/Bob policy", "Allow", "*")],
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(AuthorizationReasons.TrustPolicyDenied, decision.Reason);
    }

    [Fact]
    public void Authorize_TrustWithAccountStatementFirst_PrefersLaterDirectStatement()
    {
        // Arrange
        var trust = Policy("trust", PolicyKind.Trust, """
            {"Sid": "Acct", "Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"},
            {"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/Bob"}, "Action": "sts:AssumeRole"}
            """);
        var request = new AuthorizationRequest(AssumeRoleContext(UserCaller())) { ResourcePolicy = trust, ResourcePolicyIsTrustPolicy = true };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.True(decision.Allowed);
        Assert.Equal(new DecidingStatement("trust", 1, "Bob"), decision.DecidingStatement);
    }

    [Theory]
    [InlineData(false, false, AuthorizationReasons.CrossAccountIdentityDenied)]
    [InlineData(true, true, AuthorizationReasons.IdentityPolicyAllow)]
    public void Authorize_CrossAccount_RequiresBothSides(bool identityAllows, bool allowed, string reason)
    {
        // Arrange: the trust policy names the caller directly, yet cross-account the caller's account must allow too.
        var caller = PolicyPrincipal.Aws("444455556666", "arn:aws:iam::444455556666:user/Eve");
        var request = new AuthorizationRequest(AssumeRoleContext(caller))
        {
            ResourcePolicy = Trust("""{"AWS": "arn:aws:iam::444455556666:user/Eve"}"""),
            ResourcePolicyIsTrustPolicy = true,
            IdentityPolicies = identityAllows ? [Identity("user/Eve policy", "Allow", "sts:AssumeRole")] : [],
            IsCrossAccount = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((allowed, reason), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_CrossAccountWithoutResourcePolicy_IsDenied()
    {
        // Arrange
        var request = new AuthorizationRequest(Context())
        {
            IdentityPolicies = [Identity("p", "Allow", "*")],
            IsCrossAccount = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((false, AuthorizationReasons.CrossAccountResourceDenied), (decision.Allowed, decision.Reason));
    }

    [Theory]
    [InlineData(CallerRole, false, AuthorizationReasons.SessionPolicyDenied)]
    [InlineData("AROAEXAMPLE", false, AuthorizationReasons.SessionPolicyDenied)]
    [InlineData(CallerSession, true, AuthorizationReasons.ResourcePolicyAllow)]
    public void Authorize_RoleSessionNamedByTrust_OnlySessionArnBypassesSessionPolicy(string named, bool allowed, string reason)
    {
        // Arrange: role chaining with a session policy that does not allow sts:AssumeRole.
        var request = new AuthorizationRequest(AssumeRoleContext(SessionCaller()))
        {
            ResourcePolicy = Trust($$"""{"AWS": "{{named}}"}"""),
            ResourcePolicyIsTrustPolicy = true,
            SessionPolicies = [Session("s3:*")],
            IsSession = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((allowed, reason), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_BoundaryNotAllowing_IsDenied()
    {
        // Arrange
        var request = new AuthorizationRequest(Context())
        {
            IdentityPolicies = [Identity("p", "Allow", "*")],
            PermissionsBoundary = Identity("boundary", "Allow", "ec2:*"),
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((false, AuthorizationReasons.BoundaryDenied), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_BoundaryAllowing_IsAllowed()
    {
        // Arrange
        var request = new AuthorizationRequest(Context())
        {
            IdentityPolicies = [Identity("p", "Allow", "*")],
            PermissionsBoundary = Identity("boundary", "Allow", "s3:*"),
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Authorize_Root_IsAllowedWithoutPolicies()
    {
        // Arrange
        var root = PolicyPrincipal.Aws(Account, "arn:aws:iam::123456789012:root");
        var request = new AuthorizationRequest(Context(principal: root)) { IsRoot = true };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((true, AuthorizationReasons.RootAllow), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_RootWithExplicitDenyInResourcePolicy_IsDenied()
    {
        // Arrange
        var root = PolicyPrincipal.Aws(Account, "arn:aws:iam::123456789012:root");
        var bucketPolicy = Policy("bucket policy", PolicyKind.Resource, """{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}""");
        var request = new AuthorizationRequest(Context(principal: root)) { IsRoot = true, ResourcePolicy = bucketPolicy };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((false, PolicyEffect.ExplicitDeny), (decision.Allowed, decision.Effect));
    }

    [Fact]
    public void Authorize_RootAssumingRoleTrustingItsAccount_IsAllowed()
    {
        // Arrange
        var root = PolicyPrincipal.Aws(Account, "arn:aws:iam::123456789012:root");
        var request = new AuthorizationRequest(AssumeRoleContext(root))
        {
            IsRoot = true,
            ResourcePolicy = Trust("""{"AWS": "123456789012"}"""),
            ResourcePolicyIsTrustPolicy = true,
        };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((true, AuthorizationReasons.RootAllow), (decision.Allowed, decision.Reason));
    }

    [Theory]
    [InlineData("Corp", true, AuthorizationReasons.ResourcePolicyAllow)]
    [InlineData("Other", false, AuthorizationReasons.TrustPolicyDenied)]
    public void Authorize_SamlCallerNamedByTrust_IsAllowedWithoutIdentityPolicies(string provider, bool allowed, string reason)
    {
        // Arrange
        var caller = PolicyPrincipal.Federated("arn:aws:iam::123456789012:saml-provider/Corp");
        var trust = Trust($$"""{"Federated": "arn:aws:iam::123456789012:saml-provider/{{provider}}"}""", "sts:AssumeRoleWithSAML");
        var request = new AuthorizationRequest(Context("sts:AssumeRoleWithSAML", TargetRole, caller)) { ResourcePolicy = trust, ResourcePolicyIsTrustPolicy = true };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((allowed, reason), (decision.Allowed, decision.Reason));
    }

    [Fact]
    public void Authorize_ExplicitDenyInTrustPolicy_BeatsDirectAllow()
    {
        // Arrange
        var trust = Policy("trust", PolicyKind.Trust, """
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/Bob"}, "Action": "sts:AssumeRole"},
            {"Sid": "NoExternal", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Null": {"sts:ExternalId": "true"}}}
            """);
        var request = new AuthorizationRequest(AssumeRoleContext(UserCaller())) { ResourcePolicy = trust, ResourcePolicyIsTrustPolicy = true };

        // Act
        var decision = PolicyEvaluator.Authorize(request);

        // Assert
        Assert.Equal((false, PolicyEffect.ExplicitDeny), (decision.Allowed, decision.Effect));
        Assert.Equal(new DecidingStatement("trust", 1, "NoExternal"), decision.DecidingStatement);
    }
}
