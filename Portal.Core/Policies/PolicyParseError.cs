using System.Globalization;

namespace Portal.Core.Policies;

/// <summary>One problem found while parsing a policy document, located in the original text.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, in characters.</param>
/// <param name="Message">What is wrong, in words an administrator can act on.</param>
public sealed record PolicyParseError(int Line, int Column, string Message)
{
    /// <summary>Formats as <c>line 3, column 14: message</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: {Message}");
}
