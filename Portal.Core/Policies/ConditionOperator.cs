namespace Portal.Core.Policies;

/// <summary>The base condition operators of STS-SPEC §7.3 (without IfExists suffix or set qualifier).</summary>
internal enum ConditionOperator
{
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// <summary>How a condition compares values; decides value parsing and whether variables are allowed.</summary>
internal enum ConditionFamily
{
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// <summary>The <c>ForAnyValue:</c>/<c>ForAllValues:</c> prefix of STS-SPEC §7.4.</summary>
internal enum SetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}

internal static class ConditionOperators
{
    public static ConditionFamily FamilyOf(ConditionOperator op) => op switch
    {
        <= ConditionOperator.StringNotLike => ConditionFamily.String,
        <= ConditionOperator.NumericGreaterThanEquals => ConditionFamily.Numeric,
        <= ConditionOperator.DateGreaterThanEquals => ConditionFamily.Date,
        ConditionOperator.Bool => ConditionFamily.Bool,
        ConditionOperator.BinaryEquals => ConditionFamily.Binary,
        ConditionOperator.IpAddress or ConditionOperator.NotIpAddress => ConditionFamily.Ip,
        ConditionOperator.Null => ConditionFamily.Null,
        _ => ConditionFamily.Arn,
    };

    /// <summary>Negated operators must match none of the listed values (§7.3).</summary>
    public static bool IsNegated(ConditionOperator op) => op is ConditionOperator.StringNotEquals
        or ConditionOperator.StringNotEqualsIgnoreCase or ConditionOperator.StringNotLike
        or ConditionOperator.NumericNotEquals or ConditionOperator.DateNotEquals or ConditionOperator.NotIpAddress
        or ConditionOperator.ArnNotEquals or ConditionOperator.ArnNotLike;

    /// <summary>Only String, ARN and Bool values may hold policy variables (§7.5).</summary>
    public static bool AllowsVariables(ConditionFamily family) =>
        family is ConditionFamily.String or ConditionFamily.Arn or ConditionFamily.Bool;

    /// <summary>
    /// Splits a full operator name such as <c>ForAnyValue:StringLikeIfExists</c>. Names are matched
    /// case-insensitively. Returns an error message for unknown operators and qualifier misuse.
    /// </summary>
    public static string? TryParse(string name, out ConditionOperator op, out SetQualifier qualifier, out bool ifExists)
    {
        op = default;
        qualifier = SetQualifier.None;
        ifExists = false;
        var rest = name.AsSpan();
        var colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            var prefix = rest[..colon];
            if (prefix.Equals("ForAnyValue", StringComparison.OrdinalIgnoreCase))
            {
                qualifier = SetQualifier.ForAnyValue;
            }
            else if (prefix.Equals("ForAllValues", StringComparison.OrdinalIgnoreCase))
            {
                qualifier = SetQualifier.ForAllValues;
            }
            else
            {
                return $"unknown set qualifier \"{prefix}:\" in condition operator \"{name}\" (use ForAnyValue: or ForAllValues:)";
            }

            rest = rest[(colon + 1)..];
        }

        if (rest.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase))
        {
            ifExists = true;
            rest = rest[..^"IfExists".Length];
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetter(c))
            {
                return $"unknown condition operator \"{name}\"";
            }
        }

        if (rest.IsEmpty || !Enum.TryParse(rest, ignoreCase: true, out op))
        {
            return $"unknown condition operator \"{name}\"";
        }

        if (op == ConditionOperator.Null && ifExists)
        {
            return $"condition operator \"{name}\": IfExists cannot be used with Null";
        }

        if (op == ConditionOperator.Null && qualifier != SetQualifier.None)
        {
            return $"condition operator \"{name}\": a set qualifier cannot be used with Null";
        }

        return null;
    }
}
