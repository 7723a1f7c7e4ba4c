using Portal.Services.Admin;

namespace Portal.Tests.Components.Admin.Roles;

public class RolesTrustBuilderTests
{
    private const string Saml = "arn:aws:iam::111122223333:saml-provider/Corp";
    private const string Oidc = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";

    public static TheoryData<TrustBuilderModel, string> Combinations => new()
    {
        {
            new TrustBuilderModel { ProviderArn = Saml },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/Corp"},"Action":["sts:AssumeRoleWithSAML","sts:SetSourceIdentity"]}]}"""
        },
        {
            new TrustBuilderModel { ProviderArn = Oidc, Groups = ["admins"] },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/idp.example.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:SetSourceIdentity"],"Condition":{"ForAnyValue:StringEquals":{"portal:groups":"admins"}}}]}"""
        },
        {
            new TrustBuilderModel { ProviderArn = Saml, Groups = ["a", "b"], ClaimKey = "saml:sub", ClaimValue = "alice", RequireMfa = true },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/Corp"},"Action":["sts:AssumeRoleWithSAML","sts:SetSourceIdentity"],"Condition":{"ForAnyValue:StringEquals":{"portal:groups":["a","b"]},"StringEquals":{"saml:sub":"alice"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"""
        },
        {
            new TrustBuilderModel { ProviderArn = Oidc, Audiences = ["portal-client"], Groups = ["admins"] },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/idp.example.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:SetSourceIdentity"],"Condition":{"ForAnyValue:StringEquals":{"portal:groups":"admins"},"StringEquals":{"idp.example.com:aud":"portal-client"}}}]}"""
        },
        {
            new TrustBuilderModel { ProviderArn = Oidc, Audiences = ["c1", "c2"], ClaimKey = "idp.example.com:sub", ClaimValue = "u1" },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/idp.example.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"idp.example.com:aud":["c1","c2"],"idp.example.com:sub":"u1"}}}]}"""
        },
        {
            new TrustBuilderModel { AwsPrincipals = ["444455556666"] },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIamPrincipals","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}"""
        },
        {
            new TrustBuilderModel { AwsPrincipals = ["arn:aws:iam::111122223333:user/alice", "444455556666"], ExternalId = "ext-1", RequireMfa = true },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIamPrincipals","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::444455556666:root"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-1"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"""
        },
        {
            new TrustBuilderModel { ProviderArn = Oidc, ClaimKey = "idp.example.com:sub", ClaimValue = "u1", AwsPrincipals = ["arn:aws:iam::111122223333:user/bob"], RequireMfa = true },
            """{"Version":"2012-10-17","Statement":[{"Sid":"TrustIdentityProvider","Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/idp.example.com"},"Action":["sts:AssumeRoleWithWebIdentity","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"idp.example.com:sub":"u1"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Sid":"TrustIamPrincipals","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"""
        },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Build_EachOptionCombination_ProducesExactJson(TrustBuilderModel model, string expected)
    {
        // Act
        var json = RolesTrustBuilder.Build(model);

        // Assert
        Assert.Equal(expected, Compact(json));
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void TryRead_BuiltPolicy_RoundTripsToTheSameModel(TrustBuilderModel model, string expected)
    {
        // Arrange
        var json = RolesTrustBuilder.Build(model);

        // Act
        var read = RolesTrustBuilder.TryRead(json);

        // Assert: account ids come back as their root ARNs, which build the same JSON.
        Assert.NotNull(read);
        Assert.Equal(expected, Compact(RolesTrustBuilder.Build(read)));
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:username":"a*"}}}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/Corp"},"Action":"sts:AssumeRoleWithSAML"}]}""")]
    [InlineData("not json")]
    public void TryRead_PolicyTheBuilderCannotExpress_ReturnsNull(string json)
    {
        // Act
        var read = RolesTrustBuilder.TryRead(json);

        // Assert
        Assert.Null(read);
    }

    [Fact]
    public void TryRead_StatementsDisagreeOnMfa_ReturnsNull()
    {
        // Arrange: the builder sets MFA on both statements at once; hand-edit one of them.
        var json = RolesTrustBuilder.Build(new TrustBuilderModel { ProviderArn = Saml, AwsPrincipals = ["444455556666"], RequireMfa = true });
        var edited = json[..json.LastIndexOf("\"Condition\"", StringComparison.Ordinal)].TrimEnd().TrimEnd(',') + "\n}]}";

        // Act
        var read = RolesTrustBuilder.TryRead(edited);

        // Assert
        Assert.Null(read);
    }

    private static string Compact(string json) => System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(json).RootElement);
}
