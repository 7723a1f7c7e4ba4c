using Microsoft.AspNetCore.Authentication;

namespace Portal.Authentication.Saml2;

/// <summary>
/// The browser's view of every ACS rejection: HTTP 400 with a fixed page that names no reason, quotes no XML and
/// shows no stack trace (SECURITY-CASES 0.2, 104i). The reason code goes to the audit log only.
/// </summary>
public static class Saml2FailurePage
{
    /// <summary>The page body.</summary>
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
        <body><h1>Sign-in failed</h1><p>The sign-in could not be completed. Please <a href="/">start again</a>.</p></body></html>
        """;

    /// <summary>The page of a refused Single Logout message: as plain, naming no reason.</summary>
    public const string SignOutHtml = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign-out failed</title></head>
        <body><h1>Sign-out failed</h1><p>The sign-out could not be completed. Please <a href="/">return to the portal</a>.</p></body></html>
        """;

    /// <summary>Writes the page.</summary>
    public static Task WriteAsync(HttpContext context) => WriteAsync(context, Html);

    /// <summary>Writes <paramref name="html"/> as a 400 that is never cached.</summary>
    public static async Task WriteAsync(HttpContext context, string html)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The default <c>OnRemoteFailure</c>: write the page and end the request.</summary>
    public static async Task HandleAsync(RemoteFailureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await WriteAsync(context.HttpContext).ConfigureAwait(false);
        context.HandleResponse();
    }
}
