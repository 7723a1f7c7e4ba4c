namespace Portal.Core.Policies;

/// <summary>
/// A validated IAM policy document (STS-SPEC §7.1). Parse once with <see cref="Parse"/>, then evaluate many
/// times with <see cref="PolicyEvaluator"/>; statements are pre-split by effect for the hot path.
/// </summary>
public sealed class PolicyDocument
{
    /// <summary>The current policy language version; enables policy variables (§7.5).</summary>
    public const string Version20121017 = "2012-10-17";

    /// <summary>The legacy version, also assumed when Version is absent: variables are literal text.</summary>
    public const string Version20081017 = "2008-10-17";

    internal PolicyDocument(string text, PolicyKind kind, string? version, string? id, PolicyStatement[] statements)
    {
        Text = text;
        Kind = kind;
        Version = version;
        Id = id;
        Statements = statements;
        AllowStatements = statements.Where(s => s.Effect == StatementEffect.Allow).ToArray();
        DenyStatements = statements.Where(s => s.Effect == StatementEffect.Deny).ToArray();
    }

    /// <summary>The original JSON text, unchanged.</summary>
    public string Text { get; }

    /// <summary>The kind the document was validated as.</summary>
    public PolicyKind Kind { get; }

    /// <summary>The Version element, or null when absent (2008-10-17 rules apply).</summary>
    public string? Version { get; }

    /// <summary>The Id element, if any.</summary>
    public string? Id { get; }

    /// <summary>All statements in document order.</summary>
    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>The size IAM checks against its limits: characters excluding whitespace (§7.10).</summary>
    public int SizeWithoutWhitespace => CountNonWhitespaceCharacters(Text);

    internal PolicyStatement[] AllowStatements { get; }

    internal PolicyStatement[] DenyStatements { get; }

    /// <summary>
    /// Parses and validates <paramref name="json"/> as a policy of <paramref name="kind"/>. Every problem is
    /// reported with its 1-based line and column; nothing is thrown for malformed input.
    /// </summary>
    public static PolicyParseResult Parse(string json, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new PolicyParser(json, kind).Parse();
    }

    /// <summary>Counts characters that are not whitespace, as IAM does for policy size limits (STS-SPEC §7.10).</summary>
    public static int CountNonWhitespaceCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                count++;
            }
        }

        return count;
    }
}
