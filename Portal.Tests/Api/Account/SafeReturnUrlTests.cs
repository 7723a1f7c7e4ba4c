using Portal.Authentication.Local;

namespace Portal.Tests.Api.Account;

public sealed class SafeReturnUrlTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/account/profile?x=1", "/account/profile?x=1")]
    [InlineData("https://evil.test/", "/")]
    [InlineData("//evil.test/", "/")]
    [InlineData("/\\evil.test/", "/")]
    [InlineData("\\\\evil.test", "/")]
    [InlineData("/ok\\..\\evil", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/x\r\nSet-Cookie: a=b", "/")]
    [InlineData("evil.test", "/")]
    public void Normalize_Variants_KeepOnlyLocalPaths(string? returnUrl, string expected)
    {
        // Act
        var normalized = SafeReturnUrl.Normalize(returnUrl);

        // Assert
        Assert.Equal(expected, normalized);
    }
}
