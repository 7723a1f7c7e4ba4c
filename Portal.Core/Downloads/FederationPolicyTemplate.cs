using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Policies;

namespace Portal.Core.Downloads;

/// <summary>A problem in a profile's policy template, with its place in the template (1-based; 0 when not tied to a place).</summary>
/// <param name="Line">The line.</param>
/// <param name="Column">The column.</param>
/// <param name="Message">What is wrong.</param>
public sealed record TemplateError(int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"Line {Line}, column {Column}: {Message}") : Message;
}

/// <summary>The outcome of rendering: the session policy, or why it cannot be rendered.</summary>
/// <param name="Policy">The rendered policy JSON when there are no errors.</param>
/// <param name="Errors">The problems.</param>
public sealed record TemplateRenderResult(string? Policy, IReadOnlyList<TemplateError> Errors)
{
    /// <summary>True when <see cref="Policy"/> is a valid session policy.</summary>
    public bool Succeeded => Policy is not null && Errors.Count == 0;
}

/// <summary>
/// Profile policy templates: a session policy (STS-SPEC §1.0.5) in which <c>${portal:username}</c>, <c>${portal:sub}</c>,
/// <c>${portal:email}</c> and <c>${portal:provider}</c> stand for the customer. Other <c>${…}</c> (e.g. <c>${aws:username}</c>)
/// are left to the engine's own policy variables (§7.5).
/// </summary>
public static partial class FederationPolicyTemplate
{
    /// <summary>The longest session policy GetFederationToken accepts (STS-SPEC §1.5, policyMax 2048).</summary>
    public const int MaxPolicyLength = 2048;

    /// <summary>The variables a template may use.</summary>
    public static IReadOnlyList<string> Variables { get; } = ["portal:username", "portal:sub", "portal:email", "portal:provider"];

    /// <summary>
    /// Checks a template as administrators save it: only known <c>portal:</c> variables, and a valid session policy when
    /// parsed as written (the variables are left in place, so every line and column refers to the template itself).
    /// </summary>
    public static IReadOnlyList<TemplateError> Validate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<TemplateError>();
        foreach (Match m in PortalVariable().Matches(template))
        {
            if (!Variables.Contains(m.Groups["name"].Value, StringComparer.Ordinal))
            {
                var (line, column) = Position(template, m.Index);
                errors.Add(new TemplateError(line, column, $"Unknown variable {m.Value}. Use {string.Join(", ", Variables.Select(v => "${" + v + "}"))}."));
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var parsed = PolicyDocument.Parse(template, PolicyKind.Session);
        return parsed.Succeeded ? [] : parsed.Errors.Select(e => new TemplateError(e.Line, e.Column, e.Message)).ToList();
    }

    /// <summary>
    /// Renders the template for <paramref name="person"/>. Each value is JSON-escaped, so it cannot leave its string; and a
    /// value containing <c>*</c>, <c>?</c> or <c>$</c> is refused, because inside a Resource or condition value it would
    /// be a wildcard (or a policy variable) and could widen the policy to other customers' resources.
    /// </summary>
    public static TemplateRenderResult Render(string template, DownloadPerson person)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(person);
        var errors = new List<TemplateError>();
        var text = new StringBuilder(template.Length);
        var last = 0;
        foreach (Match m in PortalVariable().Matches(template))
        {
            text.Append(template, last, m.Index - last);
            last = m.Index + m.Length;
            var name = m.Groups["name"].Value;
            var value = ValueOf(name, person);
            if (!Variables.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new TemplateError(0, 0, $"The profile uses an unknown variable {m.Value}."));
            }
            else if (string.IsNullOrEmpty(value))
            {
                errors.Add(new TemplateError(0, 0, $"Your sign-in carries no value for {m.Value}, which this profile's policy needs."));
            }
            else if (value.AsSpan().IndexOfAny('*', '?', '$') >= 0)
            {
                errors.Add(new TemplateError(0, 0, $"Your value for {m.Value} contains '*', '?' or '$', which would act as a wildcard in the policy."));
            }
            else
            {
                AppendJsonEscaped(text, value);
            }
        }

        text.Append(template, last, template.Length - last);
        if (errors.Count > 0)
        {
            return new TemplateRenderResult(null, errors);
        }

        var policy = text.ToString();
        if (policy.Length > MaxPolicyLength)
        {
            return new TemplateRenderResult(null, [new TemplateError(0, 0, string.Create(CultureInfo.InvariantCulture, $"The rendered policy has {policy.Length} characters; GetFederationToken accepts at most {MaxPolicyLength}."))]);
        }

        var parsed = PolicyDocument.Parse(policy, PolicyKind.Session);
        return parsed.Succeeded
            ? new TemplateRenderResult(policy, [])
            : new TemplateRenderResult(null, parsed.Errors.Select(e => new TemplateError(e.Line, e.Column, e.Message)).ToList());
    }

    private static string? ValueOf(string name, DownloadPerson person) => name switch
    {
        "portal:username" => person.UserName,
        "portal:sub" => person.Subject,
        "portal:email" => person.Email,
        "portal:provider" => person.Provider,
        _ => null,
    };

    /// <summary>RFC 8259 §7: quotation mark, reverse solidus and control characters are escaped, so nothing can end the string.</summary>
    private static void AppendJsonEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                // Also everything above Latin-1: the session-policy character set is \t, \n, \r and U+0020–U+00FF (§1.0.5).
                case < ' ' or > '\u00FF':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    [GeneratedRegex(@"\$\{(?<name>portal:[^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PortalVariable();
}
