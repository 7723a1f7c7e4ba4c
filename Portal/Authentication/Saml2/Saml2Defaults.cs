namespace Portal.Authentication.Saml2;

/// <summary>Constants of the portal's SAML 2.0 service provider (aspnetcore <c>*Defaults</c> habit).</summary>
public static class Saml2Defaults
{
    /// <summary>Every provider's scheme is this prefix plus the provider name, e.g. <c>saml:Corp</c>.</summary>
    public const string SchemePrefix = "saml:";

    /// <summary>The SP base path; the default entityID is the origin plus this path.</summary>
    public const string BasePath = "/saml";

    /// <summary>The one Assertion Consumer Service for every IdP (HTTP-POST binding).</summary>
    public const string CallbackPath = BasePath + "/acs";

    /// <summary>The Single Logout endpoint (HTTP-Redirect binding) for LogoutRequests and LogoutResponses from IdPs.</summary>
    public const string SingleLogoutPath = BasePath + "/slo";

    /// <summary>Prefix of the pending-LogoutRequest cookie (its name ends with the RelayState nonce).</summary>
    public const string LogoutStateCookiePrefix = ".Portal.Saml2Logout.";

    /// <summary>The audit action of every SAML Single Logout decision.</summary>
    public const string LogoutAuditAction = "signout.saml";

    /// <summary>The audit message of a refused Single Logout message.</summary>
    public const string LogoutRejectedEvent = "saml.slo.rejected";

    /// <summary>The claim keeping the IdP's NameID value, for the LogoutRequest (SAML Core §3.7.1).</summary>
    public const string NameIdClaimType = "portal:saml_nameid";

    /// <summary>The claim keeping the NameID Format.</summary>
    public const string NameIdFormatClaimType = "portal:saml_nameid_format";

    /// <summary>The claim keeping the NameID NameQualifier.</summary>
    public const string NameQualifierClaimType = "portal:saml_name_qualifier";

    /// <summary>The claim keeping the NameID SPNameQualifier.</summary>
    public const string SpNameQualifierClaimType = "portal:saml_sp_name_qualifier";

    /// <summary>The claim keeping the AuthnStatement SessionIndex.</summary>
    public const string SessionIndexClaimType = "portal:saml_session_index";

    /// <summary>The SP metadata document.</summary>
    public const string MetadataPath = BasePath + "/metadata";

    /// <summary>The challenge endpoint: <c>GET /saml/login/{provider}?returnUrl=/local/path</c>.</summary>
    public const string LoginPathPrefix = BasePath + "/login";

    /// <summary>Prefix of the per-request state cookie (its name ends with the RelayState nonce).</summary>
    public const string StateCookiePrefix = ".Portal.Saml2.";

    /// <summary>The audit action of every SAML sign-in decision.</summary>
    public const string AuditAction = "signin.saml";

    /// <summary>The audit message of an ACS rejection (SECURITY-CASES 0.2 names the event <c>saml.acs.rejected</c>).</summary>
    public const string RejectedEvent = "saml.acs.rejected";

    /// <summary>The value of <c>portal:method</c> for SAML sign-ins.</summary>
    public const string Method = "saml";

    /// <summary>The claim type keeping each AWS Role attribute value as <c>roleArn,providerArn</c>.</summary>
    public const string RoleClaimType = "portal:saml_role";

    /// <summary>The configuration section of <see cref="Saml2ServiceProviderOptions"/>.</summary>
    public const string SectionName = "Saml2";

    /// <summary>The configuration section of Core's <c>StsSamlOptions</c>.</summary>
    public const string StsSectionName = "Sts:Saml";

    /// <summary>The scheme name of a provider.</summary>
    public static string SchemeName(string providerName) => SchemePrefix + providerName;
}
