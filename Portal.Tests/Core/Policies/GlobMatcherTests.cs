using System.Diagnostics;
using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class GlobMatcherTests
{
    public static TheoryData<string, string, bool, bool> Cases => new()
    {
        { "*", "", false, true },
        { "*", "anything:at/all", false, true },
        { "", "", false, true },
        { "", "a", false, false },
        { "abc", "abc", false, true },
        { "abc", "abcd", false, false },
        { "abc", "ABC", false, false },
        { "abc", "ABC", true, true },
        { "s3:Get*", "s3:GetObject", true, true },
        { "s3:Get*", "s3:PutObject", true, false },
        { "s3:Get*", "S3:GETOBJECT", true, true },
        { "s3:Get*", "S3:GETOBJECT", false, false },
        { "a?c", "abc", false, true },
        { "a?c", "ac", false, false },
        { "a?c", "abbc", false, false },
        { "*b*", "abc", false, true },
        { "a*c", "ac", false, true },
        { "a*c", "abcbcb", false, false },
        { "a*b*c", "aXbYbZc", false, true },
        { "a**", "a", false, true },
        { "*?", "", false, false },
        { "[a]", "[a]", false, true },
        { "a.c", "abc", false, false },
        { "(a+)+$", "aaaa", false, false },
        { "\\d", "\\d", false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsMatch_Table_ReturnsExpected(string pattern, string value, bool ignoreCase, bool expected)
    {
        // Arrange, Act
        var matched = GlobMatcher.IsMatch(pattern, value, ignoreCase);

        // Assert
        Assert.Equal(expected, matched);
    }

    [Theory]
    [InlineData("a\\*", "a*", true)]
    [InlineData("a\\*", "ab", false)]
    [InlineData("a\\?", "ab", false)]
    [InlineData("a\\?", "a?", true)]
    [InlineData("a\\\\b", "a\\b", true)]
    [InlineData("*\\*", "xyz*", true)]
    [InlineData("*\\*", "xyz", false)]
    public void IsMatch_EscapeMode_TreatsEscapedWildcardsLiterally(string pattern, string value, bool expected)
    {
        // Arrange, Act
        var matched = GlobMatcher.IsMatch(pattern, value, ignoreCase: false, escapes: true);

        // Assert
        Assert.Equal(expected, matched);
    }

    [Fact]
    public void IsMatch_PathologicalPattern_FinishesInLinearishTime()
    {
        // Arrange: naive recursive matching explodes exponentially on many stars and a failing tail.
        var pattern = string.Concat(Enumerable.Repeat("a*", 25)) + "b";
        var value = new string('a', 20_000);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var matched = GlobMatcher.IsMatch(pattern, value, ignoreCase: true);

        // Assert
        stopwatch.Stop();
        Assert.False(matched);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }
}

public class ArnMatcherTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        { "*", "arn:aws:s3:::bucket", true },
        { "*", "not-an-arn", true },
        { "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true },
        { "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a", false },
        { "arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false },
        { "arn:aws:iam::*:role/R", "arn:aws:iam::123456789012:role/R", true },
        { "arn:aws:iam::*:role/R", "arn:aws:iam::123456789012:role/R2", false },
        { "arn:aws:iam::123456789012:user/?ob", "arn:aws:iam::123456789012:user/Bob", true },
        { "arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true },
        // A wildcard cannot cross a colon in the first five fields (§7.2).
        { "arn:aws:iam:*:role/R", "arn:aws:iam::123456789012:role/R", false },
        { "arn:aws:*", "arn:aws:iam::123456789012:role/R", false },
        { "arn:aws:iam::12345678901*:role/R", "arn:aws:iam::1:23456789012:role/R", false },
        { "arn:aws:s3:::x", "x", false },
        { "arn:aws:s3:::x", "arn:aws:s3:::x", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsMatch_Table_ReturnsExpected(string pattern, string value, bool expected)
    {
        // Arrange, Act
        var matched = ArnMatcher.IsMatch(pattern, value);

        // Assert
        Assert.Equal(expected, matched);
    }

    [Fact]
    public void IsMatch_EscapedColonInPattern_IsNotAFieldSeparator()
    {
        // Arrange: a resolved variable value "a:b" is spliced in as a\:b (see PolicyTemplate).
        const string Pattern = "arn:aws:s3:::bucket/a\\:b";

        // Act
        var literal = ArnMatcher.IsMatch(Pattern, "arn:aws:s3:::bucket/a:b", escapes: true);
        var other = ArnMatcher.IsMatch(Pattern, "arn:aws:s3:::bucket/a", escapes: true);

        // Assert
        Assert.True(literal);
        Assert.False(other);
    }
}
