using Portal.Core.Policies;

namespace Portal.Tests.Core.Policies;

public class PolicyDocumentTests
{
    // Line numbers below are 1-based; index i of this array is line i + 1.
    private static string[] CreateValidLines() =>
    [
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"Read\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"s3:GetObject\",",
        "      \"Resource\": \"arn:aws:s3:::bucket/*\"",
        "    }",
        "  ]",
        "}",
    ];

    private static string WithLine(int line, string replacement)
    {
        var lines = CreateValidLines();
        lines[line - 1] = replacement;
        return string.Join('\n', lines);
    }

    [Fact]
    public void Parse_ValidBaseline_Succeeds()
    {
        // Arrange
        var text = string.Join('\n', CreateValidLines());

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Same(text, result.Document.Text);
        Assert.Equal("2012-10-17", result.Document.Version);
        var statement = Assert.Single(result.Document.Statements);
        Assert.Equal("Read", statement.Sid);
        Assert.Equal(StatementEffect.Allow, statement.Effect);
        Assert.Equal(["s3:GetObject"], statement.Actions);
        Assert.Equal(["arn:aws:s3:::bucket/*"], statement.Resources);
    }

    [Fact]
    public void Parse_BadEffect_ReportsExactLineAndColumn()
    {
        // Arrange
        var text = WithLine(6, "      \"Effect\": \"Alow\",");

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        var error = Assert.Single(result.Errors);
        Assert.Equal("line 6, column 17: Effect must be \"Allow\" or \"Deny\"", error.ToString());
    }

