using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class ConditionTests
{
    private const string Absent = "<absent>";
    private const string Empty = "<empty>";

    /// <summary>A valid identity policy allowing everything under <paramref name="condition"/>; the request sets key "k" (values split on '|').</summary>
    private static bool Allows(string condition, string values, string key = "k")
    {
        var text = $$"""{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {{condition}} } }""";
        var parsed = PolicyDocument.Parse(text, PolicyKind.Identity);
        Assert.True(parsed.Succeeded, parsed.ErrorSummary);
        var context = new RequestContext("s3:GetObject", "arn:aws:s3:::bucket/key");
        if (values == Empty)
        {
            context.Set(key, Array.Empty<string>());
        }
        else if (values != Absent)
        {
            context.Set(key, values.Split('|'));
        }

        return PolicyEvaluator.Evaluate([new NamedPolicy("test", parsed.Document)], context).Effect == PolicyEffect.Allow;
    }

    public static TheoryData<string, string, bool> StringCases => new()
    {
        { """{"StringEquals": {"k": "abc"}}""", "abc", true },
        { """{"StringEquals": {"k": "abc"}}""", "ABC", false },
        { """{"StringEquals": {"k": "abc"}}""", Absent, false },
        { """{"StringEquals": {"k": ["x", "abc"]}}""", "abc", true },
        { """{"StringEquals": {"k": "abc"}}""", "x|abc", true },
        { """{"StringNotEquals": {"k": "abc"}}""", "abc", false },
        { """{"StringNotEquals": {"k": "abc"}}""", "x", true },
        { """{"StringNotEquals": {"k": "abc"}}""", Absent, true },
        { """{"StringNotEquals": {"k": ["x", "abc"]}}""", "abc", false },
        { """{"StringEqualsIgnoreCase": {"k": "abc"}}""", "ABC", true },
        { """{"StringEqualsIgnoreCase": {"k": "abc"}}""", "ABD", false },
        { """{"StringNotEqualsIgnoreCase": {"k": "abc"}}""", "ABC", false },
        { """{"StringNotEqualsIgnoreCase": {"k": "abc"}}""", "x", true },
        { """{"StringLike": {"k": "a*c?"}}""", "abbcd", true },
        { """{"StringLike": {"k": "a*c?"}}""", "abc", false },
        { """{"StringLike": {"k": "repo:corp/app:ref:refs/heads/*"}}""", "repo:corp/app:ref:refs/heads/main", true },
        { """{"StringLike": {"k": "repo:corp/app:ref:refs/heads/main"}}""", "repo:corp/app:pull_request", false },
        { """{"StringNotLike": {"k": "a*"}}""", "abc", false },
        { """{"StringNotLike": {"k": "a*"}}""", "xyz", true },
        { """{"StringNotLike": {"k": "a*"}}""", Absent, true },
        { """{"StringEqualsIfExists": {"k": "abc"}}""", Absent, true },
        { """{"StringEqualsIfExists": {"k": "abc"}}""", "x", false },
        { """{"StringEqualsIfExists": {"k": "abc"}}""", "abc", true },
        { """{"StringNotEqualsIfExists": {"k": "abc"}}""", "abc", false },
        { """{"stringequals": {"k": "abc"}}""", "abc", true },
        { """{"StringEquals": {"k": 10}}""", "10", true },
        { """{"StringEquals": {"k": true}}""", "true", true },
    };

    [Theory]
    [MemberData(nameof(StringCases))]
    public void Evaluate_StringOperators_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    public static TheoryData<string, string, bool> NumericCases => new()
    {
        { """{"NumericEquals": {"k": "10"}}""", "10.0", true },
        { """{"NumericEquals": {"k": 10}}""", "11", false },
        { """{"NumericNotEquals": {"k": 10}}""", "11", true },
        { """{"NumericNotEquals": {"k": 10}}""", "10", false },
        { """{"NumericNotEquals": {"k": 10}}""", Absent, true },
        { """{"NumericLessThan": {"k": "3600"}}""", "100", true },
        { """{"NumericLessThan": {"k": "3600"}}""", "3600", false },
        { """{"NumericLessThanEquals": {"k": "3600"}}""", "3600", true },
        { """{"NumericLessThanEquals": {"k": "3600"}}""", "3601", false },
        { """{"NumericGreaterThan": {"k": "1.5"}}""", "1.51", true },
        { """{"NumericGreaterThan": {"k": "1.5"}}""", "1.5", false },
        { """{"NumericGreaterThanEquals": {"k": "-2"}}""", "-2", true },
        { """{"NumericGreaterThanEquals": {"k": "-2"}}""", "-3", false },
        { """{"NumericLessThan": {"k": "3600"}}""", "not-a-number", false },
        { """{"NumericLessThan": {"k": "3600"}}""", Absent, false },
        { """{"NumericLessThanIfExists": {"k": "3600"}}""", Absent, true },
        { """{"NumericLessThanIfExists": {"k": "3600"}}""", "7200", false },
    };

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void Evaluate_NumericOperators_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    public static TheoryData<string, string, bool> DateCases => new()
    {
        { """{"DateLessThan": {"k": "2024-01-01T00:00:00Z"}}""", "2023-12-31T23:59:59Z", true },
        { """{"DateLessThan": {"k": "2024-01-01T00:00:00Z"}}""", "2024-01-01T00:00:00Z", false },
        { """{"DateLessThanEquals": {"k": "2024-01-01T00:00:00Z"}}""", "2024-01-01T00:00:00Z", true },
        { """{"DateGreaterThan": {"k": "2023-01-01T00:00:00Z"}}""", "1700000000", true },
        { """{"DateGreaterThan": {"k": "2024-01-01T00:00:00Z"}}""", "1700000000", false },
        { """{"DateGreaterThanEquals": {"k": 1700000000}}""", "2023-11-14T22:13:20Z", true },
        { """{"DateEquals": {"k": "2023-11-14T22:13:20Z"}}""", "1700000000", true },
        { """{"DateEquals": {"k": "2023-11-14T23:13:20+01:00"}}""", "2023-11-14T22:13:20Z", true },
        { """{"DateEquals": {"k": "2023-11-14"}}""", "2023-11-14T00:00:00Z", true },
        { """{"DateNotEquals": {"k": "2023-11-14T22:13:20Z"}}""", "1700000000", false },
        { """{"DateNotEquals": {"k": "2023-11-14T22:13:20Z"}}""", "1700000001", true },
        { """{"DateLessThan": {"k": "2024-01-01T00:00:00Z"}}""", "garbage", false },
        { """{"DateLessThan": {"k": "2024-01-01T00:00:00Z"}}""", Absent, false },
        { """{"DateLessThanIfExists": {"k": "2024-01-01T00:00:00Z"}}""", Absent, true },
    };

    [Theory]
    [MemberData(nameof(DateCases))]
    public void Evaluate_DateOperators_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    public static TheoryData<string, string, bool> BoolBinaryIpCases => new()
    {
        { """{"Bool": {"k": "true"}}""", "true", true },
        { """{"Bool": {"k": "true"}}""", "TRUE", true },
        { """{"Bool": {"k": true}}""", "true", true },
        { """{"Bool": {"k": "true"}}""", "false", false },
        { """{"Bool": {"k": "true"}}""", Absent, false },
        { """{"BoolIfExists": {"k": "true"}}""", Absent, true },
        { """{"BoolIfExists": {"k": "true"}}""", "false", false },
        { """{"BinaryEquals": {"k": "QmluYXJ5"}}""", "QmluYXJ5", true },
        { """{"BinaryEquals": {"k": "QmluYXJ5"}}""", "b3RoZXI=", false },
        { """{"BinaryEquals": {"k": "QmluYXJ5"}}""", "not base64!", false },
        { """{"BinaryEqualsIfExists": {"k": "QmluYXJ5"}}""", Absent, true },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", "10.1.2.3", true },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", "11.0.0.1", false },
        { """{"IpAddress": {"k": "203.0.113.5/24"}}""", "203.0.113.200", true },
        { """{"IpAddress": {"k": "192.0.2.1"}}""", "192.0.2.1", true },
        { """{"IpAddress": {"k": "192.0.2.1"}}""", "192.0.2.2", false },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", "::ffff:10.1.2.3", true },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", "2001:db8::1", false },
        { """{"IpAddress": {"k": "2001:db8::/32"}}""", "2001:db8:ffff::1", true },
        { """{"IpAddress": {"k": "2001:db8::/32"}}""", "2001:db9::1", false },
        { """{"IpAddress": {"k": "2001:db8::/33"}}""", "2001:db8:8000::1", false },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", "not-an-ip", false },
        { """{"IpAddress": {"k": ["192.0.2.0/24", "10.0.0.0/8"]}}""", "10.9.9.9", true },
        { """{"IpAddress": {"k": "10.0.0.0/8"}}""", Absent, false },
        { """{"NotIpAddress": {"k": "10.0.0.0/8"}}""", "10.1.2.3", false },
        { """{"NotIpAddress": {"k": "10.0.0.0/8"}}""", "11.0.0.1", true },
        { """{"NotIpAddress": {"k": "10.0.0.0/8"}}""", Absent, true },
        { """{"IpAddressIfExists": {"k": "10.0.0.0/8"}}""", Absent, true },
    };

    [Theory]
    [MemberData(nameof(BoolBinaryIpCases))]
    public void Evaluate_BoolBinaryAndIpOperators_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    public static TheoryData<string, string, bool> ArnAndNullCases => new()
    {
        { """{"ArnLike": {"k": "arn:aws:iam::*:role/Admin*"}}""", "arn:aws:iam::123456789012:role/AdminX", true },
        { """{"ArnLike": {"k": "arn:aws:iam::*:role/Admin*"}}""", "arn:aws:iam::123456789012:user/AdminX", false },
        { """{"ArnEquals": {"k": "arn:aws:iam::*:role/Admin*"}}""", "arn:aws:iam::123456789012:role/AdminX", true },
        { """{"ArnLike": {"k": "arn:aws:iam:*:role/R"}}""", "arn:aws:iam::123456789012:role/R", false },
        { """{"StringLike": {"k": "arn:aws:iam:*:role/R"}}""", "arn:aws:iam::123456789012:role/R", true },
        { """{"ArnNotEquals": {"k": "arn:aws:iam::123456789012:role/R"}}""", "arn:aws:iam::123456789012:role/R", false },
        { """{"ArnNotLike": {"k": "arn:aws:iam::*:role/R"}}""", "arn:aws:iam::123456789012:role/Other", true },
        { """{"ArnNotLike": {"k": "arn:aws:iam::*:role/R"}}""", Absent, true },
        { """{"ArnLike": {"k": "arn:aws:iam::*:role/R"}}""", Absent, false },
        { """{"ArnLikeIfExists": {"k": "arn:aws:iam::*:role/R"}}""", Absent, true },
        { """{"Null": {"k": "true"}}""", Absent, true },
        { """{"Null": {"k": "true"}}""", "x", false },
        { """{"Null": {"k": "true"}}""", Empty, true },
        { """{"Null": {"k": false}}""", "x", true },
        { """{"Null": {"k": "false"}}""", Absent, false },
    };

    [Theory]
    [MemberData(nameof(ArnAndNullCases))]
    public void Evaluate_ArnAndNullOperators_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    public static TheoryData<string, string, bool> SetQualifierCases => new()
    {
        { """{"ForAnyValue:StringEquals": {"k": ["a", "b"]}}""", "c|a", true },
        { """{"ForAnyValue:StringEquals": {"k": ["a", "b"]}}""", "c", false },
        { """{"ForAnyValue:StringEquals": {"k": ["a", "b"]}}""", Absent, false },
        { """{"ForAnyValue:StringEquals": {"k": ["a", "b"]}}""", Empty, false },
        { """{"ForAnyValue:StringEqualsIfExists": {"k": ["a"]}}""", Absent, true },
        { """{"ForAnyValue:StringLike": {"k": "auth*"}}""", "unauthenticated", false },
        { """{"ForAnyValue:StringLike": {"k": "auth*"}}""", "unauthenticated|authenticated", true },
        { """{"ForAnyValue:StringNotEquals": {"k": ["a"]}}""", "a|b", true },
        { """{"ForAnyValue:StringNotEquals": {"k": ["a"]}}""", "a", false },
        { """{"ForAllValues:StringEquals": {"k": ["a", "b"]}}""", "a|b", true },
        { """{"ForAllValues:StringEquals": {"k": ["a", "b"]}}""", "a|c", false },
        { """{"ForAllValues:StringEquals": {"k": ["a", "b"]}}""", Absent, true },
        { """{"ForAllValues:StringEquals": {"k": ["a", "b"]}}""", Empty, true },
        { """{"ForAllValues:StringLike": {"k": ["team-*"]}}""", "team-a|team-b", true },
        { """{"ForAllValues:StringNotEquals": {"k": ["a"]}}""", "b|c", true },
        { """{"ForAllValues:StringNotEquals": {"k": ["a"]}}""", "a|b", false },
        { """{"forallvalues:StringEquals": {"k": ["a"]}}""", "a", true },
        { """{"ForAnyValue:NumericGreaterThan": {"k": 5}}""", "1|9", true },
        { """{"ForAllValues:NumericGreaterThan": {"k": 5}}""", "1|9", false },
    };

    [Theory]
    [MemberData(nameof(SetQualifierCases))]
    public void Evaluate_SetQualifiers_FollowSpec(string condition, string values, bool expected) =>
        Assert.Equal(expected, Allows(condition, values));

    [Fact]
    public void Evaluate_KeyNameCase_IsIgnored()
    {
        // Arrange, Act
        var allowed = Allows("""{"StringEquals": {"AWS:UserName": "alice"}}""", "alice", key: "aws:username");

        // Assert
        Assert.True(allowed);
    }

    [Theory]
    [InlineData("a", "b", true)]
    [InlineData("a", "x", false)]
    [InlineData("x", "b", false)]
    public void Evaluate_SeveralKeysAndOperators_AreAnded(string first, string second, bool expected)
    {
        // Arrange
        var parsed = PolicyDocument.Parse("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
              "Condition": {"StringEquals": {"k1": "a", "k2": "b"}, "StringLike": {"k1": "*"}}}}
            """, PolicyKind.Identity);
        var context = new RequestContext("s3:GetObject", "*").Set("k1", first).Set("k2", second);

        // Act
        var decision = PolicyEvaluator.Evaluate([new NamedPolicy("p", parsed.Document!)], context);

        // Assert
        Assert.Equal(expected ? PolicyEffect.Allow : PolicyEffect.ImplicitDeny, decision.Effect);
    }
}
