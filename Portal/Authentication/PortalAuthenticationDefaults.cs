namespace Portal.Authentication;

/// <summary>Scheme and policy names of the portal's sign-in, shared by every sign-in method.</summary>
public static class PortalAuthenticationDefaults
{
    /// <summary>The cookie of a fully signed-in person (after any required MFA).</summary>
    public const string CookieScheme = "Portal";

    /// <summary>The cookie of a local user who passed the password step but not yet TOTP (SECURITY-CASES 103: its own scheme).</summary>
    public const string PartialScheme = "Portal.Partial";

    /// <summary>Policy: any signed-in person.</summary>
    public const string UserPolicy = "PortalUser";

    /// <summary>Policy: administrators (portal:Administer, or a configured administrators group), with MFA.</summary>
    public const string AdministratorPolicy = "PortalAdministrator";

    /// <summary>The sign-in page.</summary>
    public const string SignInPath = "/account/signin";

    /// <summary>The sign-out endpoint (POST).</summary>
    public const string SignOutPath = "/account/signout";

    /// <summary>The access-denied page.</summary>
    public const string AccessDeniedPath = "/account/denied";
}

/// <summary>Claim types of the portal principal.</summary>
public static class PortalClaimTypes
{
    /// <summary>A stable subject id: the provider ARN and its subject, or a local user's ARN.</summary>
    public const string Subject = "portal:sub";

    /// <summary>The display name (also the identity's Name).</summary>
    public const string Name = "name";

    /// <summary>E-mail address.</summary>
    public const string Email = "email";

    /// <summary>One claim per group.</summary>
    public const string Group = "groups";

    /// <summary>The identity provider's ARN, or "local" for break-glass sign-in.</summary>
    public const string Provider = "portal:provider";

    /// <summary>"saml", "oidc" or "local".</summary>
    public const string Method = "portal:method";

    /// <summary>Authentication methods; contains "mfa" when MFA was done (at a trusted IdP or the portal's TOTP step).</summary>
    public const string AuthenticationMethod = "amr";

    /// <summary>"administrator" for people allowed to administer the portal (decided at sign-in).</summary>
    public const string Role = "portal:role";

    /// <summary>The value of <see cref="Role"/> for administrators.</summary>
    public const string AdministratorRole = "administrator";

    /// <summary>The local IAM user's unique id (AIDA…), for break-glass sign-in.</summary>
    public const string UserId = "portal:user_id";

    /// <summary>The local IAM user's account.</summary>
    public const string AccountId = "portal:account";

    /// <summary>
    /// Prefix of claims that carry trust-policy condition keys, e.g. <c>ck:saml:sub</c>, <c>ck:portal:groups</c>,
    /// <c>ck:idp.example.com:sub</c>: the person is evaluated as AssumeRoleWithSAML / WithWebIdentity would evaluate them.
    /// </summary>
    public const string ConditionKeyPrefix = "ck:";
}
