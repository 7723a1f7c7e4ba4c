using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Identity;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;
using Portal.Core.Policies;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

/// <summary>
/// Accounts, users, access keys, roles and policies: the identity model every door (UI, STS/IAM API, CLI) changes through.
/// Each call is one unit of work; results are read models, never entities.
/// </summary>
public sealed partial class IamDirectory
{
    /// <summary>At most two access keys per user, as at AWS.</summary>
    public const int MaxAccessKeysPerUser = 2;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly ISecretProtector _protector;
    private readonly TimeProvider _time;

    /// <summary>Creates the directory.</summary>
    public IamDirectory(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector protector, TimeProvider time)
    {
        _dbFactory = dbFactory;
        _protector = protector;
        _time = time;
    }

    /// <summary>
    /// Raised after any change to users, access keys, roles or policies on this node, so caches can drop what they hold
    /// (other nodes' caches expire within seconds).
    /// </summary>
    public event Action? Changed;

    // ---- accounts -------------------------------------------------------------------------------------------------

    /// <summary>Creates an account (a fresh random id when none is given).</summary>
    public async Task<StsOutcome<AccountInfo>> CreateAccountAsync(string? accountId, string? alias, CancellationToken ct = default)
    {
        var id = accountId ?? NewAccountId();
        if (!AccountId.TryParse(id, out _))
        {
            return Fail<AccountInfo>(StsErrorCode.ValidationError, $"1 validation error detected: Value '{id}' at 'accountId' failed to satisfy constraint: Member must be 12 digits");
        }

        await using var db = _dbFactory.CreateDbContext();
        if (await db.Accounts.AnyAsync(a => a.Id == id, ct).ConfigureAwait(false))
        {
            return Fail<AccountInfo>(StsErrorCode.EntityAlreadyExists, $"Account {id} already exists.");
        }

        var entity = new AccountEntity { Id = id, Alias = alias, CreatedAt = _time.GetUtcNow() };
        db.Accounts.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new AccountInfo(entity.Id, entity.Alias, entity.CreatedAt);
    }

