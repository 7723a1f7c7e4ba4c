using System.Text;
using Portal.Core.Signing;
using Portal.Tests.Core.Signing.TestData;

namespace Portal.Tests.Core.Signing;

public class SigV4CanonicalizerTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//example//", "/example/")]
    [InlineData("/./", "/")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/../..", "/")]
    [InlineData("/foo%20bar", "/foo%2520bar")]
    [InlineData("/example space/", "/example%20space/")]
    [InlineData("/public/..%2Fadmin", "/public/..%252Fadmin")]
    [InlineData("/\u1234", "/%E1%88%B4")]
    [InlineData("/-_.~", "/-_.~")]
    public void CanonicalUri_Path_NormalisedAndEncodedOnceMore(string rawPath, string expected)
    {
        // Arrange (STS-SPEC §5.3; SECURITY-CASES 86)

        // Act
        var canonical = SigV4Canonicalizer.CanonicalUri(rawPath);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("acl", "acl=")]
    [InlineData("b=2&a=2&a=1", "a=1&a=2&b=2")]
    [InlineData("Param2=value2&Param1=value1", "Param1=value1&Param2=value2")]
    [InlineData("a=b+c", "a=b%20c")]
    [InlineData("a=b%2bc", "a=b%2Bc")]
    [InlineData("a=%41%7e", "a=A~")]
    [InlineData("k=a/b:c", "k=a%2Fb%3Ac")]
    [InlineData("a=1&&b=2&", "a=1&b=2")]
    [InlineData("a=x=y", "a=x%3Dy")]
    [InlineData("%C3%A9=\u00e9", "%C3%A9=%C3%A9")]
    [InlineData("B=1&a=1", "B=1&a=1")]
    public void CanonicalQuery_Parameters_EncodedPerRfc3986AndSorted(string rawQuery, string expected)
    {
        // Arrange (STS-SPEC §5.3; SECURITY-CASES 87)
        var parameters = new List<QueryParameter>();
        Assert.True(SigV4Canonicalizer.TryParseQuery(rawQuery, parameters, out _));

        // Act
        var canonical = SigV4Canonicalizer.CanonicalQuery(parameters, excludeSignature: false);

        // Assert
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("a=%")]
    [InlineData("a=%4")]
    [InlineData("a=%zz")]
    [InlineData("%g1=1")]
    public void TryParseQuery_MalformedEscape_ReturnsFalse(string rawQuery)
    {
        // Arrange
        var parameters = new List<QueryParameter>();

        // Act
        var parsed = SigV4Canonicalizer.TryParseQuery(rawQuery, parameters, out var malformed);

        // Assert
        Assert.False(parsed);
        Assert.Equal(rawQuery, malformed);
    }

    [Fact]
    public void CanonicalQuery_Presigned_ExcludesOnlyTheSignature()
    {
        // Arrange
        var parameters = new List<QueryParameter>();
        SigV4Canonicalizer.TryParseQuery("X-Amz-Signature=abc&x-amz-signature=keep&A=1", parameters, out _);

        // Act
        var canonical = SigV4Canonicalizer.CanonicalQuery(parameters, excludeSignature: true);

        // Assert
        Assert.Equal("A=1&x-amz-signature=keep", canonical);
    }

    [Theory]
    [InlineData("value", "value")]
    [InlineData("  \tvalue\t ", "value")]
    [InlineData("a   b \t c", "a b c")]
    [InlineData("first\r\n  continued", "first continued")]
    [InlineData("\"a   b   c\"", "\"a b c\"")]
    [InlineData("", "")]
    public void AppendTrimmedCollapsed_Value_TrimmedAndRunsCollapsed(string value, string expected)
    {
        // Arrange (STS-SPEC §5.3; aws-c-auth get-header-value-trim, get-header-value-multiline)
        var builder = new StringBuilder();

        // Act
        SigV4Canonicalizer.AppendTrimmedCollapsed(builder, value);

        // Assert
        Assert.Equal(expected, builder.ToString());
    }

    [Fact]
    public void AppendCanonicalHeaders_RepeatedHeader_JoinedInReceivedOrder()
    {
        // Arrange (aws-c-auth get-header-key-duplicate)
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", "example.amazonaws.com"),
            new("My-Header1", "value2"),
            new("my-header1", " value2 "),
            new("MY-HEADER1", "value1"),
        };
        var builder = new StringBuilder();

        // Act
        var missing = SigV4Canonicalizer.AppendCanonicalHeaders(builder, headers, ["host", "my-header1"]);

        // Assert
        Assert.Null(missing);
        Assert.Equal("host:example.amazonaws.com\nmy-header1:value2,value2,value1\n", builder.ToString());
    }

    [Fact]
    public void AppendCanonicalHeaders_Http2Authority_StandsInForHost()
    {
        // Arrange (STS-SPEC §5.3)
        var headers = new List<KeyValuePair<string, string>> { new(":authority", "sts.example.test") };
        var builder = new StringBuilder();

        // Act
        var missing = SigV4Canonicalizer.AppendCanonicalHeaders(builder, headers, ["host"]);

        // Assert
        Assert.Null(missing);
        Assert.Equal("host:sts.example.test\n", builder.ToString());
    }

    [Fact]
    public void AppendCanonicalHeaders_SignedHeaderAbsent_ReturnsItsName()
    {
        // Arrange (SECURITY-CASES 84d)
        var headers = new List<KeyValuePair<string, string>> { new("Host", "h") };

        // Act
        var missing = SigV4Canonicalizer.AppendCanonicalHeaders(new StringBuilder(), headers, ["host", "x-amz-foo"]);

        // Assert
        Assert.Equal("x-amz-foo", missing);
    }

    [Theory]
    [InlineData(nameof(SigV4Vectors.SpecHeaderAuth), nameof(SigV4Vectors.SpecHeaderAuthCanonicalRequest))]
    [InlineData(nameof(SigV4Vectors.SpecPresignedK8s), nameof(SigV4Vectors.SpecPresignedK8sCanonicalRequest))]
    public void BuildCanonicalRequest_SpecVector_MatchesBotocore(string requestName, string canonicalName)
    {
        // Arrange (STS-SPEC §5.8 a, c)
        var request = RawHttp.Parse(Vector(requestName));
        var pending = SigV4Verifier.Prepare(request, SigV4VerifierOptions.Sts, AmzTimeNow()).Value!;

        // Act
        var canonical = SigV4Verifier.BuildCanonicalRequest(request, pending);

        // Assert
        Assert.Equal(Vector(canonicalName), canonical);
    }

    [Fact]
    public void StringToSign_SpecHeaderVector_MatchesBotocore()
    {
        // Arrange (STS-SPEC §5.8 a)

        // Act
        var stringToSign = SigV4Crypto.StringToSign(
            SigV4Vectors.ExampleTime, "20260115/us-east-1/sts/aws4_request", SigV4Vectors.SpecHeaderAuthCanonicalRequest);

        // Assert
        Assert.Equal(SigV4Vectors.SpecHeaderAuthStringToSign, stringToSign);
    }

    [Fact]
    public void SignHex_SpecHeaderVector_MatchesBotocoreSignature()
    {
        // Arrange (STS-SPEC §5.8 a)
        var key = SigV4Crypto.DeriveSigningKey(SigV4Vectors.ExampleSecret, "20260115", "us-east-1", "sts");

        // Act
        var signature = SigV4Crypto.SignHex(key, SigV4Vectors.SpecHeaderAuthStringToSign);

        // Assert
        Assert.Equal("741bf97cc32cfb65a3d2f0cdbcdd533322ab54291e735febacc4e2fd8258bb57", signature);
    }

    private static DateTimeOffset AmzTimeNow() => AmzTime.Parse(SigV4Vectors.ExampleTime);

    private static string Vector(string name) =>
        (string)typeof(SigV4Vectors).GetField(name)!.GetValue(null)!;
}
