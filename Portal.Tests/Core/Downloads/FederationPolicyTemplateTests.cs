using System.Text.Json;
using Portal.Core.Downloads;

namespace Portal.Tests.Core.Downloads;

public sealed class FederationPolicyTemplateTests
{
    private const string Template = """
        {
            "Version": "2012-10-17",
            "Statement": [
                { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::downloads/${portal:username}/*" }
            ]
        }
        """;

    /// <summary>Baseline customer: a plain user name and every variable present.</summary>
    private static DownloadPerson Person(string userName = "alice", string? email = "alice@example.com") =>
        new("arn:aws:iam::111122223333:oidc-provider/idp.example.com|alice-sub", "issued-to", userName, email, "arn:aws:iam::111122223333:oidc-provider/idp.example.com", []);

    private static string ResourceOf(string policy) =>
        JsonDocument.Parse(policy).RootElement.GetProperty("Statement")[0].GetProperty("Resource").GetString()!;

    [Fact]
    public void Render_PlainValues_SubstitutesEveryVariable()
    {
        // Arrange
        var template = Template.Replace("${portal:username}", "${portal:username}-${portal:email}-${portal:sub}-${portal:provider}", StringComparison.Ordinal);

        // Act
        var result = FederationPolicyTemplate.Render(template, Person());

        // Assert
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(
            "arn:aws:s3:::downloads/alice-alice@example.com-arn:aws:iam::111122223333:oidc-provider/idp.example.com|alice-sub-arn:aws:iam::111122223333:oidc-provider/idp.example.com/*",
            ResourceOf(result.Policy!));
    }

    [Theory]
    [InlineData("a\",\"Resource\":\"arn:aws:s3:::downloads/bob/")]
    [InlineData("a\\\"}]}")]
    [InlineData("a\n\"Effect\"")]
    [InlineData("ålice\u4e2d")]
    public void Render_ValueTryingToLeaveItsString_StaysInsideTheResource(string userName)
    {
        // Act
        var result = FederationPolicyTemplate.Render(Template, Person(userName));

        // Assert: the value is JSON-escaped, so the policy has the one statement and the value verbatim in its resource.
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("arn:aws:s3:::downloads/" + userName + "/*", ResourceOf(result.Policy!));
        Assert.Single(JsonDocument.Parse(result.Policy!).RootElement.GetProperty("Statement").EnumerateArray());
        Assert.All(result.Policy!, c => Assert.True(c is '\n' or '\r' or '\t' or (>= ' ' and <= '\u00FF')));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("al?ce")]
    [InlineData("${aws:username}")]
    [InlineData("${*}")]
    public void Render_ValueThatWouldBeAWildcardOrVariable_Refused(string userName)
    {
        // Act
        var result = FederationPolicyTemplate.Render(Template, Person(userName));

        // Assert
        Assert.False(result.Succeeded);
        Assert.Null(result.Policy);
        Assert.Contains("wildcard", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_VariableWithoutValue_Refused()
    {
        // Arrange
        var template = Template.Replace("${portal:username}", "${portal:email}", StringComparison.Ordinal);

        // Act
        var result = FederationPolicyTemplate.Render(template, Person(email: null));

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("${portal:email}", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RenderedPolicyOver2048Characters_Refused()
    {
        // Act
        var result = FederationPolicyTemplate.Render(Template, Person(new string('a', 2100)));

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("2048", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AwsPolicyVariable_LeftForTheEngine()
    {
        // Arrange
        var template = Template.Replace("${portal:username}", "${aws:userid}", StringComparison.Ordinal);

        // Act
        var result = FederationPolicyTemplate.Render(template, Person());

        // Assert
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("arn:aws:s3:::downloads/${aws:userid}/*", ResourceOf(result.Policy!));
    }

    [Fact]
    public void Validate_ValidTemplate_NoErrors()
    {
        // Act
        var errors = FederationPolicyTemplate.Validate(Template);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_UnknownPortalVariable_ReportsItsLineAndColumn()
    {
        // Arrange
        var template = Template.Replace("${portal:username}", "${portal:groups}", StringComparison.Ordinal);

        // Act
        var errors = FederationPolicyTemplate.Validate(template);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(4, error.Line);
        Assert.Equal(template.Split('\n')[3].IndexOf("${portal:groups}", StringComparison.Ordinal) + 1, error.Column);
        Assert.Contains("${portal:groups}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidPolicy_ReportsParserLineAndColumn()
    {
        // Arrange: "Effect" misspelt on line 4.
        var template = Template.Replace("\"Effect\": \"Allow\"", "\"Effect\": \"Permit\"", StringComparison.Ordinal);

        // Act
        var errors = FederationPolicyTemplate.Validate(template);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(4, error.Line);
        Assert.True(error.Column > 0);
    }

    [Fact]
    public void Validate_NotJson_ReportsAnError()
    {
        // Act
        var errors = FederationPolicyTemplate.Validate("{ \"Version\": ");

        // Assert
        Assert.NotEmpty(errors);
    }
}