    /// <summary>Lists accounts.</summary>
    public async Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.Accounts.AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => new AccountInfo(a.Id, a.Alias, a.CreatedAt)).ToList();
    }

    /// <summary>True when the account exists.</summary>
    public async Task<bool> AccountExistsAsync(string accountId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.Accounts.AnyAsync(a => a.Id == accountId, ct).ConfigureAwait(false);
    }

    // ---- users ----------------------------------------------------------------------------------------------------

    /// <summary>Creates an IAM user.</summary>
    public async Task<StsOutcome<UserInfo>> CreateUserAsync(AccountId account, string name, string? path = null, IReadOnlyList<Tag>? tags = null, CancellationToken ct = default)
    {
        if (IamNames.ValidateEntityName(name, "userName") is { } e1)
        {
            return e1;
        }

        if (IamNames.ValidatePath(path, "path") is { } e2)
        {
            return e2;
        }

        path ??= "/";
        await using var db = _dbFactory.CreateDbContext();
        if (!await db.Accounts.AnyAsync(a => a.Id == account.Value, ct).ConfigureAwait(false))
        {
            return Fail<UserInfo>(StsErrorCode.NoSuchEntity, $"The account {account} cannot be found.");
        }

        var normalized = IamNames.Normalize(name);
        if (await db.Users.AnyAsync(u => u.AccountId == account.Value && u.NormalizedName == normalized, ct).ConfigureAwait(false))
        {
            return Fail<UserInfo>(StsErrorCode.EntityAlreadyExists, $"User with name {name} already exists.");
        }

        var entity = new UserEntity
        {
            Id = UniqueIds.New(IdPrefixes.User),
            AccountId = account.Value,
            Name = name,
            NormalizedName = normalized,
            Path = path,
            Arn = Arn.User(account, path, name).ToString(),
            TagsJson = SerializeTags(tags),
            CreatedAt = _time.GetUtcNow(),
        };
        db.Users.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return ToInfo(entity);
    }

    /// <summary>Finds a user by name in an account.</summary>
    public async Task<UserInfo?> FindUserAsync(AccountId account, string name, CancellationToken ct = default)
    {
        var normalized = IamNames.Normalize(name);
        await using var db = _dbFactory.CreateDbContext();
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.AccountId == account.Value && x.NormalizedName == normalized, ct).ConfigureAwait(false);
        return u is null ? null : ToInfo(u);
    }

    /// <summary>Finds a user by unique id.</summary>
    public async Task<UserInfo?> FindUserByIdAsync(string userId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == userId, ct).ConfigureAwait(false);
        return u is null ? null : ToInfo(u);
    }

    /// <summary>Lists the users of an account.</summary>
    public async Task<IReadOnlyList<UserInfo>> ListUsersAsync(AccountId account, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.Users.AsNoTracking().Where(u => u.AccountId == account.Value).ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(u => u.Name, StringComparer.Ordinal).Select(ToInfo).ToList();
    }

    /// <summary>Deletes a user that has no access keys, policies or MFA devices left (as IAM's DeleteConflict rule).</summary>
    public async Task<StsOutcome<bool>> DeleteUserAsync(AccountId account, string name, CancellationToken ct = default)
    {
        var normalized = IamNames.Normalize(name);
        await using var db = _dbFactory.CreateDbContext();
        var u = await db.Users.FirstOrDefaultAsync(x => x.AccountId == account.Value && x.NormalizedName == normalized, ct).ConfigureAwait(false);
        if (u is null)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The user with name {name} cannot be found.");
        }

        var attached = await db.AccessKeys.AnyAsync(k => k.UserId == u.Id, ct).ConfigureAwait(false)
            || await db.InlinePolicies.AnyAsync(p => p.OwnerId == u.Id, ct).ConfigureAwait(false)
            || await db.PolicyAttachments.AnyAsync(p => p.OwnerId == u.Id, ct).ConfigureAwait(false)
            || await db.MfaDevices.AnyAsync(m => m.UserId == u.Id, ct).ConfigureAwait(false);
        if (attached)
        {
            return Fail<bool>(StsErrorCode.DeleteConflict, "Cannot delete entity, must delete access keys, policies and MFA devices first.");
        }

        db.Users.Remove(u);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return true;
    }

    // ---- access keys ----------------------------------------------------------------------------------------------

    /// <summary>Creates a long-term access key for a user, or for the account root when <paramref name="userId"/> is null.</summary>
    public async Task<StsOutcome<NewAccessKey>> CreateAccessKeyAsync(AccountId account, string? userId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        if (userId is not null && !await db.Users.AnyAsync(u => u.Id == userId && u.AccountId == account.Value, ct).ConfigureAwait(false))
        {
            return Fail<NewAccessKey>(StsErrorCode.NoSuchEntity, "The user cannot be found.");
        }

        var existing = await db.AccessKeys.CountAsync(k => k.AccountId == account.Value && k.UserId == userId, ct).ConfigureAwait(false);
        if (existing >= MaxAccessKeysPerUser)
        {
            return Fail<NewAccessKey>(StsErrorCode.LimitExceeded, $"Cannot exceed quota for AccessKeysPerUser: {MaxAccessKeysPerUser}");
        }

        return await AddAccessKeyAsync(db, account, userId, AccessKeyIds.NewLongTerm(account), SecretKeys.New(), ct).ConfigureAwait(false);
    }

    /// <summary>Imports a known key pair (first-run bootstrap from configuration).</summary>
    public async Task<StsOutcome<NewAccessKey>> ImportAccessKeyAsync(AccountId account, string? userId, string accessKeyId, string secret, CancellationToken ct = default)
    {
        if (accessKeyId.Length is < 16 or > 128 || !accessKeyId.All(char.IsAsciiLetterOrDigit) || !accessKeyId.StartsWith(IdPrefixes.LongTermAccessKey, StringComparison.Ordinal))
        {
            return Fail<NewAccessKey>(StsErrorCode.ValidationError, "An imported access key id must be 16..128 ASCII letters and digits starting with AKIA.");
        }

        if (secret.Length < 16)
        {
            return Fail<NewAccessKey>(StsErrorCode.ValidationError, "An imported secret access key must be at least 16 characters.");
        }

        await using var db = _dbFactory.CreateDbContext();
        if (await db.AccessKeys.AnyAsync(k => k.Id == accessKeyId, ct).ConfigureAwait(false))
        {
            return Fail<NewAccessKey>(StsErrorCode.EntityAlreadyExists, $"Access key {accessKeyId} already exists.");
        }

        return await AddAccessKeyAsync(db, account, userId, accessKeyId, secret, ct).ConfigureAwait(false);
    }

    /// <summary>Lists a user's (or the root's) access keys.</summary>
    public async Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(AccountId account, string? userId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var rows = await db.AccessKeys.AsNoTracking().Where(k => k.AccountId == account.Value && k.UserId == userId).ToListAsync(ct).ConfigureAwait(false);
        return rows.OrderBy(k => k.CreatedAt).Select(ToInfo).ToList();
    }

    /// <summary>Activates or deactivates an access key.</summary>
    public async Task<StsOutcome<AccessKeyInfo>> SetAccessKeyActiveAsync(AccountId account, string accessKeyId, bool active, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var k = await db.AccessKeys.FirstOrDefaultAsync(x => x.Id == accessKeyId && x.AccountId == account.Value, ct).ConfigureAwait(false);
        if (k is null)
        {
            return Fail<AccessKeyInfo>(StsErrorCode.NoSuchEntity, $"The Access Key with id {accessKeyId} cannot be found.");
        }

        k.IsActive = active;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        OnChanged();
        return ToInfo(k);
    }

    /// <summary>Deletes an access key.</summary>
    public async Task<StsOutcome<bool>> DeleteAccessKeyAsync(AccountId account, string accessKeyId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var n = await db.AccessKeys.Where(x => x.Id == accessKeyId && x.AccountId == account.Value).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (n == 0)
        {
            return Fail<bool>(StsErrorCode.NoSuchEntity, $"The Access Key with id {accessKeyId} cannot be found.");
        }

        OnChanged();
        return true;
    }

    /// <summary>Resolves a long-term access key id to its decrypted secret and owner, for request signing.</summary>
    public async Task<LongTermCredential?> ResolveAccessKeyAsync(string accessKeyId, CancellationToken ct = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        var k = await db.AccessKeys.AsNoTracking().FirstOrDefaultAsync(x => x.Id == accessKeyId, ct).ConfigureAwait(false);
        if (k is null)
        {
            return null;
        }

        var secret = _protector.UnprotectString(k.SecretCiphertext);
        if (!secret.Succeeded)
        {
            // Note: an altered row must never authenticate; the caller answers InvalidClientTokenId.
            return null;
        }

        return new LongTermCredential(k.Id, k.AccountId, k.UserId, secret.Value, k.IsActive);
    }

    private async Task<StsOutcome<NewAccessKey>> AddAccessKeyAsync(PortalDbContext db, AccountId account, string? userId, string id, string secret, CancellationToken ct)
    {
        var entity = new AccessKeyEntity
        {
            Id = id,
            AccountId = account.Value,
            UserId = userId,
            SecretCiphertext = _protector.Protect(secret),
            IsActive = true,
            CreatedAt = _time.GetUtcNow(),
        };
        db.AccessKeys.Add(entity);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new NewAccessKey(ToInfo(entity), secret);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void OnChanged() => Changed?.Invoke();

    private static StsOutcome<T> Fail<T>(StsErrorCode code, string message) => StsOutcome<T>.Failure(code, message);

    private static string NewAccountId()
    {
        Span<char> digits = stackalloc char[12];
        digits[0] = (char)('1' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < 12; i++)
        {
            digits[i] = (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10));
        }

        return new string(digits);
    }

    internal static string SerializeTags(IReadOnlyList<Tag>? tags) => JsonSerializer.Serialize(tags ?? [], IamJson.Default.IReadOnlyListTag);

    internal static IReadOnlyList<Tag> DeserializeTags(string json) =>
        JsonSerializer.Deserialize(json, IamJson.Default.IReadOnlyListTag) ?? [];

    private static UserInfo ToInfo(UserEntity u) => new(u.Id, u.AccountId, u.Name, u.Path, u.Arn, DeserializeTags(u.TagsJson), u.PasswordHash is not null, u.CreatedAt);

    private static AccessKeyInfo ToInfo(AccessKeyEntity k) => new(k.Id, k.AccountId, k.UserId, k.IsActive, k.CreatedAt, k.LastUsedAt);

    private static RoleInfo ToInfo(RoleEntity r) =>
        new(r.Id, r.AccountId, r.Name, r.Path, r.Arn, r.Description, r.TrustPolicy, r.MaxSessionDuration, DeserializeTags(r.TagsJson), r.CreatedAt);

    private static ManagedPolicyInfo ToInfo(ManagedPolicyEntity p) => new(p.Id, p.AccountId, p.Name, p.Path, p.Arn, p.Description, p.Document, p.CreatedAt, p.UpdatedAt);
}
