using System.Net;
using System.Text;
using Microsoft.Net.Http.Headers;
using Portal.Authentication;
using Portal.Core.Downloads;
using Portal.Core.Sts;
using Portal.Services.Downloads;

namespace Portal.Downloads;

/// <summary>
/// <c>GET /downloads/link/{token}</c>: serves a single-use customer-download link. The link is bound to the person who
/// created it (they must be signed in; a sign-in redirect keeps the link unspent). Used or expired links get a plain
/// 410 page. Every response is <c>no-store</c>: the file carries a secret, and a cached 410 would be harmless but wrong.
/// </summary>
public static class DownloadEndpoints
{
    /// <summary>Maps the link endpoint.</summary>
    public static IEndpointRouteBuilder MapCustomerDownloads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CustomerDownloadsService.LinkPathPrefix + "{token}", ServeLinkAsync)
            .RequireAuthorization(PortalAuthenticationDefaults.UserPolicy);
        return endpoints;
    }

    private static async Task<IResult> ServeLinkAsync(string token, HttpContext context, CustomerDownloadsService downloads)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        var info = new RequestInfo
        {
            SourceIp = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.ToString(),
            SecureTransport = context.Request.IsHttps,
        };
        var result = await downloads.ConsumeLinkAsync(context.User, token, info, context.RequestAborted);
        if (result.Succeeded)
        {
            var file = result.Value!;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(file.FileName);
            headers.ContentDisposition = disposition.ToString();
            return Results.Text(file.Content, file.ContentType + "; charset=utf-8", Encoding.UTF8);
        }

        var (status, title) = result.Status switch
        {
            DownloadStatus.LinkUsed or DownloadStatus.LinkExpired => (StatusCodes.Status410Gone, "This download link no longer works"),
            DownloadStatus.NotFound => (StatusCodes.Status404NotFound, "Download link not found"),
            _ => (StatusCodes.Status403Forbidden, "Download refused"),
        };
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(title) + "</title></head><body>"
            + "<h1>" + WebUtility.HtmlEncode(title) + "</h1><p data-testid=\"download-link-error\">" + WebUtility.HtmlEncode(result.Message) + "</p>"
            + "<p>Single-use links work once, for a limited time, and only for the person who created them. "
            + "<a href=\"/downloads\">Create a new link on the Downloads page.</a></p></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
