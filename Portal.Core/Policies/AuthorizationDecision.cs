namespace Portal.Core.Policies;

/// <summary>The result of <see cref="PolicyEvaluator.Authorize"/>.</summary>
/// <param name="Allowed">True when the request may proceed.</param>
/// <param name="Effect">Allow, explicit deny, or implicit deny (every refusal without a matching Deny).</param>
/// <param name="DecidingStatement">The Deny that matched, the Allow that granted, or null.</param>
/// <param name="Reason">A short machine-readable reason, one of <see cref="AuthorizationReasons"/>.</param>
public sealed record AuthorizationDecision(bool Allowed, PolicyEffect Effect, DecidingStatement? DecidingStatement, string Reason);
