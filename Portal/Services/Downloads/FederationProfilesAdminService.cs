using Portal.Core.Audit;
using Portal.Core.Downloads;
using Portal.Core.Iam;

namespace Portal.Services.Downloads;

/// <summary>
/// The /admin/federation-profiles page's application service. Every change, and every refused one, is audited with the
/// acting administrator as principal and the profile's values before and after (<see cref="FederationProfileAudit"/>;
/// SECURITY-CASES 104h: successful and failed changes are logged).
/// </summary>
public sealed class FederationProfilesAdminService
{
    private const string NotFound = "NotFound";

    private readonly FederationProfileStore _store;
    private readonly IamDirectory _directory;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public FederationProfilesAdminService(FederationProfileStore store, IamDirectory directory, IAuditSink audit, TimeProvider time)
    {
        _store = store;
        _directory = directory;
        _audit = audit;
        _time = time;
    }

    /// <summary>The accounts a profile's IAM user may live in.</summary>
    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default) => _directory.ListAccountsAsync(ct);

    /// <summary>Every profile, by name.</summary>
    public Task<IReadOnlyList<FederationProfile>> ListAsync(CancellationToken ct = default) => _store.ListAsync(ct);

    /// <summary>Creates a profile from the form as <paramref name="actor"/>; errors are keyed by the form's field names.</summary>
    public async Task<ProfileSaveResult> CreateAsync(string actor, FederationProfileInput input, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentNullException.ThrowIfNull(input);
        var draft = input.ToDraft();
        var saved = await _store.CreateAsync(draft, ct).ConfigureAwait(false);
        await AuditSaveAsync(actor, FederationProfileAudit.CreateAction, draft, saved, ct).ConfigureAwait(false);
        return saved;
    }

    /// <summary>Saves changes to a profile as <paramref name="actor"/>; errors are keyed by the form's field names.</summary>
    public async Task<ProfileSaveResult> UpdateAsync(string actor, string id, FederationProfileInput input, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentNullException.ThrowIfNull(input);
        var draft = input.ToDraft();
        var saved = await _store.UpdateAsync(id, draft, ct).ConfigureAwait(false);
        await AuditSaveAsync(actor, FederationProfileAudit.UpdateAction, draft, saved, ct, id).ConfigureAwait(false);
        return saved;
    }

    /// <summary>Deletes a profile as <paramref name="actor"/> (its unused links stop working); false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string actor, string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var deleted = await _store.DeleteAsync(id, ct).ConfigureAwait(false);
        var message = deleted is null
            ? FederationProfileAudit.DescribeRefusal(null, null, new Dictionary<string, string>(StringComparer.Ordinal) { ["Id"] = "This profile no longer exists." })
            : FederationProfileAudit.Describe(deleted, null);
        await WriteAsync(actor, FederationProfileAudit.DeleteAction, id, deleted is null ? NotFound : null, message, ct).ConfigureAwait(false);
        return deleted is not null;
    }

    private Task AuditSaveAsync(string actor, string action, FederationProfileDraft draft, ProfileSaveResult saved, CancellationToken ct, string? id = null)
    {
        var message = saved.Succeeded
            ? FederationProfileAudit.Describe(saved.Previous, saved.Profile)
            : FederationProfileAudit.DescribeRefusal(saved.Previous, draft, saved.Errors);
        var reason = saved.Succeeded ? null : saved.Errors.ContainsKey("Id") ? NotFound : "ValidationError";
        return WriteAsync(actor, action, saved.Profile?.Id ?? id, reason, message, ct);
    }

    /// <summary>Writes the event; <paramref name="refusal"/> is the reason code of a refused change, null when it happened.</summary>
    private Task WriteAsync(string actor, string action, string? resource, string? refusal, string message, CancellationToken ct) =>
        _audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = _time.GetUtcNow(),
                Action = action,
                Decision = refusal is null ? AuditDecision.Allow : AuditDecision.Deny,
                Reason = refusal,
                Principal = actor,
                Resource = resource,
                Message = message,
            },
            ct);
}
