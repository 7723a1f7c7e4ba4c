using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Portal.Authentication;
using Portal.Services.Admin;

namespace Portal.Admin;

/// <summary>
/// CSV and JSON exports of the audit log's current filter. GET only (they change nothing), administrators only, never cached.
/// </summary>
public static class AuditExportEndpoints
{
    /// <summary>The CSV export path.</summary>
    public const string CsvPath = "/admin/audit/export.csv";

    /// <summary>The JSON export path.</summary>
    public const string JsonPath = "/admin/audit/export.json";

    private static readonly string[] Columns =
        ["Id", "Timestamp", "Action", "Decision", "Reason", "Principal", "CallerAccessKeyId", "Resource", "IssuedAccessKeyId", "SourceIdentity", "SourceIp", "ErrorCode", "RequestId", "Message"];

    /// <summary>Registers the administrators' UI services.</summary>
    public static IServiceCollection AddPortalAdminConsole(this IServiceCollection services)
    {
        services.AddSingleton<UsersAdminService>();
        services.AddSingleton<SessionsAdminService>();
        services.AddSingleton<AuditQueryService>();
        services.AddSingleton<DashboardService>();
        return services;
    }

    /// <summary>Maps the export endpoints under the administrator policy.</summary>
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization(PortalAuthenticationDefaults.AdministratorPolicy);
        group.MapGet(CsvPath, ExportCsvAsync);
        group.MapGet(JsonPath, ExportJsonAsync);
        return endpoints;
    }

    /// <summary>Parses the query-string filter the audit page links with.</summary>
    internal static AuditFilter ParseFilter(
        string? from, string? to, string? principal, string? action, string? decision, string? accessKeyId) =>
        new(ParseTime(from), ParseTime(to), principal, action, decision, accessKeyId);

    /// <summary>
    /// One CSV field: quoted, quotes doubled; CR/LF and other control characters escaped so a value cannot forge a line, and a
    /// leading formula character neutralised for spreadsheets (SECURITY-CASES 104h (3); OWASP CSV injection).
    /// </summary>
    internal static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var escaped = AuditText.Visible(value).Replace("\"", "\"\"", StringComparison.Ordinal);
        if (escaped[0] is '=' or '+' or '-' or '@')
        {
            escaped = "'" + escaped;
        }

        return "\"" + escaped + "\"";
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;

    private static async Task ExportCsvAsync(
        HttpContext http,
        AuditQueryService audit,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? principal,
        [FromQuery] string? action,
        [FromQuery] string? decision,
        [FromQuery] string? accessKeyId)
    {
        var filter = ParseFilter(from, to, principal, action, decision, accessKeyId);
        PrepareDownload(http.Response, "text/csv; charset=utf-8", "audit.csv");
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n").ConfigureAwait(false);
        await foreach (var e in audit.StreamAsync(filter, http.RequestAborted).ConfigureAwait(false))
        {
            string?[] values =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.Timestamp.ToString("O", CultureInfo.InvariantCulture), e.Action, e.Decision, e.Reason,
                e.Principal, e.CallerAccessKeyId, e.Resource, e.IssuedAccessKeyId, e.SourceIdentity, e.SourceIp, e.ErrorCode, e.RequestId, e.Message,
            ];
            await writer.WriteAsync(string.Join(',', values.Select(CsvField)) + "\r\n").ConfigureAwait(false);
        }

        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ExportJsonAsync(
        HttpContext http,
        AuditQueryService audit,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? principal,
        [FromQuery] string? action,
        [FromQuery] string? decision,
        [FromQuery] string? accessKeyId)
    {
        var filter = ParseFilter(from, to, principal, action, decision, accessKeyId);
        PrepareDownload(http.Response, "application/json; charset=utf-8", "audit.json");
        await JsonSerializer.SerializeAsync(http.Response.Body, audit.StreamAsync(filter, http.RequestAborted), JsonSerializerOptions.Web, http.RequestAborted).ConfigureAwait(false);
    }

    private static void PrepareDownload(HttpResponse response, string contentType, string fileName)
    {
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
    }
}
