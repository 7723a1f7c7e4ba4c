namespace Portal.Core.Policies;

/// <summary>The result of <see cref="PolicyEvaluator.Evaluate"/>.</summary>
/// <param name="Effect">Allow, explicit deny or implicit deny.</param>
/// <param name="DecidingStatement">The first matching Deny (explicit deny), the first matching Allow (allow), or null (implicit deny).</param>
/// <param name="PrincipalMatch">For statements with a Principal (resource and trust policies): how it matched the caller.</param>
/// <param name="MatchedPrincipal">The Principal value that named the caller when <paramref name="PrincipalMatch"/> is Direct or Account.</param>
public sealed record PolicyDecision(PolicyEffect Effect, DecidingStatement? DecidingStatement, PrincipalMatch PrincipalMatch, string? MatchedPrincipal)
{
    /// <summary>The decision when no statement matched.</summary>
    public static PolicyDecision ImplicitDeny { get; } = new(PolicyEffect.ImplicitDeny, null, PrincipalMatch.None, null);
}
