using System.Security.Claims;
using Portal.Core.Downloads;
using Portal.Core.Sts;

namespace Portal.Services.Downloads;

/// <summary>A credential file ready to hand to the browser.</summary>
/// <param name="FileName">The download file name.</param>
/// <param name="ContentType">The MIME type.</param>
/// <param name="Content">The file text (contains the secret: never log it).</param>
/// <param name="FederatedUserArn">The federated user's ARN.</param>
/// <param name="Expiration">When the credentials stop working.</param>
public sealed record DownloadFile(string FileName, string ContentType, string Content, string FederatedUserArn, DateTimeOffset Expiration);

/// <summary>"Downloads": the profiles a customer may use, direct downloads and single-use links, in the existing formats.</summary>
public sealed class CustomerDownloadsService
{
    /// <summary>Where single-use links are served.</summary>
    public const string LinkPathPrefix = "/downloads/link/";

    private readonly CustomerDownloads _downloads;
    private readonly DownloadPeople _people;

    /// <summary>Creates the service.</summary>
    public CustomerDownloadsService(CustomerDownloads downloads, DownloadPeople people)
    {
        _downloads = downloads;
        _people = people;
    }

    /// <summary>The formats a download can take: files a tool reads as they are.</summary>
    public static IReadOnlyList<CredentialFormat> Formats { get; } = [CredentialFormat.CredentialsFile, CredentialFormat.DotEnv, CredentialFormat.CredentialProcess];

    /// <summary>The profiles the signed-in person may use; empty when the sign-in is not a person.</summary>
    public async Task<IReadOnlyList<FederationProfile>> ListMineAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        return person is null ? [] : await _downloads.AvailableToAsync(person, ct).ConfigureAwait(false);
    }

    /// <summary>Issues credentials now and renders them as <paramref name="format"/>.</summary>
    public async Task<DownloadResult<DownloadFile>> DownloadAsync(ClaimsPrincipal principal, string profileId, CredentialFormat format, RequestInfo info, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return NoPerson<DownloadFile>();
        }

        if (!Formats.Contains(format))
        {
            return new DownloadResult<DownloadFile>(DownloadStatus.Refused, null, "Choose a credentials file, .env or credential_process format.");
        }

        return Render(await _downloads.DownloadAsync(person, profileId, info, ct).ConfigureAwait(false), format);
    }

    /// <summary>Creates a single-use link; the value is the portal-relative URL and its expiry.</summary>
    public async Task<DownloadResult<NewDownloadLink>> CreateLinkAsync(ClaimsPrincipal principal, string profileId, CredentialFormat format, RequestInfo info, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return NoPerson<NewDownloadLink>();
        }

        if (!Formats.Contains(format))
        {
            return new DownloadResult<NewDownloadLink>(DownloadStatus.Refused, null, "Choose a credentials file, .env or credential_process format.");
        }

        return await _downloads.CreateLinkAsync(person, profileId, format.ToString(), info, ct).ConfigureAwait(false);
    }

    /// <summary>Uses a single-use link as the signed-in person.</summary>
    public async Task<DownloadResult<DownloadFile>> ConsumeLinkAsync(ClaimsPrincipal principal, string token, RequestInfo info, CancellationToken ct = default)
    {
        var person = await _people.ResolveAsync(principal, ct).ConfigureAwait(false);
        if (person is null)
        {
            return NoPerson<DownloadFile>();
        }

        var used = await _downloads.ConsumeLinkAsync(person, token, info, ct).ConfigureAwait(false);
        var format = Enum.TryParse<CredentialFormat>(used.Value?.Format, out var f) && Formats.Contains(f) ? f : CredentialFormat.CredentialsFile;
        return Render(used, format);
    }

    /// <summary>The link's path for a token.</summary>
    public static string LinkPath(NewDownloadLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return LinkPathPrefix + link.Token;
    }

    private static DownloadResult<DownloadFile> Render(DownloadResult<FederatedDownload> issued, CredentialFormat format)
    {
        if (!issued.Succeeded)
        {
            return new DownloadResult<DownloadFile>(issued.Status, null, issued.Message);
        }

        var export = CredentialExport.Create(issued.Value!.Credentials, profileName: "portal-download");
        if (!export.Succeeded)
        {
            return new DownloadResult<DownloadFile>(DownloadStatus.Refused, null, export.Error);
        }

        var contentType = format == CredentialFormat.CredentialProcess ? "application/json" : "text/plain";
        var file = new DownloadFile(
            CredentialFormats.FileName(export.Export, format), contentType, CredentialFormats.Render(export.Export, format), issued.Value.FederatedUserArn, issued.Value.Credentials.Expiration);
        return new DownloadResult<DownloadFile>(DownloadStatus.Issued, file, null);
    }

    private static DownloadResult<T> NoPerson<T>()
        where T : class => new(DownloadStatus.NotAllowed, null, "Your sign-in does not identify a person who can receive credentials. Sign in again.");
}
