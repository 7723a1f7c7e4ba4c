using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Portal.Authentication.Saml2;

/// <summary>
/// Fills a provider scheme's options from its database registration and the shared SP settings, plus the derived
/// defaults that need DI (data protection, clock). Runs for any scheme name; names without a registration are left alone.
/// </summary>
public sealed class Saml2PostConfigureOptions : IPostConfigureOptions<Saml2Options>
{
    private readonly SamlProviderSchemes _schemes;
    private readonly IDataProtectionProvider _dataProtection;
    private readonly IOptions<Saml2ServiceProviderOptions> _serviceProvider;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<X509Certificate2?> _signingCertificate;

    /// <summary>Creates the post-configuration.</summary>
    public Saml2PostConfigureOptions(SamlProviderSchemes schemes, IDataProtectionProvider dataProtection, IOptions<Saml2ServiceProviderOptions> serviceProvider, TimeProvider timeProvider)
    {
        _schemes = schemes;
        _dataProtection = dataProtection;
        _serviceProvider = serviceProvider;
        _timeProvider = timeProvider;
        _signingCertificate = new(() => serviceProvider.Value.SigningCertificatePath is { } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, serviceProvider.Value.SigningCertificatePassword)
            : null);
    }

    /// <inheritdoc />
    public void PostConfigure(string? name, Saml2Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_schemes.Find(name) is not { } registration)
        {
            return;
        }

        var sp = _serviceProvider.Value;
        options.IdentityProvider = registration.IdentityProvider;
        options.ProviderArn = registration.Arn;
        options.ServiceProvider = sp;
        options.GroupsAttributeName = registration.Settings.GroupsAttribute ?? sp.GroupsAttributeName;
        options.SigningCertificate ??= _signingCertificate.Value;
        options.TimeProvider ??= _timeProvider;
        options.DataProtectionProvider ??= _dataProtection;

        // STYLE rule 7: the purpose names the handler type, the scheme and a format version.
        options.StateDataFormat ??= new PropertiesDataFormat(options.DataProtectionProvider.CreateProtector(typeof(Saml2Handler).FullName!, name!, "v1"));
    }
}

/// <summary>Runs <see cref="Saml2Options.Validate()"/> with the scheme name when the options are built.</summary>
internal sealed class Saml2ValidateOptions : IValidateOptions<Saml2Options>
{
    public ValidateOptionsResult Validate(string? name, Saml2Options options)
    {
        if (name is null || !name.StartsWith(Saml2Defaults.SchemePrefix, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        options.Validate(name);
        return ValidateOptionsResult.Success;
    }
}
