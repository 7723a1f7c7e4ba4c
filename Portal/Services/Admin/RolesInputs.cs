using System.ComponentModel.DataAnnotations;
using Portal.Core.Iam;

namespace Portal.Services.Admin;

/// <summary>The role form's input (STYLE I.3: the UI edits its own record, validated with data annotations).</summary>
public sealed class RoleInput : IValidatableObject
{
    /// <summary>The role name (IAM roleNameType: 1–64 of <c>[\w+=,.@-]</c>).</summary>
    [Required(ErrorMessage = "Enter a role name.")]
    [RegularExpression(@"^[\w+=,.@-]{1,64}$", ErrorMessage = "Use 1–64 letters, digits or + = , . @ _ -.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>An optional description.</summary>
    [StringLength(1000, ErrorMessage = "Keep the description under 1000 characters.")]
    public string? Description { get; set; }

    /// <summary>The longest session this role issues, in seconds.</summary>
    [Range(IamDirectory.MinRoleSessionDuration, IamDirectory.MaxRoleSessionDuration, ErrorMessage = "Choose between 3600 (1 hour) and 43200 (12 hours) seconds.")]
    public int MaxSessionDuration { get; set; } = IamDirectory.MinRoleSessionDuration;

    /// <summary>Tags, one <c>key=value</c> per line.</summary>
    public string Tags { get; set; } = string.Empty;

    /// <summary>The parsed <see cref="Tags"/>; lines without '=' are reported by <see cref="Validate"/>.</summary>
    public IReadOnlyList<Tag> ParsedTags() =>
        Tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => new Tag(parts[0].Trim(), parts[1].Trim()))
            .ToList();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var lines = Tags.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var parts = line.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length is 0 or > 128 || parts[1].Trim().Length > 256)
            {
                yield return new ValidationResult($"\"{line}\" is not key=value (key 1–128, value up to 256 characters).", [nameof(Tags)]);
            }
            else if (!keys.Add(parts[0].Trim()))
            {
                yield return new ValidationResult($"The tag key \"{parts[0].Trim()}\" appears twice.", [nameof(Tags)]);
            }
        }

        // IAM allows at most 50 tags per role.
        if (lines.Length > 50)
        {
            yield return new ValidationResult("A role can have at most 50 tags.", [nameof(Tags)]);
        }
    }

    /// <summary>A form pre-filled from an existing role.</summary>
    public static RoleInput From(RoleInfo role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new RoleInput
        {
            Name = role.Name,
            Description = role.Description,
            MaxSessionDuration = role.MaxSessionDuration,
            Tags = string.Join('\n', role.Tags.Select(t => t.Key + "=" + t.Value)),
        };
    }
}

/// <summary>The form creating a customer-managed policy.</summary>
public sealed class ManagedPolicyInput
{
    /// <summary>The policy name (1–128 of <c>[\w+=,.@-]</c>).</summary>
    [Required(ErrorMessage = "Enter a policy name.")]
    [RegularExpression(@"^[\w+=,.@-]{1,128}$", ErrorMessage = "Use 1–128 letters, digits or + = , . @ _ -.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>An optional description.</summary>
    [StringLength(1000)]
    public string? Description { get; set; }

    /// <summary>The policy JSON.</summary>
    [Required(ErrorMessage = "Enter a policy document.")]
    public string Document { get; set; } = string.Empty;
}

/// <summary>A role with its permission policies (read model of the role page).</summary>
/// <param name="Role">The role.</param>
/// <param name="InlinePolicies">Its inline policies.</param>
/// <param name="AttachedPolicies">Its attached managed policies.</param>
public sealed record RoleDetails(RoleInfo Role, IReadOnlyList<InlinePolicyInfo> InlinePolicies, IReadOnlyList<ManagedPolicyInfo> AttachedPolicies);

/// <summary>The answer of a simulated AssumeRole.</summary>
/// <param name="Allowed">True when the trust (and, for IAM users, identity) policies allow it.</param>
/// <param name="Explanation">Why, in words.</param>
/// <param name="DecidingStatement">The statement that decided, e.g. <c>trust policy of … statement #1 (Sid TrustIamPrincipals)</c>.</param>
public sealed record AssumeSimulation(bool Allowed, string Explanation, string? DecidingStatement);

/// <summary>An IAM user who can assume a role.</summary>
/// <param name="UserArn">The user's ARN.</param>
/// <param name="NeedsMfa">True when the user can only assume the role after MFA.</param>
public sealed record AssumeCandidate(string UserArn, bool NeedsMfa);
