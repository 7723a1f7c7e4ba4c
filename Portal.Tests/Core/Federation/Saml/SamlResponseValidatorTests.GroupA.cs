using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>
/// The rejection cases of SECURITY-CASES groups A–E, from the shared <see cref="SamlAttackCases"/> table (the ACS tests
/// post the same table through the real host).
/// </summary>
public partial class SamlResponseValidatorTests
{
    [Theory]
    [MemberData(nameof(SamlAttackCases.Names), MemberType = typeof(SamlAttackCases))]
    public async Task ValidateAsync_CatalogAttack_IsRejectedWithItsReason(string name)
    {
        // Arrange
        var attack = SamlAttackCases.Get(name);
        var encoded = attack.Build(SamlCaseContext.Golden);
        var parameters = attack.Setup switch
        {
            SamlCaseSetup.SolicitedResponseSigning => CreateParameters(TestIdp.Provider(wantAssertionsSigned: false)),
            SamlCaseSetup.Unsolicited => CreateParameters(inResponseTo: null),
            SamlCaseSetup.UnsolicitedAllowed => CreateParameters(TestIdp.Provider(allowIdpInitiated: true), inResponseTo: null),
            _ => CreateParameters(),
        };

        // Act
        var result = await new SamlResponseValidator().ValidateAsync(encoded, parameters, CancellationToken.None);

        // Assert
        AssertRejected(result, attack.Expected);
    }
}
