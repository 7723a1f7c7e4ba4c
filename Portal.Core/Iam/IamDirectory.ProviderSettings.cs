using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

public sealed partial class IamDirectory
{
    /// <summary>The portal sign-in settings JSON of a provider of the account; null when there is no such provider.</summary>
    public async Task<string?> GetProviderSettingsAsync(AccountId account, string arn, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.IdentityProviders.AsNoTracking()
            .Where(p => p.Arn == arn && p.AccountId == account.Value)
            .Select(p => p.SettingsJson)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the portal sign-in settings JSON of a provider of the account (its shape belongs to the sign-in method;
    /// secrets in it must already be encrypted). Raises <see cref="Changed"/> so the sign-in schemes re-sync at once.
    /// </summary>
    public async Task<StsOutcome<bool>> UpdateProviderSettingsAsync(AccountId account, string arn, string settingsJson, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settingsJson);
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.IdentityProviders.Where(p => p.Arn == arn && p.AccountId == account.Value)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.SettingsJson, settingsJson), ct).ConfigureAwait(false);
        if (n == 0)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The identity provider {arn} cannot be found.");
        }

        OnChanged();
        return true;
    }
}
