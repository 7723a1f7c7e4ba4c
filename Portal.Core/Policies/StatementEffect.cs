namespace Portal.Core.Policies;

/// <summary>The <c>Effect</c> element of a statement.</summary>
public enum StatementEffect
{
    /// <summary><c>"Allow"</c>.</summary>
    Allow,

    /// <summary><c>"Deny"</c>.</summary>
    Deny,
}
