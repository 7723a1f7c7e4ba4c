namespace Portal.Core.Policies;

/// <summary>One parsed statement of a <see cref="PolicyDocument"/>.</summary>
public sealed class PolicyStatement
{
    internal PolicyStatement(int index, string? sid, StatementEffect effect, PrincipalSpec? principal,
        string[] actions, bool notAction, ResourcePattern[]? resources, bool notResource, ConditionClause[] conditions)
    {
        Index = index;
        Sid = sid;
        Effect = effect;
        Principal = principal;
        ActionPatterns = actions;
        IsNotAction = notAction;
        ResourcePatterns = resources;
        IsNotResource = notResource;
        Conditions = conditions;
    }

    /// <summary>0-based position in the document's Statement list.</summary>
    public int Index { get; }

    /// <summary>The statement id, if any.</summary>
    public string? Sid { get; }

    /// <summary>Allow or Deny.</summary>
    public StatementEffect Effect { get; }

    /// <summary>The Action (or NotAction) patterns as written.</summary>
    public IReadOnlyList<string> Actions => ActionPatterns;

    /// <summary>True when <see cref="Actions"/> came from NotAction.</summary>
    public bool IsNotAction { get; }

    /// <summary>The Resource (or NotResource) patterns as written; empty when the statement has none (trust policies).</summary>
    public IReadOnlyList<string> Resources => ResourcePatterns?.Select(r => r.Raw).ToArray() ?? [];

    /// <summary>True when <see cref="Resources"/> came from NotResource.</summary>
    public bool IsNotResource { get; }

    internal PrincipalSpec? Principal { get; }

    internal string[] ActionPatterns { get; }

    internal ResourcePattern[]? ResourcePatterns { get; }

    internal ConditionClause[] Conditions { get; }

    /// <summary>Principal ∧ action ∧ resource ∧ conditions (STS-SPEC §7.2–§7.4). No allocation unless variables are resolved.</summary>
    internal bool Matches(RequestContext context, out PrincipalMatch principalMatch, out string? matchedPrincipal)
    {
        principalMatch = PrincipalMatch.None;
        matchedPrincipal = null;
        if (!MatchesAction(context.Action) || !MatchesResource(context))
        {
            return false;
        }

        if (Principal is not null)
        {
            principalMatch = Principal.Match(context.Principal, out matchedPrincipal);
            if (principalMatch == PrincipalMatch.None)
            {
                return false;
            }
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Evaluate(context))
            {
                principalMatch = PrincipalMatch.None;
                matchedPrincipal = null;
                return false;
            }
        }

        return true;
    }

    private bool MatchesAction(string action)
    {
        var any = false;
        foreach (var pattern in ActionPatterns)
        {
            if (pattern is "*" || GlobMatcher.IsMatch(pattern, action, ignoreCase: true))
            {
                any = true;
                break;
            }
        }

        return any != IsNotAction;
    }

    private bool MatchesResource(RequestContext context)
    {
        if (ResourcePatterns is null)
        {
            // Trust policies carry no Resource: the statement applies to the role it is attached to.
            return true;
        }

        var any = false;
        foreach (var pattern in ResourcePatterns)
        {
            if (pattern.Matches(context))
            {
                any = true;
                break;
            }
        }

        return any != IsNotResource;
    }
}
