using Portal.Authentication.Saml2;
using Portal.Core.Federation.Saml;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

/// <summary>
/// Every rejection case of the shared <see cref="SamlAttackCases"/> table (SECURITY-CASES groups A–E) posted through
/// the real ACS of the host, for a live AuthnRequest of this browser, with the rejection contract of §0.2.
/// </summary>
public sealed class Saml2AcsAttackTests : IClassFixture<Saml2AppFactory>
{
    private const string Solicited = "Atk";
    private const string ResponseSigning = "AtkResp";
    private const string IdpInitiated = "AtkInit";
    private const string ResponseSigningEntityId = "https://idp-resp.test/";
    private const string IdpInitiatedEntityId = "https://idp-init.test/";
    private readonly Saml2AppFactory _factory;

    public Saml2AcsAttackTests(Saml2AppFactory factory) => _factory = factory;

    [Theory]
    [MemberData(nameof(SamlAttackCases.Names), MemberType = typeof(SamlAttackCases))]
    public async Task Acs_CatalogAttack_IsRejectedWithGenericPageAndAuditedReason(string name)
    {
        // Arrange: the same IdP key for every provider; the setups differ only in entity ID and settings.
        var attack = SamlAttackCases.Get(name);
        await _factory.RegisterProviderAsync(Solicited, TestIdp.EntityId, new SamlProviderSettings(), TestIdp.Idp);
        await _factory.RegisterProviderAsync(ResponseSigning, ResponseSigningEntityId, new SamlProviderSettings { WantAssertionsSigned = false }, TestIdp.Idp);
        await _factory.RegisterProviderAsync(IdpInitiated, IdpInitiatedEntityId, new SamlProviderSettings { AllowIdpInitiated = true }, TestIdp.Idp);
        var browser = _factory.CreateBrowser();
        string? relayState = null;
        string? cookies = null;
        var context = SamlCaseContext.Golden;
        switch (attack.Setup)
        {
            case SamlCaseSetup.Solicited:
            case SamlCaseSetup.SolicitedResponseSigning:
                var provider = attack.Setup == SamlCaseSetup.Solicited ? Solicited : ResponseSigning;
                (var request, relayState, _, cookies) = await Saml2Browser.ChallengeAsync(browser, provider);
                context = new SamlCaseContext(request.DocumentElement!.GetAttribute("ID"), provider == Solicited ? TestIdp.EntityId : ResponseSigningEntityId);
                break;
            case SamlCaseSetup.UnsolicitedAllowed:
                context = new SamlCaseContext(Issuer: IdpInitiatedEntityId);
                break;
        }

        // Act
        var result = await Saml2Browser.PostAcsAsync(browser, attack.Build(context), relayState, cookies);

        // Assert
        await Saml2Browser.AssertRejectedAsync(_factory, result, attack.Expected.ToCode());
    }
}
