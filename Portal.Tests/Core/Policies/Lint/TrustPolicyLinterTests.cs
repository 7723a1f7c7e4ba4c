using Portal.Core.Policies;
using Portal.Core.Policies.Lint;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Policies.Lint;

public class TrustPolicyLinterTests
{
    private const string Oidc = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

    public static TheoryData<string> Acceptable => new()
    {
        Statement("""{"AWS":"arn:aws:iam::111122223333:user/alice"}""", "sts:AssumeRole"),
        Statement("\"*\"", "sts:AssumeRole", """{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"""),
        Statement("""{"AWS":"*"}""", "sts:AssumeRole", """{"StringEquals":{"sts:ExternalId":"ext-1"}}"""),
        Deny("\"*\"", "sts:AssumeRole"),
        ValidWebIdentity(),
        Statement("""{"Federated":"arn:aws:iam::111122223333:saml-provider/corp"}""", "sts:AssumeRoleWithSAML"),
        Statement("""{"Federated":"accounts.google.com"}""", "sts:AssumeRoleWithWebIdentity", """{"StringEquals":{"accounts.google.com:aud":"client-1","accounts.google.com:sub":"1234"}}"""),
        Statement("""{"Federated":"cognito-identity.amazonaws.com"}""", "sts:AssumeRoleWithWebIdentity",
            """{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}"""),
        Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"ForAnyValue:StringEquals\":{\"portal:groups\":\"developers\"}")),
    };

    public static TheoryData<string, TrustPolicyRule> TooBroad => new()
    {
        { Statement("\"*\"", "sts:AssumeRole"), TrustPolicyRule.WildcardPrincipalWithoutCondition },
        { Statement("""{"AWS":"*"}""", "sts:AssumeRole"), TrustPolicyRule.WildcardPrincipalWithoutCondition },
        { Statement("""{"AWS":["arn:aws:iam::111122223333:root","*"]}""", "sts:*"), TrustPolicyRule.WildcardPrincipalWithoutCondition },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Sub)), TrustPolicyRule.WebIdentityWithoutAudience },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud)), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"*\"}")), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"StringNotEquals\":{\"token.actions.githubusercontent.com:sub\":\"x\"}")), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"StringLikeIfExists\":{\"token.actions.githubusercontent.com:sub\":\"repo:corp/*\"}")), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement(Federated, "sts:*", Conditions(Sub)), TrustPolicyRule.WebIdentityWithoutAudience },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"ForAnyValue:StringLike\":{\"portal:groups\":\"*\"}")), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement(Federated, "sts:AssumeRoleWithWebIdentity", Conditions(Aud, "\"ForAnyValue:StringNotEquals\":{\"portal:groups\":\"x\"}")), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement("""{"Federated":"accounts.google.com"}""", "sts:AssumeRoleWithWebIdentity", """{"StringEquals":{"accounts.google.com:aud":"client-1"}}"""), TrustPolicyRule.WebIdentityWithoutSubject },
        { Statement("""{"Federated":"cognito-identity.amazonaws.com"}""", "sts:AssumeRoleWithWebIdentity", """{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"}}"""), TrustPolicyRule.WebIdentityWithoutSubject },
    };

    private static string Federated => $$"""{"Federated":"{{Oidc}}"}""";

    private static string Aud => "\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"}";

    private static string Sub => "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:corp/app:*\"}";

    [Theory]
    [MemberData(nameof(Acceptable))]
    public void Lint_AcceptablePolicy_HasNoFindings(string policy) =>
        Assert.Empty(TrustPolicyLinter.Lint(Parse(policy)));

    [Theory]
    [MemberData(nameof(TooBroad))]
    public void Lint_TooBroadPolicy_ReportsTheRule(string policy, TrustPolicyRule rule)
    {
        // Act
        var findings = TrustPolicyLinter.Lint(Parse(policy));

        // Assert
        var finding = Assert.Single(findings);
        Assert.Equal((0, rule), (finding.StatementIndex, finding.Rule));
    }

    [Fact]
    public void Lint_WebIdentityWithNoConditions_ReportsAudienceAndSubject()
    {
        // Act
        var findings = TrustPolicyLinter.Lint(Parse(Statement(Federated, "sts:AssumeRoleWithWebIdentity")));

        // Assert
        Assert.Equal([TrustPolicyRule.WebIdentityWithoutAudience, TrustPolicyRule.WebIdentityWithoutSubject], findings.Select(f => f.Rule));
    }

    [Fact]
    public void Check_WildcardPrincipal_IsMalformedPolicyDocumentNamingTheProblem()
    {
        // Act
        var error = TrustPolicyLinter.Check(Statement("\"*\"", "sts:AssumeRole"));

        // Assert
        Assert.Equal(StsErrorCode.MalformedPolicyDocument, error?.Code);
        Assert.Contains("trusts every principal (\"*\") without a condition", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    public void Check_Unparseable_LeavesItToTheValidator(string policy) =>
        Assert.Null(TrustPolicyLinter.Check(policy));

    [Fact]
    public void Check_ValidWebIdentity_IsNull() =>
        Assert.Null(TrustPolicyLinter.Check(ValidWebIdentity()));

    private static string ValidWebIdentity() => Statement(
        Federated,
        "sts:AssumeRoleWithWebIdentity",
        """{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:corp/app:ref:refs/heads/main"}}""");

    private static string Statement(string principal, string action, string? condition = null) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":"{{action}}"{{(condition is null ? string.Empty : ",\"Condition\":" + condition)}}}]}""";

    private static string Conditions(params string[] operators) => "{" + string.Join(",", operators) + "}";

    private static string Deny(string principal, string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{{principal}},"Action":"{{action}}"}]}""";

    private static PolicyDocument Parse(string policy) =>
        PolicyDocument.Parse(policy, PolicyKind.Trust).Document ?? throw new InvalidOperationException("Test policy does not parse: " + policy);
}
