using System.ComponentModel.DataAnnotations;
using Portal.Core.Downloads;
using Portal.Core.Sts;

namespace Portal.Services.Downloads;

/// <summary>The federation-profile form's input (STYLE I.3); the store re-checks everything on save.</summary>
public sealed class FederationProfileInput
{
    /// <summary>The profile name.</summary>
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(128, ErrorMessage = "Use at most 128 characters.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>What customers are told the profile is for.</summary>
    [StringLength(1000, ErrorMessage = "Keep the description under 1000 characters.")]
    public string? Description { get; set; }

    /// <summary>The bounding IAM user's account.</summary>
    [Required(ErrorMessage = "Choose an account.")]
    public string AccountId { get; set; } = string.Empty;

    /// <summary>The bounding IAM user's name.</summary>
    [Required(ErrorMessage = "Enter the IAM user whose permissions bound the downloads.")]
    public string UserName { get; set; } = string.Empty;

    /// <summary>The session-policy template.</summary>
    [Required(ErrorMessage = "Enter a policy template.")]
    public string PolicyTemplate { get; set; } = DefaultTemplate;

    /// <summary>The session duration in seconds.</summary>
    [Range(FederationProfileStore.MinDurationSeconds, StsEngine.MaxUserSessionSeconds, ErrorMessage = "Choose between 900 (15 minutes) and 129600 (36 hours) seconds.")]
    public int DurationSeconds { get; set; } = 3600;

    /// <summary>IdP groups allowed, one per line.</summary>
    public string AllowedGroups { get; set; } = string.Empty;

    /// <summary>People allowed (portal subject, or IAM user name or ARN), one per line.</summary>
    public string AllowedPeople { get; set; } = string.Empty;

    /// <summary>A starting template: each customer reads their own prefix of a bucket.</summary>
    public const string DefaultTemplate = """
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::downloads/${portal:username}/*"
                }
            ]
        }
        """;

    /// <summary>The draft the store saves.</summary>
    public FederationProfileDraft ToDraft() =>
        new(Name, Description, AccountId, UserName, PolicyTemplate, DurationSeconds, Split(AllowedGroups), Split(AllowedPeople));

    /// <summary>A form pre-filled from a profile.</summary>
    public static FederationProfileInput From(FederationProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new FederationProfileInput
        {
            Name = profile.Name,
            Description = profile.Description,
            AccountId = profile.AccountId,
            UserName = profile.UserName ?? string.Empty,
            PolicyTemplate = profile.PolicyTemplate,
            DurationSeconds = profile.DurationSeconds,
            AllowedGroups = string.Join('\n', profile.AllowedGroups),
            AllowedPeople = string.Join('\n', profile.AllowedPeople),
        };
    }

    private static string[] Split(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
