namespace Portal.Core.Policies;

/// <summary>
/// One <c>OPERATOR: { KEY: values }</c> pair of a Condition block. All clauses of a statement are AND-ed;
/// values within a clause are OR-ed, and negated operators must match none of them (STS-SPEC §7.3, §7.4).
/// </summary>
internal sealed class ConditionClause
{
    public ConditionClause(string operatorName, ConditionOperator op, SetQualifier qualifier, bool ifExists, string key, ConditionValue[] values)
    {
        OperatorName = operatorName;
        Operator = op;
        Family = ConditionOperators.FamilyOf(op);
        Negated = ConditionOperators.IsNegated(op);
        Qualifier = qualifier;
        IfExists = ifExists;
        Key = key;
        Values = values;
    }

    public string OperatorName { get; }

    public ConditionOperator Operator { get; }

    public ConditionFamily Family { get; }

    public bool Negated { get; }

    public SetQualifier Qualifier { get; }

    public bool IfExists { get; }

    public string Key { get; }

    public ConditionValue[] Values { get; }

    public bool Evaluate(RequestContext context)
    {
        var present = context.TryGet(Key, out var requestValues) && requestValues.Count > 0;
        if (Family == ConditionFamily.Null)
        {
            // Null: "true" requires the key to be absent, "false" requires it to be present (§7.3).
            foreach (var value in Values)
            {
                if (value.BoolValue != present)
                {
                    return true;
                }
            }

            return false;
        }

        switch (Qualifier)
        {
            case SetQualifier.ForAnyValue:
                // §7.4: false when the key is absent or empty (IfExists turns that into true).
                if (!present)
                {
                    return IfExists;
                }

                for (var i = 0; i < requestValues!.Count; i++)
                {
                    if (MatchesAnyPolicyValue(requestValues[i], context) != Negated)
                    {
                        return true;
                    }
                }

                return false;

            case SetQualifier.ForAllValues:
                // §7.4: true when the key is absent or empty — dangerous with Allow, as AWS warns.
                if (!present)
                {
                    return true;
                }

                for (var i = 0; i < requestValues!.Count; i++)
                {
                    if (MatchesAnyPolicyValue(requestValues[i], context) == Negated)
                    {
                        return false;
                    }
                }

                return true;

            default:
                // §7.3: absent key → positive operators false, negated operators true; IfExists → true.
                if (!present)
                {
                    return IfExists || Negated;
                }

                var any = false;
                for (var i = 0; i < requestValues!.Count && !any; i++)
                {
                    any = MatchesAnyPolicyValue(requestValues[i], context);
                }

                return any != Negated;
        }
    }

    /// <summary>The positive form of the operator: does this request value match one of the policy values?</summary>
    private bool MatchesAnyPolicyValue(string requestValue, RequestContext context)
    {
        foreach (var policyValue in Values)
        {
            if (Matches(policyValue, requestValue, context))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(ConditionValue policyValue, string requestValue, RequestContext context)
    {
        switch (Family)
        {
            case ConditionFamily.String:
                var isLike = Operator is ConditionOperator.StringLike or ConditionOperator.StringNotLike;
                if (!TryResolve(policyValue, context, isLike, out var text, out var escaped))
                {
                    // §7.5: an unresolvable variable does not match (so negated operators succeed).
                    return false;
                }

                return Operator switch
                {
                    ConditionOperator.StringEqualsIgnoreCase or ConditionOperator.StringNotEqualsIgnoreCase =>
                        string.Equals(text, requestValue, StringComparison.OrdinalIgnoreCase),
                    ConditionOperator.StringLike or ConditionOperator.StringNotLike =>
                        GlobMatcher.IsMatch(text, requestValue, ignoreCase: false, escaped),
                    _ => string.Equals(text, requestValue, StringComparison.Ordinal),
                };

            case ConditionFamily.Arn:
                return TryResolve(policyValue, context, asGlobPattern: true, out var pattern, out var arnEscaped)
                    && ArnMatcher.IsMatch(pattern, requestValue, arnEscaped);

            case ConditionFamily.Bool:
                return TryResolve(policyValue, context, asGlobPattern: false, out var flag, out _)
                    && string.Equals(flag, requestValue, StringComparison.OrdinalIgnoreCase);

            case ConditionFamily.Numeric:
                return ConditionValue.TryParseNumber(requestValue, out var number) && Compare(number.CompareTo(policyValue.Number));

            case ConditionFamily.Date:
                return ConditionValue.TryParseDate(requestValue, out var date) && Compare(date.UtcTicks.CompareTo(policyValue.Date.UtcTicks));

            case ConditionFamily.Binary:
                var bytes = ConditionValue.TryDecodeBase64(requestValue);
                return bytes is not null && bytes.AsSpan().SequenceEqual(policyValue.Bytes);

            case ConditionFamily.Ip:
                return policyValue.Cidr!.Contains(requestValue);

            default:
                return false;
        }
    }

    /// <summary>Numeric/Date comparison: the request value is on the left (<c>request &lt; policy</c> for LessThan).</summary>
    private bool Compare(int order) => Operator switch
    {
        ConditionOperator.NumericLessThan or ConditionOperator.DateLessThan => order < 0,
        ConditionOperator.NumericLessThanEquals or ConditionOperator.DateLessThanEquals => order <= 0,
        ConditionOperator.NumericGreaterThan or ConditionOperator.DateGreaterThan => order > 0,
        ConditionOperator.NumericGreaterThanEquals or ConditionOperator.DateGreaterThanEquals => order >= 0,
        _ => order == 0,
    };

    private static bool TryResolve(ConditionValue value, RequestContext context, bool asGlobPattern, out string text, out bool escaped)
    {
        if (value.Template is null)
        {
            text = value.Raw;
            escaped = false;
            return true;
        }

        escaped = asGlobPattern;
        return value.Template.TryResolve(context, asGlobPattern, out text);
    }
}
