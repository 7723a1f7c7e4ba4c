using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;
using Portal.Core.Persistence.Stores;
using Portal.Core.Sts;

namespace Portal.Core.Downloads;

/// <summary>Stores customer-download profiles and decides who may use them.</summary>
public sealed class FederationProfileStore
{
    /// <summary>The shortest GetFederationToken session (STS-SPEC §1.0.3).</summary>
    public const int MinDurationSeconds = 900;

    private const int MaxNameLength = 128;
    private const int MaxDescriptionLength = 1000;
    private const int MaxEntryLength = 2048;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly IamDirectory _directory;
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    public FederationProfileStore(IDbContextFactory<PortalDbContext> dbFactory, IamDirectory directory, TimeProvider time)
    {
        _dbFactory = dbFactory;
        _directory = directory;
        _time = time;
    }

    /// <summary>Every profile, by name.</summary>
    public async Task<IReadOnlyList<FederationProfile>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.FederationProfiles.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        var result = new List<FederationProfile>(rows.Count);
        foreach (var row in rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
        {
            result.Add(await ToModelAsync(row, ct).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>One profile, or null.</summary>
    public async Task<FederationProfile?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await db.FederationProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        return row is null ? null : await ToModelAsync(row, ct).ConfigureAwait(false);
    }

    /// <summary>Creates a profile, or returns a message per invalid field.</summary>
    public Task<ProfileSaveResult> CreateAsync(FederationProfileDraft draft, CancellationToken ct = default) => SaveAsync(null, draft, ct);

    /// <summary>Changes a profile, or returns a message per invalid field (key <c>Id</c> when the profile is gone).</summary>
    public Task<ProfileSaveResult> UpdateAsync(string id, FederationProfileDraft draft, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return SaveAsync(id, draft, ct);
    }

    /// <summary>Deletes a profile and its unused links; returns the profile as it was, or null when it does not exist.</summary>
    public async Task<FederationProfile?> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await db.FederationProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        // The profile as read is what the audit records as "before"; only the delete that removed it reports it.
        var deleted = await db.FederationProfiles.Where(p => p.Id == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        await db.DownloadLinks.Where(l => l.ProfileId == id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        return deleted > 0 ? await ToModelAsync(row, ct).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// True when <paramref name="profile"/> admits <paramref name="person"/>: one of the person's IdP groups is allowed, or
    /// the person is named by portal subject (or, for a local sign-in, by IAM user ARN or name). Ordinal comparisons: IdPs
    /// send groups and subjects case-sensitively, and a display name is never matched (it is not unique at an IdP).
    /// </summary>
    public static bool IsAllowed(FederationProfile profile, DownloadPerson person)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(person);
        if (person.Groups.Any(g => profile.AllowedGroups.Contains(g, StringComparer.Ordinal)))
        {
            return true;
        }

        var names = new List<string> { person.Subject };
        if (person.LocalUserArn is not null && Arn.TryParse(person.LocalUserArn, out var arn))
        {
            names.Add(person.LocalUserArn);
            names.Add(arn.ResourceName);
        }

        return names.Any(n => profile.AllowedPeople.Contains(n, StringComparer.Ordinal));
    }

    private async Task<ProfileSaveResult> SaveAsync(string? id, FederationProfileDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = draft.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > MaxNameLength)
        {
            errors[nameof(draft.Name)] = string.Create(CultureInfo.InvariantCulture, $"Enter a name of 1–{MaxNameLength} characters.");
        }

        if (draft.Description is { Length: > MaxDescriptionLength })
        {
            errors[nameof(draft.Description)] = string.Create(CultureInfo.InvariantCulture, $"Keep the description under {MaxDescriptionLength} characters.");
        }

        if (draft.DurationSeconds is < MinDurationSeconds or > StsEngine.MaxUserSessionSeconds)
        {
            errors[nameof(draft.DurationSeconds)] = string.Create(CultureInfo.InvariantCulture, $"Choose between {MinDurationSeconds} (15 minutes) and {StsEngine.MaxUserSessionSeconds} (36 hours) seconds.");
        }

        UserInfo? user = null;
        if (!AccountId.TryParse(draft.AccountId, out var account) || !await _directory.AccountExistsAsync(account.Value, ct).ConfigureAwait(false))
        {
            errors[nameof(draft.AccountId)] = "Choose an existing account.";
        }
        else if (string.IsNullOrWhiteSpace(draft.UserName) || (user = await _directory.FindUserAsync(account, draft.UserName.Trim(), ct).ConfigureAwait(false)) is null)
        {
            errors[nameof(draft.UserName)] = "Choose an existing IAM user of this account: GetFederationToken is called as that user.";
        }

        var templateErrors = string.IsNullOrWhiteSpace(draft.PolicyTemplate)
            ? [new TemplateError(0, 0, "Enter a policy: without one the federated user may do nothing (STS-SPEC §1.5).")]
            : FederationPolicyTemplate.Validate(draft.PolicyTemplate);
        if (templateErrors.Count > 0)
        {
            errors[nameof(draft.PolicyTemplate)] = string.Join("\n", templateErrors);
        }

        var groups = Entries(draft.AllowedGroups);
        var people = Entries(draft.AllowedPeople);
        if (groups.Count + people.Count == 0)
        {
            errors[nameof(draft.AllowedGroups)] = "Name at least one group or person who may use this profile.";
        }
        else if (groups.Concat(people).Any(e => e.Length > MaxEntryLength))
        {
            errors[nameof(draft.AllowedPeople)] = string.Create(CultureInfo.InvariantCulture, $"Each group or person must be at most {MaxEntryLength} characters.");
        }

        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = id is null ? null : await db.FederationProfiles.FirstOrDefaultAsync(p => p.Id == id, ct).ConfigureAwait(false);
        if (id is not null && row is null)
        {
            errors["Id"] = "This profile no longer exists.";
        }

        var previous = row is null ? null : await ToModelAsync(row, ct).ConfigureAwait(false);

        if (!errors.ContainsKey(nameof(draft.Name)) && await NameTakenAsync(db, name, id, ct).ConfigureAwait(false))
        {
            errors[nameof(draft.Name)] = $"A profile named \"{name}\" already exists.";
        }

        if (errors.Count > 0)
        {
            return new ProfileSaveResult(null, errors) { Previous = previous };
        }

        var now = _time.GetUtcNow();
        if (row is null)
        {
            row = new FederationProfileEntity
            {
                Id = "fp-" + Guid.NewGuid().ToString("N"),
                Name = name,
                AccountId = account.Value,
                UserId = user!.Id,
                PolicyTemplate = draft.PolicyTemplate,
                CreatedAt = now,
            };
            db.FederationProfiles.Add(row);
        }

        row.Name = name;
        row.Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        row.AccountId = account.Value;
        row.UserId = user!.Id;
        row.PolicyTemplate = draft.PolicyTemplate;
        row.DurationSeconds = draft.DurationSeconds;
        row.AllowedGroups = string.Join('\n', groups);
        row.AllowedPeople = string.Join('\n', people);
        row.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            return new ProfileSaveResult(null, new Dictionary<string, string> { [nameof(draft.Name)] = $"A profile named \"{name}\" already exists." }) { Previous = previous };
        }

        return new ProfileSaveResult(await ToModelAsync(row, ct).ConfigureAwait(false), new Dictionary<string, string>()) { Previous = previous };
    }

    private static async Task<bool> NameTakenAsync(PortalDbContext db, string name, string? exceptId, CancellationToken ct)
    {
        // Case-insensitively, in memory: profiles are few and collations differ between the providers.
        var names = await db.FederationProfiles.AsNoTracking().Where(p => p.Id != exceptId).Select(p => p.Name).ToListAsync(ct).ConfigureAwait(false);
        return names.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    private static List<string> Entries(IReadOnlyList<string>? values) =>
        (values ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<FederationProfile> ToModelAsync(FederationProfileEntity row, CancellationToken ct)
    {
        var user = await _directory.FindUserByIdAsync(row.UserId, ct).ConfigureAwait(false);
        return new FederationProfile(
            row.Id, row.Name, row.Description, row.AccountId, row.UserId, user?.Name, row.PolicyTemplate, row.DurationSeconds,
            Lines(row.AllowedGroups), Lines(row.AllowedPeople), row.UpdatedAt);
    }
}
