using Portal.Core.Sts;

namespace Portal.Core.Policies.Lint;

/// <summary>What a trust-policy finding is about.</summary>
public enum TrustPolicyRule
{
    /// <summary>An Allow statement trusts everyone (<c>"*"</c> or <c>{"AWS":"*"}</c>) with no condition at all.</summary>
    WildcardPrincipalWithoutCondition,

    /// <summary>An Allow statement trusts a web-identity provider without a condition on the token's audience.</summary>
    WebIdentityWithoutAudience,

    /// <summary>An Allow statement trusts a web-identity provider without a condition on the token's subject.</summary>
    WebIdentityWithoutSubject,
}

/// <summary>One reason a trust policy is too broad to save.</summary>
/// <param name="StatementIndex">Zero-based index of the statement.</param>
/// <param name="Sid">The statement's Sid, if any.</param>
/// <param name="Rule">The rule broken.</param>
/// <param name="Message">What is wrong and how to fix it, for the administrator.</param>
public sealed record TrustPolicyFinding(int StatementIndex, string? Sid, TrustPolicyRule Rule, string Message);

/// <summary>
/// Rejects trust policies that let anyone assume the role (SECURITY-CASES 104g, 77 (c)): an Allow statement for every principal
/// without any condition, and web-identity trust without both an audience (<c>provider:aud</c>) and a subject
/// (<c>provider:sub</c>) condition, as AWS guidance and IAM Access Analyzer's policy checks recommend. A condition only counts
/// when it can narrow the match: not negated, not <c>…IfExists</c>, and not only <c>"*"</c>. For Amazon Cognito the usual
/// pattern conditions on <c>amr</c> instead of <c>sub</c>, which is accepted. Deny statements only narrow trust and are not linted.
/// </summary>
public static class TrustPolicyLinter
{
    private const string WebIdentityAction = "sts:AssumeRoleWithWebIdentity";
    private const string CognitoProvider = "cognito-identity.amazonaws.com";
    private const string PortalKeyPrefix = "portal:";

    /// <summary>The findings for a parsed trust policy; empty when it may be saved.</summary>
    public static IReadOnlyList<TrustPolicyFinding> Lint(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var findings = new List<TrustPolicyFinding>();
        foreach (var statement in document.Statements)
        {
            if (statement.Effect != StatementEffect.Allow || statement.Principal is not { } principal)
            {
                continue;
            }

            var where = Where(statement);
            if (principal.Entries.Any(e => e.IsWildcard) && statement.Conditions.Length == 0)
            {
                findings.Add(new TrustPolicyFinding(statement.Index, statement.Sid, TrustPolicyRule.WildcardPrincipalWithoutCondition,
                    $"{where} trusts every principal (\"*\") without a condition, so anyone could assume the role. Name the principals, or add conditions that restrict who can."));
            }

            if (!AllowsWebIdentity(statement))
            {
                continue;
            }

            foreach (var provider in WebIdentityProviders(principal))
            {
                if (!HasNarrowingCondition(statement, provider, "aud"))
                {
                    findings.Add(new TrustPolicyFinding(statement.Index, statement.Sid, TrustPolicyRule.WebIdentityWithoutAudience,
                        $"{where} trusts {provider} without a condition on {provider}:aud, so tokens issued to any client of that provider would be accepted. Add e.g. \"StringEquals\": {{\"{provider}:aud\": \"<client id>\"}}."));
                }

                // A portal:* attribute (groups, email, …) names people signed in at the portal and is absent from tokens
                // presented directly to the API, so it narrows the subjects as a sub condition does.
                var subjectOk = HasNarrowingCondition(statement, provider, "sub")
                    || HasPortalAttributeCondition(statement)
                    || (string.Equals(provider, CognitoProvider, StringComparison.OrdinalIgnoreCase) && HasNarrowingCondition(statement, provider, "amr"));
                if (!subjectOk)
                {
                    findings.Add(new TrustPolicyFinding(statement.Index, statement.Sid, TrustPolicyRule.WebIdentityWithoutSubject,
                        $"{where} trusts {provider} without a condition on {provider}:sub, so every identity at that provider could assume the role. Add e.g. \"StringLike\": {{\"{provider}:sub\": \"repo:my-org/my-repo:*\"}}."));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// The IAM API's answer for a trust policy that fails the lint: <c>MalformedPolicyDocument</c> naming every finding; null when
    /// the policy passes or does not parse (parsing errors are reported by the ordinary validation).
    /// </summary>
    public static StsError? Check(string? trustPolicy)
    {
        if (string.IsNullOrEmpty(trustPolicy) || PolicyDocument.Parse(trustPolicy, PolicyKind.Trust).Document is not { } document)
        {
            return null;
        }

        var findings = Lint(document);
        return findings.Count == 0
            ? null
            : new StsError(StsErrorCode.MalformedPolicyDocument, "Trust policy is too permissive: " + string.Join(" ", findings.Select(f => f.Message)));
    }

    private static string Where(PolicyStatement statement) =>
        "Statement " + (statement.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + (statement.Sid is null ? string.Empty : " (" + statement.Sid + ")");

    private static bool AllowsWebIdentity(PolicyStatement statement) =>
        statement.IsNotAction
            ? !statement.ActionPatterns.Any(p => GlobMatcher.IsMatch(p, WebIdentityAction, ignoreCase: true))
            : statement.ActionPatterns.Any(p => GlobMatcher.IsMatch(p, WebIdentityAction, ignoreCase: true));

    /// <summary>
    /// The condition-key prefixes of the web-identity providers a statement trusts: the issuer host (and path) of an
    /// <c>oidc-provider</c> ARN, or a well-known provider name such as <c>accounts.google.com</c> (STS-SPEC web identity keys).
    /// SAML providers are left to the SAML rules; a wildcard principal is the first rule's concern.
    /// </summary>
    private static IEnumerable<string> WebIdentityProviders(PrincipalSpec principal)
    {
        foreach (var entry in principal.Entries)
        {
            if (entry.Type == PrincipalTypes.Federated && !entry.Value.Contains(":saml-provider/", StringComparison.Ordinal))
            {
                const string marker = ":oidc-provider/";
                var at = entry.Value.IndexOf(marker, StringComparison.Ordinal);
                yield return at >= 0 ? entry.Value[(at + marker.Length)..] : entry.Value;
            }
        }
    }

    private static bool HasNarrowingCondition(PolicyStatement statement, string provider, string claim) =>
        statement.Conditions.Any(c =>
            !c.Negated
            && !c.IfExists
            && c.Family == ConditionFamily.String
            && KeyMatches(c.Key, provider, claim)
            && c.Values.Any(v => v.Raw.Trim('*').Length > 0));

    private static bool HasPortalAttributeCondition(PolicyStatement statement) =>
        statement.Conditions.Any(c =>
            !c.Negated
            && !c.IfExists
            && c.Family == ConditionFamily.String
            && c.Key.StartsWith(PortalKeyPrefix, StringComparison.OrdinalIgnoreCase)
            && c.Values.Any(v => v.Raw.Trim('*').Length > 0));

    private static bool KeyMatches(string key, string provider, string claim) =>
        string.Equals(key, provider + ":" + claim, StringComparison.OrdinalIgnoreCase);
}
