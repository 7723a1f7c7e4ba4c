using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class PolicyVariableTests
{
    private static PolicyDocument CreateDocument(string resource, string version = "\"Version\": \"2012-10-17\",", string condition = "")
    {
        var text = $$"""{ {{version}} "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "{{resource}}" {{condition}} } }""";
        var parsed = PolicyDocument.Parse(text, PolicyKind.Identity);
        Assert.True(parsed.Succeeded, parsed.ErrorSummary);
        return parsed.Document;
    }

    private static bool Allows(PolicyDocument document, string resource, params (string Key, string Value)[] keys)
    {
        var context = new RequestContext("s3:GetObject", resource);
        foreach (var (key, value) in keys)
        {
            context.Set(key, value);
        }

        return PolicyEvaluator.Evaluate([new NamedPolicy("p", document)], context).Effect == PolicyEffect.Allow;
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket/alice/file", true)]
    [InlineData("arn:aws:s3:::bucket/bob/file", false)]
    public void Resource_WithVariable_IsResolvedFromContext(string resource, bool expected)
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:username}/*");

        // Act
        var allowed = Allows(document, resource, ("aws:username", "alice"));

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Fact]
    public void Resource_VariableKeyCase_IsIgnored()
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${AWS:UserName}/*");

        // Act
        var allowed = Allows(document, "arn:aws:s3:::bucket/alice/x", ("aws:username", "alice"));

        // Assert
        Assert.True(allowed);
    }

    [Fact]
    public void Resource_UnresolvableVariable_MatchesNothing()
    {
        // Arrange: §7.5 — the entry matches nothing, not even a resource that would match "*".
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:username}*");

        // Act
        var allowed = Allows(document, "arn:aws:s3:::bucket/anything");

        // Assert
        Assert.False(allowed);
    }

    [Fact]
    public void Resource_MultivaluedKeyAsVariable_IsUnresolvable()
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:TagKeys}");
        var context = new RequestContext("s3:GetObject", "arn:aws:s3:::bucket/a").Set("aws:TagKeys", ["a", "b"]);

        // Act
        var decision = PolicyEvaluator.Evaluate([new NamedPolicy("p", document)], context);

        // Assert
        Assert.Equal(PolicyEffect.ImplicitDeny, decision.Effect);
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket/shared/x", true)]
    [InlineData("arn:aws:s3:::bucket/other/x", false)]
    public void Resource_DefaultValue_IsUsedWhenKeyAbsent(string resource, bool expected)
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*");

        // Act
        var allowed = Allows(document, resource);

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Fact]
    public void Resource_DefaultValue_IsIgnoredWhenKeyPresent()
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*");

        // Act
        var own = Allows(document, "arn:aws:s3:::bucket/red/x", ("aws:PrincipalTag/team", "red"));
        var shared = Allows(document, "arn:aws:s3:::bucket/shared/x", ("aws:PrincipalTag/team", "red"));

        // Assert
        Assert.True(own);
        Assert.False(shared);
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/*", true)]
    [InlineData("arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/x", false)]
    [InlineData("arn:aws:s3:::bucket/a${?}", "arn:aws:s3:::bucket/a?", true)]
    [InlineData("arn:aws:s3:::bucket/a${?}", "arn:aws:s3:::bucket/ab", false)]
    [InlineData("arn:aws:s3:::bucket/${$}x", "arn:aws:s3:::bucket/$x", true)]
    [InlineData("arn:aws:s3:::bucket/${$}{aws:username}", "arn:aws:s3:::bucket/${aws:username}", true)]
    public void Resource_Escapes_AreLiteral(string pattern, string resource, bool expected)
    {
        // Arrange
        var document = CreateDocument(pattern);

        // Act
        var allowed = Allows(document, resource, ("aws:username", "alice"));

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Fact]
    public void Resource_WildcardInVariableValue_IsLiteral()
    {
        // Arrange: a tag value "*" must not widen the grant.
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:PrincipalTag/team}");

        // Act
        var other = Allows(document, "arn:aws:s3:::bucket/secret", ("aws:PrincipalTag/team", "*"));
        var literal = Allows(document, "arn:aws:s3:::bucket/*", ("aws:PrincipalTag/team", "*"));

        // Assert
        Assert.False(other);
        Assert.True(literal);
    }

    [Theory]
    [InlineData("", "arn:aws:s3:::bucket/${aws:username}", true)]
    [InlineData("", "arn:aws:s3:::bucket/alice", false)]
    [InlineData("\"Version\": \"2008-10-17\",", "arn:aws:s3:::bucket/${aws:username}", true)]
    [InlineData("\"Version\": \"2008-10-17\",", "arn:aws:s3:::bucket/alice", false)]
    public void Resource_Version2008OrAbsent_TreatsVariablesLiterally(string version, string resource, bool expected)
    {
        // Arrange
        var document = CreateDocument("arn:aws:s3:::bucket/${aws:username}", version);

        // Act
        var allowed = Allows(document, resource, ("aws:username", "alice"));

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Theory]
    [InlineData("StringEquals", "alice", true)]
    [InlineData("StringEquals", "bob", false)]
    [InlineData("StringEquals", null, false)]
    [InlineData("StringNotEquals", null, true)]
    [InlineData("StringNotEquals", "alice", false)]
    [InlineData("StringLike", "alice", true)]
    [InlineData("StringNotLike", null, true)]
    public void Condition_StringVariable_ResolvesOrFollowsUnresolvableRule(string op, string? username, bool expected)
    {
        // Arrange
        var condition = $$$""", "Condition": {"{{{op}}}": {"s3:prefix": "home/${aws:username}"} }""";
        var document = CreateDocument("*", condition: condition);
        var keys = new List<(string, string)> { ("s3:prefix", "home/alice") };
        if (username is not null)
        {
            keys.Add(("aws:username", username));
        }

        // Act
        var allowed = Allows(document, "arn:aws:s3:::bucket", [.. keys]);

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Fact]
    public void Condition_ArnLikeVariable_IsResolved()
    {
        // Arrange
        var condition = """, "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/*"}}""";
        var document = CreateDocument("*", condition: condition);

        // Act
        var own = Allows(document, "arn:aws:s3:::b", ("aws:PrincipalAccount", "111122223333"), ("aws:PrincipalArn", "arn:aws:iam::111122223333:role/R"));
        var foreign = Allows(document, "arn:aws:s3:::b", ("aws:PrincipalAccount", "111122223333"), ("aws:PrincipalArn", "arn:aws:iam::444455556666:role/R"));

        // Assert
        Assert.True(own);
        Assert.False(foreign);
    }

    [Fact]
    public void Condition_VariableValueWithColon_CannotShiftArnFields()
    {
        // Arrange: aws:userid "AROA…:session" contains a colon; it must stay inside its field.
        var condition = """, "Condition": {"ArnLike": {"k": "arn:aws:sts::111122223333:x/${aws:userid}"}}""";
        var document = CreateDocument("*", condition: condition);

        // Act
        var allowed = Allows(document, "arn:aws:s3:::b", ("aws:userid", "AROAEXAMPLE:sess"), ("k", "arn:aws:sts::111122223333:x/AROAEXAMPLE:sess"));

        // Assert
        Assert.True(allowed);
    }

    [Fact]
    public void Condition_BoolVariable_IsResolved()
    {
        // Arrange
        var condition = """, "Condition": {"Bool": {"k": "${aws:SecureTransport}"}}""";
        var document = CreateDocument("*", condition: condition);

        // Act
        var same = Allows(document, "arn:aws:s3:::b", ("aws:SecureTransport", "true"), ("k", "true"));
        var different = Allows(document, "arn:aws:s3:::b", ("aws:SecureTransport", "false"), ("k", "true"));

        // Assert
        Assert.True(same);
        Assert.False(different);
    }

    [Fact]
    public void Condition_DateWithVariableSyntax_IsRejectedBecauseVariablesAreNotAllowed()
    {
        // Arrange
        const string Text = """{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "${aws:TokenIssueTime}"}}}}""";

        // Act
        var result = PolicyDocument.Parse(Text, PolicyKind.Identity);

        // Assert
        Assert.Contains(result.Errors, e => e.Message.Contains("is not an ISO 8601 date", StringComparison.Ordinal));
    }
}