    // (line, replacement, marker whose first character the error must point at, message fragment)
    public static TheoryData<int, string, string, string> LineErrors => new()
    {
        { 2, "  \"Version\": \"2012-10-18\",", "\"2012", "Version must be \"2012-10-17\" or \"2008-10-17\"" },
        { 2, "  \"Version\": 20121017,", "2012", "Version must be" },
        { 2, "  \"Versoin\": \"2012-10-17\",", "\"Versoin", "unknown top-level element \"Versoin\"" },
        { 5, "      \"Sid\": \"Read-1\",", "\"Read-1", "Sid \"Read-1\" must contain only ASCII letters and digits" },
        { 5, "      \"Sid\": 5,", "5", "Sid must be a string" },
        { 6, "      \"Effect\": \"allow\",", "\"allow", "Effect must be \"Allow\" or \"Deny\"" },
        { 6, "      \"Effect\": true,", "true", "Effect must be" },
        { 7, "      \"Action\": \"s3:\",", "\"s3:\"", "action \"s3:\" must be \"*\" or \"service:action\"" },
        { 7, "      \"Action\": \":GetObject\",", "\":Get", "must be \"*\" or \"service:action\"" },
        { 7, "      \"Action\": \"GetObject\",", "\"GetObject", "must be \"*\" or \"service:action\"" },
        { 7, "      \"Action\": \"s3:Get:Object\",", "\"s3:", "must be \"*\" or \"service:action\"" },
        { 7, "      \"Action\": \"s 3:Get\",", "\"s 3", "must be \"*\" or \"service:action\"" },
        { 7, "      \"Action\": [\"s3:GetObject\", \"ec2\"],", "\"ec2", "action \"ec2\"" },
        { 7, "      \"Action\": [],", "[", "Action cannot be an empty list" },
        { 7, "      \"Action\": [\"s3:GetObject\", 5],", "5", "Action must be a string or an array of strings" },
        { 7, "      \"Action\": {\"a\": \"b\"},", "{", "Action must be a string or an array of strings" },
        { 7, "      \"Effect\": \"Deny\", \"Action\": \"s3:GetObject\",", "\"Effect", "duplicate key \"Effect\"" },
        { 7, "      \"Action\": \"s3:GetObject\", \"NotAction\": \"s3:PutObject\",", "\"NotAction", "exactly one of Action or NotAction" },
        { 7, "      \"Action\": \"s3:GetObject\", \"Actoin\": \"x\",", "\"Actoin", "unknown statement element \"Actoin\"" },
        { 8, "      \"Resource\": \"bucket/*\"", "\"bucket", "must be \"*\" or an ARN" },
        { 8, "      \"Resource\": \"arn:aws:s3::bucket\"", "\"arn", "must be \"*\" or an ARN" },
        { 8, "      \"Resource\": \"arn:aws:s*:::bucket\"", "\"arn", "the service field must be present and cannot contain wildcards" },
        { 8, "      \"Resource\": \"arn:aws:s3::${aws:username}:bucket\"", "\"arn", "policy variables are allowed only in the resource part" },
        { 8, "      \"Resource\": \"arn:aws:s3:::${aws:username\"", "\"arn", "unterminated policy variable" },
        { 8, "      \"Resource\": \"arn:aws:s3:::${aws:username, default}\"", "\"arn", "malformed policy variable" },
        { 8, "      \"Resource\": \"*\", \"NotResource\": \"*\"", "\"NotResource", "not both" },
        { 8, "      \"Resource\": \"*\", \"Principal\": \"*\"", "\"Principal", "Principal is not allowed in identity policies" },
        { 8, "      \"Resource\": \"*\", \"NotPrincipal\": {\"AWS\": \"1\"}", "\"NotPrincipal", "NotPrincipal is not allowed in identity policies" },
        { 8, "      \"Resource\": \"*\", \"Condition\": []", "[", "Condition must be an object" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEqualz\": {\"a:b\": \"x\"}}", "\"StringEqualz", "unknown condition operator \"StringEqualz\"" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"String Equals\": {\"a:b\": \"x\"}}", "\"String Equals", "unknown condition operator" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"ForSomeValues:StringEquals\": {\"a:b\": \"x\"}}", "\"ForSome", "unknown set qualifier \"ForSomeValues:\"" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"ForAllValues:Null\": {\"a:b\": \"true\"}}", "\"ForAllValues:Null", "a set qualifier cannot be used with Null" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"NullIfExists\": {\"a:b\": \"true\"}}", "\"NullIfExists", "IfExists cannot be used with Null" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"ForAnyValue:StringEquals\": {\"aws:SourceIp\": \"x\"}}", "\"aws:SourceIp", "single-valued key and cannot be used with ForAnyValue:" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"ForAllValues:StringEquals\": {\"aws:PrincipalTag/team\": \"x\"}}", "\"aws:PrincipalTag", "single-valued key" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEquals\": \"x\"}", "\"x\"", "must map condition keys to values" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"a:b\": null}}", "null", "must be strings, numbers, booleans or an array of them" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"a:b\": [\"x\", {}]}}", "{}", "must be strings, numbers, booleans" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"a:b\": []}}", "[]", "cannot be an empty list" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"a:b\": \"x\", \"A:B\": \"y\"}}", "\"A:B", "duplicate condition key \"A:B\"" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"a:b\": \"ten\"}}", "\"ten", "\"ten\" is not a number (NumericLessThan)" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"NumericEquals\": {\"a:b\": \"${aws:x}\"}}", "\"${", "is not a number" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"DateLessThan\": {\"a:b\": \"yesterday\"}}", "\"yesterday", "is not an ISO 8601 date or epoch seconds" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"a:b\": \"10.0.0.0/33\"}}", "\"10.0", "is not an IP address or CIDR block" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"a:b\": \"10.0.0.256\"}}", "\"10.0", "is not an IP address" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"BinaryEquals\": {\"a:b\": \"not base64!\"}}", "\"not", "is not base64" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"Null\": {\"a:b\": \"maybe\"}}", "\"maybe", "Null condition values must be \"true\" or \"false\"" },
        { 8, "      \"Resource\": \"*\", \"Condition\": {\"StringLike\": {\"a:b\": \"${oops\"}}", "\"${oops", "unterminated policy variable" },
    };

