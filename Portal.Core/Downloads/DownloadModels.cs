using Portal.Core.Sts;

namespace Portal.Core.Downloads;

/// <summary>A customer-download profile (read model).</summary>
/// <param name="Id">The profile id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Description">What customers are told the profile is for.</param>
/// <param name="AccountId">The bounding IAM user's account.</param>
/// <param name="UserId">The bounding IAM user's unique id.</param>
/// <param name="UserName">The bounding IAM user's name, or null when that user no longer exists.</param>
/// <param name="PolicyTemplate">The session-policy template.</param>
/// <param name="DurationSeconds">The session duration.</param>
/// <param name="AllowedGroups">IdP groups whose members may use it.</param>
/// <param name="AllowedPeople">People who may use it (portal subject, or IAM user name or ARN).</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record FederationProfile(
    string Id,
    string Name,
    string? Description,
    string AccountId,
    string UserId,
    string? UserName,
    string PolicyTemplate,
    int DurationSeconds,
    IReadOnlyList<string> AllowedGroups,
    IReadOnlyList<string> AllowedPeople,
    DateTimeOffset UpdatedAt);

/// <summary>What an administrator submits to create or change a profile.</summary>
/// <param name="Name">The display name (1–128 characters, unique).</param>
/// <param name="Description">An optional description.</param>
/// <param name="AccountId">The bounding IAM user's account.</param>
/// <param name="UserName">The bounding IAM user's name.</param>
/// <param name="PolicyTemplate">The session-policy template.</param>
/// <param name="DurationSeconds">900–129600 (STS-SPEC §1.0.3, GetFederationToken).</param>
/// <param name="AllowedGroups">IdP groups.</param>
/// <param name="AllowedPeople">Portal subjects, IAM user names or ARNs.</param>
public sealed record FederationProfileDraft(
    string Name,
    string? Description,
    string AccountId,
    string UserName,
    string PolicyTemplate,
    int DurationSeconds,
    IReadOnlyList<string> AllowedGroups,
    IReadOnlyList<string> AllowedPeople);

/// <summary>The outcome of saving a profile: the profile, or one message per field (keys are the draft's member names).</summary>
/// <param name="Profile">The saved profile when there are no errors.</param>
/// <param name="Errors">Field name → message.</param>
public sealed record ProfileSaveResult(FederationProfile? Profile, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>True when the profile was saved.</summary>
    public bool Succeeded => Profile is not null && Errors.Count == 0;

    /// <summary>For an update: the profile as it was just before this save (null for a create or an unknown id).</summary>
    public FederationProfile? Previous { get; init; }
}

/// <summary>
/// A signed-in customer as customer downloads see them: what the profile's audience and template variables are matched
/// against, and the IssuedTo their sessions are recorded under (so "My sessions" lists and revokes them).
/// </summary>
/// <param name="Subject">The portal subject (<c>portal:sub</c>): provider and subject, or the local user's ARN.</param>
/// <param name="IssuedTo">The IssuedTo of the person's sessions.</param>
/// <param name="UserName">The person's user name (IdP display name, or the IAM user name for local sign-in).</param>
/// <param name="Email">The person's e-mail, when the sign-in carried one.</param>
/// <param name="Provider">The identity provider's ARN, or <c>local</c>.</param>
/// <param name="Groups">The IdP groups the sign-in carried.</param>
/// <param name="LocalUserArn">For local (IAM user) sign-ins: the user's ARN; null for federated people.</param>
public sealed record DownloadPerson(
    string Subject,
    string IssuedTo,
    string? UserName,
    string? Email,
    string Provider,
    IReadOnlyList<string> Groups,
    string? LocalUserArn = null)
{
    /// <summary>The identity the federated-user name is derived from: e-mail, else user name, else subject.</summary>
    public string NameSource => Email ?? UserName ?? Subject;
}

/// <summary>Why a download or link was refused.</summary>
public enum DownloadStatus
{
    /// <summary>Credentials were issued (or the link was created).</summary>
    Issued,

    /// <summary>No such profile (or link).</summary>
    NotFound,

    /// <summary>The profile does not admit this person.</summary>
    NotAllowed,

    /// <summary>The link belongs to someone else.</summary>
    NotOwner,

    /// <summary>The link has already been used.</summary>
    LinkUsed,

    /// <summary>The link has expired.</summary>
    LinkExpired,

    /// <summary>The profile cannot be rendered for this person, or the engine refused; see the message.</summary>
    Refused,
}

/// <summary>Credentials issued to a customer through a profile.</summary>
/// <param name="Credentials">The temporary credentials.</param>
/// <param name="FederatedUserArn">The federated user's ARN.</param>
/// <param name="ProfileName">The profile used.</param>
/// <param name="Format">The format the link asked for (null for direct downloads: the caller chose it).</param>
public sealed record FederatedDownload(IssuedCredentials Credentials, string FederatedUserArn, string ProfileName, string? Format);

/// <summary>The outcome of an issuance or a link operation.</summary>
/// <typeparam name="T">The success value.</typeparam>
/// <param name="Status">What happened.</param>
/// <param name="Value">The value when <see cref="DownloadStatus.Issued"/>.</param>
/// <param name="Message">A sentence for the person otherwise.</param>
public sealed record DownloadResult<T>(DownloadStatus Status, T? Value, string? Message)
    where T : class
{
    /// <summary>True when issued.</summary>
    public bool Succeeded => Status == DownloadStatus.Issued && Value is not null;
}

/// <summary>A new single-use link: the token appears only here, once (the database keeps its hash).</summary>
/// <param name="Token">The link token (base64url of 32 random bytes).</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="FederatedUserName">The federated-user name the download will carry.</param>
public sealed record NewDownloadLink(string Token, DateTimeOffset ExpiresAt, string FederatedUserName);
