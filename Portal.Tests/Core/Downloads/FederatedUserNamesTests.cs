using Portal.Core.Downloads;

namespace Portal.Tests.Core.Downloads;

public sealed class FederatedUserNamesTests
{
    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("bob")]
    [InlineData("a.b+c=d,e_f-g")]
    [InlineData("ab")]
    public void For_IdentityAlreadyValid_KeptAsItIs(string identity)
    {
        // Act
        var name = FederatedUserNames.For(identity);

        // Assert
        Assert.Equal(identity, name);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("alice smith@example.com")]
    [InlineData("ålice@example.com")]
    [InlineData("a-very-long-email-address-of-someone@subdomain.example.com")]
    [InlineData("arn:aws:iam::111122223333:oidc-provider/idp|sub")]
    public void For_IdentityNotAValidName_SanitisedToTheStsPattern(string identity)
    {
        // Act
        var name = FederatedUserNames.For(identity);

        // Assert
        Assert.True(FederatedUserNames.IsValid(name), name);
        Assert.InRange(name.Length, 2, 32);
        Assert.Equal(name, FederatedUserNames.For(identity));
    }

    [Theory]
    [InlineData("a b", "a+b")]
    [InlineData("a b", "a-b")]
    [InlineData("someone-with-a-long-name-number-1@example.com", "someone-with-a-long-name-number-2@example.com")]
    public void For_IdentitiesThatSanitiseAlike_GetDifferentNames(string first, string second)
    {
        // Act
        var a = FederatedUserNames.For(first);
        var b = FederatedUserNames.For(second);

        // Assert
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void For_LongIdentity_KeepsAReadablePrefix()
    {
        // Act
        var name = FederatedUserNames.For("a-very-long-email-address-of-someone@subdomain.example.com");

        // Assert
        Assert.StartsWith("a-very-long-email-addre-", name, StringComparison.Ordinal);
        Assert.Equal(32, name.Length);
    }
}