    [Theory]
    [MemberData(nameof(LineErrors))]
    public void Parse_BrokenLine_ReportsErrorAtToken(int line, string replacement, string marker, string message)
    {
        // Arrange
        var text = WithLine(line, replacement);
        var column = replacement.IndexOf(marker, StringComparison.Ordinal) + 1;

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MissingComma_ReportsInvalidJsonAtNextToken()
    {
        // Arrange
        var text = WithLine(7, "      \"Action\": \"s3:GetObject\"");

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        var error = Assert.Single(result.Errors);
        Assert.Equal((8, 7), (error.Line, error.Column));
        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ColumnAfterLatin1Character_CountsCharactersNotBytes()
    {
        // Arrange: "é" is two UTF-8 bytes but one column.
        var text = WithLine(5, "      \"Sid\": \"é\", \"Effect\": \"Alow\",").Replace("      \"Effect\": \"Allow\",\n", string.Empty, StringComparison.Ordinal);

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.Contains(result.Errors, e => e.Line == 5 && e.Column == 14 && e.Message.StartsWith("Sid", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 5 && e.Column == 29 && e.Message.StartsWith("Effect must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\u20AC", "U+20AC")]
    [InlineData("\u0001", "U+0001")]
    [InlineData("\uFEFF", "U+FEFF")]
    public void Parse_CharacterOutsideAllowedRange_IsRejectedWithPosition(string character, string codePoint)
    {
        // Arrange
        var text = WithLine(5, $"      \"Sid\": \"Re{character}d\",");

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.Contains(result.Errors, e => e.Line == 5 && e.Column == 17 && e.Message.Contains(codePoint, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("   ", 1, 4)]
    [InlineData("{\"Statement\": ", 1, 15)]
    [InlineData("{} x", 1, 4)]
    [InlineData("{\"Version\": \"2012-10-17\",}", 1, 26)]
    [InlineData("{\n// comment\n}", 2, 1)]
    public void Parse_InvalidJson_ReportsPosition(string text, int line, int column)
    {
        // Arrange, Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("invalid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("[]", "a policy document must be a JSON object")]
    [InlineData("{\"Version\": \"2012-10-17\"}", "Statement is required")]
    [InlineData("{\"Statement\": []}", "Statement must contain at least one statement")]
    [InlineData("{\"Statement\": \"x\"}", "Statement must be an object or an array of objects")]
    [InlineData("{\"Statement\": [\"x\"]}", "each statement must be a JSON object")]
    [InlineData("{\"Id\": \"x\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}", "Id is not allowed in identity policies")]
    [InlineData("{\"Statement\": {\"Action\": \"*\", \"Resource\": \"*\"}}", "Effect is required")]
    [InlineData("{\"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\"}}", "must contain Action or NotAction")]
    [InlineData("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\"}}", "must contain Resource or NotResource")]
    [InlineData("{\"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}, {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]}", "duplicate Sid \"A\"")]
    public void Parse_StructuralError_IsReported(string text, string message)
    {
        // Arrange, Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"AWS\": \"111122223333\"}", true, "")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"AWS\": \"111122223333\"}, \"Resource\": \"*\"", true, "")]
    [InlineData(PolicyKind.Trust, "\"Resource\": \"*\"", false, "trust policy statements must contain Principal")]
    [InlineData(PolicyKind.Trust, "\"NotPrincipal\": {\"AWS\": \"111122223333\"}", false, "NotPrincipal is not allowed in trust policies")]
    [InlineData(PolicyKind.Resource, "\"NotPrincipal\": {\"AWS\": \"111122223333\"}, \"Resource\": \"*\"", true, "")]
    [InlineData(PolicyKind.Resource, "\"Resource\": \"*\"", false, "must contain Principal or NotPrincipal")]
    [InlineData(PolicyKind.Resource, "\"Principal\": \"*\", \"NotPrincipal\": \"*\", \"Resource\": \"*\"", false, "both Principal and NotPrincipal")]
    [InlineData(PolicyKind.Session, "\"Principal\": \"*\", \"Resource\": \"*\"", false, "Principal is not allowed in session policies")]
    [InlineData(PolicyKind.Session, "\"Resource\": \"*\"", true, "")]
    [InlineData(PolicyKind.Trust, "\"Principal\": \"arn:aws:iam::111122223333:root\"", false, "Principal must be \"*\" or an object")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {}", false, "non-empty object")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"User\": \"x\"}", false, "unknown principal type \"User\"")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"}", false, "cannot contain a wildcard")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"Service\": \"*\"}", false, "cannot contain a wildcard")]
    [InlineData(PolicyKind.Trust, "\"Principal\": {\"AWS\": []}", false, "Principal AWS cannot be an empty list")]
    public void Parse_PrincipalAndResourceRulesByKind_AreEnforced(PolicyKind kind, string elements, bool valid, string message)
    {
        // Arrange
        var text = $$$"""{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", {{{elements}}} } }""";

        // Act
        var result = PolicyDocument.Parse(text, kind);

        // Assert
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Parse_SingleStatementObjectWithoutVersion_UsesLegacyRules()
    {
        // Arrange
        const string Text = """{"Statement": {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "*"}}""";

        // Act
        var result = PolicyDocument.Parse(Text, PolicyKind.Session);

        // Assert
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Null(result.Document.Version);
        var statement = Assert.Single(result.Document.Statements);
        Assert.True(statement.IsNotAction);
        Assert.True(statement.IsNotResource);
        Assert.Equal(StatementEffect.Deny, statement.Effect);
    }

    [Fact]
    public void Parse_TrustPolicyExampleOfSpec_Succeeds()
    {
        // Arrange: STS-SPEC §7.8.
        const string Text = """
            { "Version": "2012-10-17",
              "Statement": [
                { "Effect": "Allow",
                  "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
                  "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
                  "Condition": {
                    "StringEquals": { "sts:ExternalId": "Example987" },
                    "BoolIfExists": { "aws:MultiFactorAuthPresent": "true" } } },
                { "Effect": "Allow",
                  "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.example.com" },
                  "Action": "sts:AssumeRoleWithWebIdentity",
                  "Condition": { "StringEquals": { "oidc.example.com:aud": "sts.amazonaws.com",
                                                    "oidc.example.com:sub": "system:serviceaccount:default:app" } } },
                { "Effect": "Allow",
                  "Principal": { "Federated": "arn:aws:iam::123456789012:saml-provider/Corp" },
                  "Action": "sts:AssumeRoleWithSAML",
                  "Condition": { "StringEquals": { "SAML:aud": "https://signin.aws.amazon.com/saml" } } } ] }
            """;

        // Act
        var result = PolicyDocument.Parse(Text, PolicyKind.Trust);

        // Assert
        Assert.True(result.Succeeded, result.ErrorSummary);
        Assert.Equal(3, result.Document.Statements.Count);
    }

    [Fact]
    public void Parse_SeveralErrors_AreAllReportedInDocumentOrder()
    {
        // Arrange
        var lines = CreateValidLines();
        lines[5] = "      \"Effect\": \"Permit\",";
        lines[6] = "      \"Action\": \"nope\",";
        var text = string.Join('\n', lines);

        // Act
        var result = PolicyDocument.Parse(text, PolicyKind.Identity);

        // Assert
        Assert.Equal([6, 7], result.Errors.Select(e => e.Line));
        Assert.Contains("; ", result.ErrorSummary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"a\" : 1 }", 7)]
    [InlineData("{\n\t\"a\": \"b c\"\r\n}", 10)]
    [InlineData("", 0)]
    public void CountNonWhitespaceCharacters_IgnoresWhitespace(string text, int expected)
    {
        // Arrange, Act
        var count = PolicyDocument.CountNonWhitespaceCharacters(text);

        // Assert
        Assert.Equal(expected, count);
    }

    [Fact]
    public void SizeWithoutWhitespace_OfParsedDocument_MatchesHelper()
    {
        // Arrange
        var text = string.Join('\n', CreateValidLines());
        var document = PolicyDocument.Parse(text, PolicyKind.Identity).Document!;

        // Act
        var size = document.SizeWithoutWhitespace;

        // Assert
        Assert.Equal(text.Count(c => !char.IsWhiteSpace(c)), size);
        Assert.True(size < text.Length);
    }
}
