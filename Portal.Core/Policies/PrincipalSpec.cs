using Portal.Core.Identity;

namespace Portal.Core.Policies;

/// <summary>A parsed <c>Principal</c>/<c>NotPrincipal</c> element: entries OR-ed (STS-SPEC §7.2).</summary>
internal sealed class PrincipalSpec
{
    public PrincipalSpec(bool isNot, Entry[] entries)
    {
        IsNot = isNot;
        Entries = entries;
    }

    public bool IsNot { get; }

    public Entry[] Entries { get; }

    /// <summary>The statement-level match; for NotPrincipal, a caller not listed counts as <see cref="PrincipalMatch.Wildcard"/>.</summary>
    public PrincipalMatch Match(PolicyPrincipal? caller, out string? matchedValue)
    {
        var best = PrincipalMatch.None;
        matchedValue = null;
        foreach (var entry in Entries)
        {
            var match = entry.Match(caller);
            if (Rank(match) > Rank(best))
            {
                best = match;
                matchedValue = entry.Value;
            }
        }

        if (!IsNot)
        {
            return best;
        }

        matchedValue = null;
        return best == PrincipalMatch.None ? PrincipalMatch.Wildcard : PrincipalMatch.None;
    }

    private static int Rank(PrincipalMatch match) => match switch
    {
        PrincipalMatch.Direct => 3,
        PrincipalMatch.Account => 2,
        PrincipalMatch.Wildcard => 1,
        _ => 0,
    };

    /// <summary>One value of the element: its type key, text, and the account when it is an account principal.</summary>
    internal sealed class Entry
    {
        public Entry(string type, string value)
        {
            Type = type;
            Value = value;
            IsWildcard = value == "*";
            if (type == PrincipalTypes.Aws)
            {
                Account = AccountOf(value);
            }
        }

        public string Type { get; }

        public string Value { get; }

        public bool IsWildcard { get; }

        public string? Account { get; }

        public PrincipalMatch Match(PolicyPrincipal? caller)
        {
            // "*" (also {"AWS":"*"}) means everyone, including anonymous callers (§7.2).
            if (IsWildcard)
            {
                return PrincipalMatch.Wildcard;
            }

            if (caller is null || !string.Equals(caller.Type, Type, StringComparison.Ordinal))
            {
                return PrincipalMatch.None;
            }

            if (Account is not null)
            {
                return string.Equals(caller.AccountId, Account, StringComparison.Ordinal) ? PrincipalMatch.Account : PrincipalMatch.None;
            }

            var identifiers = caller.Identifiers;
            for (var i = 0; i < identifiers.Count; i++)
            {
                if (string.Equals(identifiers[i], Value, StringComparison.Ordinal))
                {
                    return PrincipalMatch.Direct;
                }
            }

            return PrincipalMatch.None;
        }

        /// <summary><c>"123456789012"</c> and <c>arn:PARTITION:iam::123456789012:root</c> both name the whole account (§7.2).</summary>
        private static string? AccountOf(string value)
        {
            if (AccountId.TryParse(value, out var bare))
            {
                return bare.Value;
            }

            return Arn.TryParse(value, out var arn) && arn.Service == "iam" && arn.Region.Length == 0
                && arn.Resource == "root" && arn.TryGetAccountId(out var account)
                ? account.Value
                : null;
        }
    }
}
