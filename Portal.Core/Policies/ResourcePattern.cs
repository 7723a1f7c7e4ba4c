namespace Portal.Core.Policies;

/// <summary>One entry of a Resource/NotResource element (STS-SPEC §7.2).</summary>
internal sealed class ResourcePattern
{
    public ResourcePattern(string raw, PolicyTemplate? template)
    {
        Raw = raw;
        Template = template;
        IsAny = raw == "*";
    }

    public string Raw { get; }

    public PolicyTemplate? Template { get; }

    public bool IsAny { get; }

    public bool Matches(RequestContext context)
    {
        if (IsAny)
        {
            return true;
        }

        if (Template is null)
        {
            return ArnMatcher.IsMatch(Raw, context.Resource);
        }

        // §7.5: an entry whose variable cannot be resolved matches nothing.
        return Template.TryResolve(context, asGlobPattern: true, out var pattern)
            && ArnMatcher.IsMatch(pattern, context.Resource, escapes: true);
    }
}
