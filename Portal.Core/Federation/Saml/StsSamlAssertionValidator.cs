using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Saml;

/// <summary>Looks up SAML providers registered in IAM (the host implements it from the database).</summary>
public interface ISamlProviderSource
{
    /// <summary>The provider for <c>arn:aws:iam::ACCT:saml-provider/NAME</c>, or null when none is registered.</summary>
    Task<SamlIdentityProvider?> FindByArnAsync(string providerArn, CancellationToken cancellationToken);
}

/// <summary>Options of <see cref="StsSamlAssertionValidator"/> (section <c>Sts:Saml</c>).</summary>
public sealed class StsSamlOptions
{
    /// <summary>The AWS SAML endpoint, always accepted as Recipient and Audience for parity (STS-SPEC §1.2).</summary>
    public const string AwsSignInSaml = "https://signin.aws.amazon.com/saml";

    /// <summary>The legacy AWS audience value.</summary>
    public const string AwsWebServicesUrn = "urn:amazon:webservices";

    /// <summary>Recipients accepted besides <see cref="AwsSignInSaml"/> (e.g. this installation's STS SAML URL).</summary>
    public IList<string> AdditionalRecipients { get; } = [];

    /// <summary>Audiences accepted besides <see cref="AwsSignInSaml"/> and <see cref="AwsWebServicesUrn"/>.</summary>
    public IList<string> AdditionalAudiences { get; } = [];

    /// <summary>Refuse a second AssumeRoleWithSAML with the same assertion (default false: SECURITY-CASES N.16).</summary>
    public bool EnforceOneTimeUse { get; set; }

    /// <summary>The attribute whose values become the <c>portal:groups</c> condition key, or null.</summary>
    public string? GroupsAttributeName { get; set; }

    /// <summary>Allowed clock skew (at most three minutes).</summary>
    public TimeSpan ClockSkew { get; set; } = SamlValidationParameters.DefaultClockSkew;

    /// <summary>SP certificates with private keys for encrypted assertions sent to the STS API.</summary>
    public IList<X509Certificate2> DecryptionCertificates { get; } = [];

    /// <summary>Every accepted Recipient/Destination.</summary>
    internal List<string> Recipients => [AwsSignInSaml, .. AdditionalRecipients];

    /// <summary>Every accepted Audience.</summary>
    internal List<string> Audiences => [AwsSignInSaml, AwsWebServicesUrn, .. AdditionalAudiences];
}

/// <summary>
/// The AssumeRoleWithSAML assertion check: verifies the response only against the provider named by
/// PrincipalArn (SECURITY-CASES 60), then maps the AWS attributes. Failures are InvalidIdentityToken, an expired
/// assertion is ExpiredTokenException (STS-SPEC §1.2, SECURITY-CASES 0.2).
/// </summary>
/// <param name="providers">The registered SAML providers.</param>
/// <param name="validator">The response validator.</param>
/// <param name="replayCache">Assertion-ID store (used when one-time use is enforced or OneTimeUse is asserted).</param>
/// <param name="options">Accepted recipients and audiences.</param>
/// <param name="timeProvider">The clock.</param>
public sealed class StsSamlAssertionValidator(
    ISamlProviderSource providers,
    SamlResponseValidator validator,
    ISamlReplayCache replayCache,
    IOptions<StsSamlOptions> options,
    TimeProvider timeProvider) : ISamlAssertionValidator
{
    /// <summary>The message AWS returns for a signature failure (observed, STS-SPEC §1.2).</summary>
    public const string SignatureInvalidMessage = "Response signature invalid";

    /// <inheritdoc />
    public async Task<StsOutcome<ValidatedSamlAssertion>> ValidateForStsAsync(string base64Response, string principalArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(base64Response);
        ArgumentNullException.ThrowIfNull(principalArn);
        var provider = await providers.FindByArnAsync(principalArn, cancellationToken).ConfigureAwait(false);
        if (provider is null)
        {
            return StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.InvalidIdentityToken, "The SAML provider named by PrincipalArn does not exist.");
        }

        var settings = options.Value;
        var parameters = new SamlValidationParameters
        {
            IdentityProvider = provider,
            ExpectedAudiences = settings.Audiences,
            ExpectedDestinations = settings.Recipients,
            IgnoreInResponseTo = true,
            ReplayCache = replayCache,
            EnforceOneTimeUse = settings.EnforceOneTimeUse,
            ClockSkew = settings.ClockSkew,
            DecryptionCertificates = [.. settings.DecryptionCertificates],
            TimeProvider = timeProvider,
        };

        var result = await validator.ValidateAsync(base64Response, parameters, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return StsOutcome<ValidatedSamlAssertion>.Failure(MapFailure(result.Reason.Value));
        }

        return AwsSamlAttributes.ToValidatedAssertion(result.Assertion, principalArn, provider, settings.GroupsAttributeName);
    }

    /// <summary>One place that turns a SAML reason code into the STS error a client sees; details stay in the log.</summary>
    internal static StsError MapFailure(SamlFailureReason reason) => reason switch
    {
        SamlFailureReason.Expired => new(StsErrorCode.ExpiredTokenException, "The SAML assertion has expired."),
        SamlFailureReason.SigMissing or SamlFailureReason.SigInvalid or SamlFailureReason.SigUntrustedKey or SamlFailureReason.SigRefNotParent
            or SamlFailureReason.SigRefForm or SamlFailureReason.SigDupId or SamlFailureReason.SigIdAttr or SamlFailureReason.SigAlg
            or SamlFailureReason.SigTransform or SamlFailureReason.SigStructure or SamlFailureReason.EncUnsigned
            => new(StsErrorCode.InvalidIdentityToken, SignatureInvalidMessage),
        SamlFailureReason.Issuer => new(StsErrorCode.InvalidIdentityToken, "The SAML assertion issuer does not match the SAML provider."),
        SamlFailureReason.Audience => new(StsErrorCode.InvalidIdentityToken, "The SAML assertion audience is not valid for this service."),
        SamlFailureReason.Recipient or SamlFailureReason.Destination => new(StsErrorCode.InvalidIdentityToken, "The SAML response recipient is not valid for this service."),
        SamlFailureReason.NotYetValid => new(StsErrorCode.InvalidIdentityToken, "The SAML assertion is not yet valid."),
        SamlFailureReason.Replay => new(StsErrorCode.InvalidIdentityToken, "The SAML assertion has already been used."),
        SamlFailureReason.Status => new(StsErrorCode.InvalidIdentityToken, "The SAML response status is not Success."),
        _ => new(StsErrorCode.InvalidIdentityToken, "The SAML response is not valid."),
    };
}
