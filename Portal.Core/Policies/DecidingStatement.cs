namespace Portal.Core.Policies;

/// <summary>The statement that decided a request, for audit logs and error messages.</summary>
/// <param name="PolicySource">The <see cref="NamedPolicy.Source"/> label of the policy.</param>
/// <param name="StatementIndex">0-based index of the statement in its policy.</param>
/// <param name="Sid">The statement's Sid, if any.</param>
public sealed record DecidingStatement(string PolicySource, int StatementIndex, string? Sid);
