namespace Portal.Core.Policies;

/// <summary>A parsed policy with the label decisions report it by.</summary>
/// <param name="Source">
/// A human label, e.g. <c>role/Admin inline policy ReadOnly</c>, <c>arn:aws:iam::123456789012:policy/P</c>,
/// <c>trust policy of arn:aws:iam::123456789012:role/R</c>, <c>session policy</c>.
/// </param>
/// <param name="Document">The parsed document.</param>
public sealed record NamedPolicy(string Source, PolicyDocument Document);
