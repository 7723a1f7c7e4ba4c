using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;
using Portal.Core.Sts;

namespace Portal.Core.Downloads;

/// <summary>
/// Customer downloads: a signed-in person obtains GetFederationToken credentials through a profile (STS-SPEC §1.5), called
/// as the profile's IAM user with the profile's rendered policy, so the federated user may do exactly what both allow.
/// Every download and every link creation and use is audited; sessions are recorded as issued to the person.
/// </summary>
public sealed class CustomerDownloads
{
    /// <summary>Audit action of a credential download.</summary>
    public const string DownloadAction = "portal:DownloadFederationCredentials";

    /// <summary>Audit action of a link creation.</summary>
    public const string CreateLinkAction = "portal:CreateDownloadLink";

    /// <summary>Audit action of a link use.</summary>
    public const string UseLinkAction = "portal:UseDownloadLink";

    private const int TokenBytes = 32;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly FederationProfileStore _profiles;
    private readonly IamDirectory _directory;
    private readonly StsEngine _engine;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly IOptions<CustomerDownloadOptions> _options;
    private readonly ILogger<CustomerDownloads> _logger;

    /// <summary>Creates the service.</summary>
    public CustomerDownloads(
        IDbContextFactory<PortalDbContext> dbFactory,
        FederationProfileStore profiles,
        IamDirectory directory,
        StsEngine engine,
        IAuditSink audit,
        TimeProvider time,
        IOptions<CustomerDownloadOptions> options,
        ILogger<CustomerDownloads> logger)
    {
        _dbFactory = dbFactory;
        _profiles = profiles;
        _directory = directory;
        _engine = engine;
        _audit = audit;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>The profiles <paramref name="person"/> may use, by name.</summary>
    public async Task<IReadOnlyList<FederationProfile>> AvailableToAsync(DownloadPerson person, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        return (await _profiles.ListAsync(ct).ConfigureAwait(false)).Where(p => FederationProfileStore.IsAllowed(p, person)).ToList();
    }

    /// <summary>Issues credentials through <paramref name="profileId"/> now (a direct download), audited.</summary>
    public async Task<DownloadResult<FederatedDownload>> DownloadAsync(DownloadPerson person, string profileId, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(info);
        var profile = await _profiles.GetAsync(profileId, ct).ConfigureAwait(false);
        return profile is null
            ? await RefuseAsync<FederatedDownload>(DownloadStatus.NotFound, "There is no such download profile.", DownloadAction, person, info, profileId, ct).ConfigureAwait(false)
            : await IssueAsync(person, profile, format: null, "file", info, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a single-use link for <paramref name="profileId"/> in <paramref name="format"/>. Nothing is issued yet: the
    /// credentials are minted when the link is used, so the session's lifetime starts then.
    /// </summary>
    public async Task<DownloadResult<NewDownloadLink>> CreateLinkAsync(DownloadPerson person, string profileId, string format, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentNullException.ThrowIfNull(info);
        var profile = await _profiles.GetAsync(profileId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return await RefuseAsync<NewDownloadLink>(DownloadStatus.NotFound, "There is no such download profile.", CreateLinkAction, person, info, profileId, ct).ConfigureAwait(false);
        }

        if (!FederationProfileStore.IsAllowed(profile, person))
        {
            return await RefuseAsync<NewDownloadLink>(DownloadStatus.NotAllowed, "You may not use this download profile.", CreateLinkAction, person, info, profile.Id, ct).ConfigureAwait(false);
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = _time.GetUtcNow();
        var link = new DownloadLinkEntity
        {
            TokenHash = HashToken(token),
            ProfileId = profile.Id,
            OwnerIssuedTo = person.IssuedTo,
            Format = format,
            FederatedUserName = FederatedUserNames.For(person.NameSource),
            CreatedAt = now,
            ExpiresAt = now + _options.Value.LinkLifetime,
        };
        await using (var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            db.DownloadLinks.Add(link);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }

        var audited = await AuditAsync(new AuditRecord
        {
            Timestamp = now,
            Action = CreateLinkAction,
            Decision = AuditDecision.Allow,
            RequestId = info.RequestId,
            Principal = person.IssuedTo,
            Resource = profile.Id,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            Message = string.Create(CultureInfo.InvariantCulture, $"Link to profile {profile.Name} ({format}) for federated user {link.FederatedUserName}, link {link.TokenHash[..12]}, until {link.ExpiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}"),
        }, ct).ConfigureAwait(false);
        if (!audited)
        {
            return new DownloadResult<NewDownloadLink>(DownloadStatus.Refused, null, "The link could not be created. Try again later.");
        }

        return new DownloadResult<NewDownloadLink>(DownloadStatus.Issued, new NewDownloadLink(token, link.ExpiresAt, link.FederatedUserName), null);
    }

    /// <summary>
    /// Uses a link: only its creator may (a link seen by anyone else — in a chat, a proxy log, a browser history — is
    /// useless to them, and their attempt does not spend it); it is spent atomically in the database (one UPDATE guarded
    /// by "not yet used"), so of two nodes serving it at once exactly one issues.
    /// </summary>
    public async Task<DownloadResult<FederatedDownload>> ConsumeLinkAsync(DownloadPerson person, string token, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(info);
        var hash = HashToken(token ?? string.Empty);
        var now = _time.GetUtcNow();
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var link = await db.DownloadLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct).ConfigureAwait(false);
        var refusal = link switch
        {
            null => (DownloadStatus.NotFound, "This download link does not exist."),
            _ when !string.Equals(link.OwnerIssuedTo, person.IssuedTo, StringComparison.Ordinal) => (DownloadStatus.NotOwner, "This download link was created by someone else."),
            { ConsumedAt: not null } => (DownloadStatus.LinkUsed, "This download link has already been used."),
            _ when link.ExpiresAt <= now => (DownloadStatus.LinkExpired, "This download link has expired."),
            _ => ((DownloadStatus, string)?)null,
        };
        if (refusal is { } r)
        {
            return await RefuseAsync<FederatedDownload>(r.Item1, r.Item2, UseLinkAction, person, info, link?.ProfileId, ct, hash).ConfigureAwait(false);
        }

        var spent = await db.DownloadLinks
            .Where(l => l.TokenHash == hash && l.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ConsumedAt, now), ct)
            .ConfigureAwait(false);
        if (spent == 0)
        {
            return await RefuseAsync<FederatedDownload>(DownloadStatus.LinkUsed, "This download link has already been used.", UseLinkAction, person, info, link!.ProfileId, ct, hash).ConfigureAwait(false);
        }

        await AuditAsync(new AuditRecord
        {
            Timestamp = now,
            Action = UseLinkAction,
            Decision = AuditDecision.Allow,
            RequestId = info.RequestId,
            Principal = person.IssuedTo,
            Resource = link!.ProfileId,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            Message = "Link " + hash[..12] + " used",
        }, ct).ConfigureAwait(false);

        var profile = await _profiles.GetAsync(link.ProfileId, ct).ConfigureAwait(false);
        return profile is null
            ? await RefuseAsync<FederatedDownload>(DownloadStatus.NotFound, "The download profile of this link no longer exists.", DownloadAction, person, info, link.ProfileId, ct).ConfigureAwait(false)
            : await IssueAsync(person, profile, link.Format, "link " + hash[..12], info, ct).ConfigureAwait(false);
    }

    /// <summary>Lower-case hex SHA-256 of a link token: what the database stores and looks up.</summary>
    internal static string HashToken(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLower(CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<DownloadResult<FederatedDownload>> IssueAsync(DownloadPerson person, FederationProfile profile, string? format, string channel, RequestInfo info, CancellationToken ct)
    {
        // Checked again at issuance, not only when listing or linking: the profile or the person's groups may have changed.
        if (!FederationProfileStore.IsAllowed(profile, person))
        {
            return await RefuseAsync<FederatedDownload>(DownloadStatus.NotAllowed, "You may not use this download profile.", DownloadAction, person, info, profile.Id, ct).ConfigureAwait(false);
        }

        var user = await _directory.FindUserByIdAsync(profile.UserId, ct).ConfigureAwait(false);
        if (user is null)
        {
            return await RefuseAsync<FederatedDownload>(DownloadStatus.Refused, "This profile's IAM user no longer exists. Ask an administrator to fix the profile.", DownloadAction, person, info, profile.Id, ct).ConfigureAwait(false);
        }

        var rendered = FederationPolicyTemplate.Render(profile.PolicyTemplate, person);
        if (!rendered.Succeeded)
        {
            return await RefuseAsync<FederatedDownload>(DownloadStatus.Refused, "This profile cannot be used for you: " + string.Join(" ", rendered.Errors), DownloadAction, person, info, profile.Id, ct).ConfigureAwait(false);
        }

        var request = new GetFederationTokenRequest
        {
            Name = FederatedUserNames.For(person.NameSource),
            Policy = rendered.Policy,
            DurationSeconds = profile.DurationSeconds,
            IssuedTo = person.IssuedTo,
        };
        var issued = await _engine.GetFederationTokenAsync(Caller.ForUser(user, accessKeyId: null), request, info, ct).ConfigureAwait(false);
        if (!issued.Succeeded)
        {
            // The engine has audited its refusal (the IAM user lacks sts:GetFederationToken, the policy is too large …).
            return new DownloadResult<FederatedDownload>(DownloadStatus.Refused, null, issued.Error.Message);
        }

        var arn = issued.Value.FederatedUser.Arn;
        var audited = await AuditAsync(new AuditRecord
        {
            Timestamp = _time.GetUtcNow(),
            Action = DownloadAction,
            Decision = AuditDecision.Allow,
            RequestId = info.RequestId,
            Principal = person.IssuedTo,
            Resource = arn,
            IssuedAccessKeyId = issued.Value.Credentials.AccessKeyId,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            Message = $"Profile {profile.Name} ({profile.Id}) as {user.Arn} via {channel}",
        }, ct).ConfigureAwait(false);
        return audited
            ? new DownloadResult<FederatedDownload>(DownloadStatus.Issued, new FederatedDownload(issued.Value.Credentials, arn, profile.Name, format), null)
            : new DownloadResult<FederatedDownload>(DownloadStatus.Refused, null, "The download could not be completed. Try again later.");
    }

    private async Task<DownloadResult<T>> RefuseAsync<T>(DownloadStatus status, string message, string action, DownloadPerson person, RequestInfo info, string? profileId, CancellationToken ct, string? linkHash = null)
        where T : class
    {
        await AuditAsync(new AuditRecord
        {
            Timestamp = _time.GetUtcNow(),
            Action = action,
            Decision = AuditDecision.Deny,
            Reason = status.ToString(),
            RequestId = info.RequestId,
            Principal = person.IssuedTo,
            Resource = profileId,
            SourceIp = info.SourceIp,
            UserAgent = info.UserAgent,
            Message = linkHash is null ? message : message + " (link " + linkHash[..12] + ")",
        }, ct).ConfigureAwait(false);
        return new DownloadResult<T>(status, null, message);
    }

    /// <summary>Writes an event; false when it could not be committed (key decision 3: then nothing is handed out).</summary>
    private async Task<bool> AuditAsync(AuditRecord record, CancellationToken ct)
    {
        try
        {
            await _audit.WriteAsync(record, ct).ConfigureAwait(false);
            return true;
        }
        catch (AuditCommitException ex)
        {
            CustomerDownloadsLog.AuditFailed(_logger, ex, record.Action);
            return false;
        }
    }
}
