using Bunit;
using Portal.Components.Admin.Roles;
using Portal.Services.Admin;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Admin.Roles;

public class TrustBuilderTests : PortalComponentTest
{
    private const string Saml = "arn:aws:iam::111122223333:saml-provider/Corp";

    [Fact]
    public void Edit_PrincipalsExternalIdAndMfa_ShowsAndReportsTheBuiltJson()
    {
        // Arrange
        string? reported = null;
        var cut = Render<TrustBuilder>(p => p.Add(c => c.Providers, [Saml]).Add(c => c.ValueChanged, v => reported = v));

        // Act
        cut.Find("textarea[data-testid=trust-principals]").Input("444455556666");
        cut.Find("input[data-testid=trust-external-id]").Input("ext-1");
        cut.Find("input[type=checkbox]").Change(true);

        // Assert
        var expected = RolesTrustBuilder.Build(new TrustBuilderModel { AwsPrincipals = ["444455556666"], ExternalId = "ext-1", RequireMfa = true });
        Assert.Equal(expected, reported);
        Assert.Equal(expected, cut.Find("[data-testid=trust-json]").TextContent);
    }

    [Fact]
    public void Edit_OidcProviderWithoutAudience_AddsTheConfiguredClientIdAsAud()
    {
        // Arrange: a builder-shaped OIDC trust saved before audiences were required (SECURITY-CASES 104g).
        const string oidc = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
        string? reported = null;
        var json = RolesTrustBuilder.Build(new TrustBuilderModel { ProviderArn = oidc, Groups = ["staff"] });
        var audiences = new Dictionary<string, IReadOnlyList<string>> { [oidc] = ["portal-client"] };
        var cut = Render<TrustBuilder>(p => p.Add(c => c.Providers, [oidc]).Add(c => c.ProviderAudiences, audiences)
            .Add(c => c.Value, json).Add(c => c.ValueChanged, v => reported = v));

        // Act
        cut.Find("input[data-testid=trust-groups]").Input("staff, ops");

        // Assert
        var expected = RolesTrustBuilder.Build(new TrustBuilderModel { ProviderArn = oidc, Audiences = ["portal-client"], Groups = ["staff", "ops"] });
        Assert.Equal(expected, reported);
        Assert.Contains("\"idp.example.com:aud\": \"portal-client\"", reported, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BuilderShapedJson_FillsTheFields()
    {
        // Arrange
        var model = new TrustBuilderModel { ProviderArn = Saml, Groups = ["admins", "ops"], ClaimKey = "saml:sub", ClaimValue = "alice", RequireMfa = true };
        var json = RolesTrustBuilder.Build(model);

        // Act
        var cut = Render<TrustBuilder>(p => p.Add(c => c.Providers, [Saml]).Add(c => c.Value, json));

        // Assert
        Assert.Equal(model, cut.Instance.CurrentModel());
        Assert.Empty(cut.FindAll("[data-testid=trust-unsupported]"));
    }

    [Fact]
    public void Render_HandWrittenJson_SaysTheBuilderCannotShowIt()
    {
        // Act
        var cut = Render<TrustBuilder>(p => p.Add(c => c.Value,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"""));

        // Assert
        Assert.NotEmpty(cut.FindAll("[data-testid=trust-unsupported]"));
    }
}
