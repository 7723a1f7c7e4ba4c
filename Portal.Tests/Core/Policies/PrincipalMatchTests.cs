using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class PrincipalMatchTests
{
    private const string Account = "123456789012";
    private const string RoleArn = "arn:aws:iam::123456789012:role/Admin";
    private const string SessionArn = "arn:aws:sts::123456789012:assumed-role/Admin/alice";
    private const string UserArn = "arn:aws:iam::123456789012:user/Bob";
    private const string SamlArn = "arn:aws:iam::123456789012:saml-provider/Corp";

    private static PolicyPrincipal RoleSession() => PolicyPrincipal.Aws(Account, SessionArn, RoleArn, "AROAEXAMPLEID");

    private static PolicyPrincipal User() => PolicyPrincipal.Aws(Account, UserArn, "AIDAEXAMPLEID");

    private static PolicyDecision Evaluate(string principal, PolicyPrincipal? caller, PolicyKind kind = PolicyKind.Trust)
    {
        var text = $$"""{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", {{principal}} } }""";
        var parsed = PolicyDocument.Parse(text, kind);
        Assert.True(parsed.Succeeded, parsed.ErrorSummary);
        var context = new RequestContext("sts:AssumeRole", "arn:aws:iam::123456789012:role/Target") { Principal = caller };
        return PolicyEvaluator.Evaluate([new NamedPolicy("trust", parsed.Document)], context);
    }

    public static TheoryData<string, string, PrincipalMatch> Cases => new()
    {
        { "\"Principal\": \"*\"", "session", PrincipalMatch.Wildcard },
        { "\"Principal\": \"*\"", "anonymous", PrincipalMatch.Wildcard },
        { "\"Principal\": {\"AWS\": \"*\"}", "saml", PrincipalMatch.Wildcard },
        { "\"Principal\": {\"AWS\": \"*\"}", "anonymous", PrincipalMatch.Wildcard },
        { "\"Principal\": {\"AWS\": \"123456789012\"}", "session", PrincipalMatch.Account },
        { "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}", "user", PrincipalMatch.Account },
        { "\"Principal\": {\"AWS\": \"444455556666\"}", "user", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"123456789012\"}", "saml", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"123456789012\"}", "anonymous", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:user/Bob\"}", "user", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:user/bob\"}", "user", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"AIDAEXAMPLEID\"}", "user", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:role/Admin\"}", "session", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"arn:aws:sts::123456789012:assumed-role/Admin/alice\"}", "session", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"arn:aws:sts::123456789012:assumed-role/Admin/bob\"}", "session", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"AROAEXAMPLEID\"}", "session", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": [\"arn:aws:iam::444455556666:root\", \"arn:aws:iam::123456789012:user/Bob\"]}", "user", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"123456789012\", \"Service\": \"ec2.amazonaws.com\"}", "service", PrincipalMatch.Direct },
        { "\"Principal\": {\"AWS\": \"123456789012\", \"Service\": \"ec2.amazonaws.com\"}", "user", PrincipalMatch.Account },
        { "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:saml-provider/Corp\"}", "saml", PrincipalMatch.Direct },
        { "\"Principal\": {\"Federated\": \"arn:aws:iam::123456789012:saml-provider/Other\"}", "saml", PrincipalMatch.None },
        { "\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:saml-provider/Corp\"}", "saml", PrincipalMatch.None },
        { "\"Principal\": {\"Federated\": \"accounts.google.com\"}", "google", PrincipalMatch.Direct },
        { "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}", "service", PrincipalMatch.Direct },
        { "\"Principal\": {\"Service\": \"EC2.amazonaws.com\"}", "service", PrincipalMatch.None },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_PrincipalForms_MatchPerSpec(string principal, string callerName, PrincipalMatch expected)
    {
        // Arrange
        var caller = callerName switch
        {
            "session" => RoleSession(),
            "user" => User(),
            "saml" => PolicyPrincipal.Federated(SamlArn),
            "google" => PolicyPrincipal.Federated("accounts.google.com"),
            "service" => PolicyPrincipal.Service("ec2.amazonaws.com"),
            _ => null,
        };

        // Act
        var decision = Evaluate(principal, caller);

        // Assert
        Assert.Equal(expected, decision.PrincipalMatch);
        Assert.Equal(expected == PrincipalMatch.None ? PolicyEffect.ImplicitDeny : PolicyEffect.Allow, decision.Effect);
    }

    [Fact]
    public void Evaluate_DirectMatch_ReportsTheMatchedValue()
    {
        // Arrange, Act
        var decision = Evaluate("\"Principal\": {\"AWS\": [\"123456789012\", \"arn:aws:iam::123456789012:role/Admin\"]}", RoleSession());

        // Assert: the direct name is preferred over the account name in the same statement.
        Assert.Equal(PrincipalMatch.Direct, decision.PrincipalMatch);
        Assert.Equal(RoleArn, decision.MatchedPrincipal);
    }

    [Theory]
    [InlineData("user", PolicyEffect.ImplicitDeny, PrincipalMatch.None)]
    [InlineData("session", PolicyEffect.Allow, PrincipalMatch.Wildcard)]
    public void Evaluate_NotPrincipal_AppliesToEveryoneElse(string callerName, PolicyEffect effect, PrincipalMatch match)
    {
        // Arrange
        var caller = callerName == "user" ? User() : RoleSession();

        // Act
        var decision = Evaluate("\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::123456789012:user/Bob\"}, \"Resource\": \"*\"", caller, PolicyKind.Resource);

        // Assert
        Assert.Equal(effect, decision.Effect);
        Assert.Equal(match, decision.PrincipalMatch);
    }
}
