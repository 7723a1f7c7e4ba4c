using Portal.Core.Downloads;
using Portal.Core.Iam;

namespace Portal.Services.Downloads;

/// <summary>The /admin/federation-profiles page's application service.</summary>
public sealed class FederationProfilesAdminService
{
    private readonly FederationProfileStore _store;
    private readonly IamDirectory _directory;

    /// <summary>Creates the service.</summary>
    public FederationProfilesAdminService(FederationProfileStore store, IamDirectory directory)
    {
        _store = store;
        _directory = directory;
    }

    /// <summary>The accounts a profile's IAM user may live in.</summary>
    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default) => _directory.ListAccountsAsync(ct);

    /// <summary>Every profile, by name.</summary>
    public Task<IReadOnlyList<FederationProfile>> ListAsync(CancellationToken ct = default) => _store.ListAsync(ct);

    /// <summary>Creates a profile from the form; errors are keyed by the form's field names.</summary>
    public Task<ProfileSaveResult> CreateAsync(FederationProfileInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _store.CreateAsync(input.ToDraft(), ct);
    }

    /// <summary>Saves changes to a profile; errors are keyed by the form's field names.</summary>
    public Task<ProfileSaveResult> UpdateAsync(string id, FederationProfileInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _store.UpdateAsync(id, input.ToDraft(), ct);
    }

    /// <summary>Deletes a profile (its unused links stop working); false when it was already gone.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => _store.DeleteAsync(id, ct);
}
