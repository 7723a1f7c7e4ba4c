using System.Globalization;
using Portal.Core.Iam;

namespace Portal.Core.Sts;

/// <summary>Session tag rules (STS-SPEC §1.0.5): counts, key/value shapes, case-insensitive keys, transitive keys.</summary>
internal static class SessionTags
{
    public const int MaxTags = 50;

    public static void ValidateShape(ParameterValidator v, IReadOnlyList<Tag> tags, IReadOnlyList<string> transitiveKeys)
    {
        v.Count("tags", tags.Count, MaxTags);
        for (var i = 0; i < tags.Count; i++)
        {
            var keyMember = string.Create(CultureInfo.InvariantCulture, $"tags.{i + 1}.member.key");
            var valueMember = string.Create(CultureInfo.InvariantCulture, $"tags.{i + 1}.member.value");
            v.Required(keyMember, tags[i].Key);
            v.Required(valueMember, tags[i].Value);
            v.Length(keyMember, tags[i].Key, 1, 128);
            v.Pattern(keyMember, tags[i].Key, StsPatterns.IsTagChar, StsPatterns.TagKeyPattern);
            v.Length(valueMember, tags[i].Value, 0, 256);
            v.Pattern(valueMember, tags[i].Value, StsPatterns.IsTagChar, StsPatterns.TagValuePattern);
        }

        v.Count("transitiveTagKeys", transitiveKeys.Count, MaxTags);
        for (var i = 0; i < transitiveKeys.Count; i++)
        {
            var member = string.Create(CultureInfo.InvariantCulture, $"transitiveTagKeys.{i + 1}.member");
            v.Length(member, transitiveKeys[i], 1, 128);
            v.Pattern(member, transitiveKeys[i], StsPatterns.IsTagChar, StsPatterns.TagKeyPattern);
        }
    }

    /// <summary>Semantic rules after the shape is valid; returns the error or null.</summary>
    public static StsError? ValidateSemantics(IReadOnlyList<Tag> tags, IReadOnlyList<string> transitiveKeys, IReadOnlyList<string> inheritedTransitiveKeys)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in tags)
        {
            if (t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || t.Value.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                return new StsError(StsErrorCode.ValidationError, $"Tag keys and values may not start with 'aws:' (tag '{t.Key}').");
            }

            if (!seen.Add(t.Key))
            {
                return new StsError(StsErrorCode.ValidationError, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }

            if (inheritedTransitiveKeys.Contains(t.Key, StringComparer.OrdinalIgnoreCase))
            {
                return new StsError(StsErrorCode.ValidationError, $"The tag key '{t.Key}' collides with a transitive tag inherited from the calling session; transitive tags cannot be overridden in a role chain.");
            }
        }

        foreach (var k in transitiveKeys)
        {
            if (!seen.Contains(k))
            {
                return new StsError(StsErrorCode.ValidationError, $"The transitive tag key '{k}' is not one of the session tags.");
            }
        }

        return null;
    }
}
