using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Core.Audit;
using Portal.Services.Admin;
using Portal.Tests.Api.Security;

namespace Portal.Tests.Api.Admin;

/// <summary>
/// SECURITY-CASES 104h (3) and (4): hostile names are stored verbatim and exported and shown safely; nothing in the host can
/// edit or delete audit entries.
/// </summary>
public sealed class AuditExportTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    private const string Hostile = "=HYPERLINK(\"http://evil\")\r\n1,2026-01-01T00:00:00Z,sts:AssumeRole,Allow \u001b[2J\u001b[31mred \u202Etxt.exe";

    public static TheoryData<string, string> VisibleCases => new()
    {
        { "alice", "alice" },
        { "a\r\nb", "a\\r\\nb" },
        { "\u001b[31mred", "\\u001B[31mred" },
        { "x\u202Ey", "x\\u202Ey" },
        { "x\u2066y\u2069", "x\\u2066y\\u2069" },
        { "tab\there", "tab\\u0009here" },
        { "ünïcødé", "ünïcødé" },
    };

    [Theory]
    [MemberData(nameof(VisibleCases))]
    public void Visible_Value_EscapesControlAndBidiCharacters(string value, string expected) =>
        Assert.Equal(expected, AuditText.Visible(value));

    [Theory]
    [InlineData("-1+1")]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("@SUM(A1)")]
    public void CsvField_LeadingFormulaCharacter_IsNeutralised(string value) =>
        Assert.Equal("\"'" + value + "\"", AuditExportEndpoints.CsvField(value));

    [Fact]
    public async Task ExportCsv_HostileValuesInEveryColumn_OneRowWithoutRawControlCharacters()
    {
        // Arrange
        var marker = await WriteHostileAsync();
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var csv = await client.GetStringAsync(new Uri(AuditExportEndpoints.CsvPath + "?action=" + marker, UriKind.Relative));

        // Assert: header + one row (no forged line); nothing a terminal or a spreadsheet would act on.
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain(lines[1], c => char.IsControl(c) || c == '\u202E');
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\\r\\n1,", lines[1], StringComparison.Ordinal);
        Assert.Contains("\\u001B[2J\\u001B[31mred \\u202Etxt.exe\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportJson_HostileValues_EscapedOnTheWireAndVerbatimWhenParsed()
    {
        // Arrange
        var marker = await WriteHostileAsync();
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var json = await client.GetStringAsync(new Uri(AuditExportEndpoints.JsonPath + "?action=" + marker, UriKind.Relative));

        // Assert
        Assert.DoesNotContain(json, c => char.IsControl(c) || c == '\u202E');
        using var document = JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(Hostile, row.GetProperty("principal").GetString());
        Assert.Equal(Hostile, row.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Exports_NonAdministrator_AreRefused()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.User);

        // Act
        var csv = await client.GetAsync(new Uri(AuditExportEndpoints.CsvPath, UriKind.Relative));
        var json = await client.GetAsync(new Uri(AuditExportEndpoints.JsonPath, UriKind.Relative));

        // Assert
        Assert.NotEqual(HttpStatusCode.OK, csv.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, json.StatusCode);
    }

    [Fact]
    public async Task VerifyIntegrityAsync_LogWrittenByTheHost_IsIntact()
    {
        // Arrange
        await WriteHostileAsync();

        // Act
        var result = await app.Services.GetRequiredService<AuditQueryService>().VerifyIntegrityAsync();

        // Assert
        Assert.True(result.Intact, result.FirstBreak?.Reason);
        Assert.True(result.RecordsChecked > 0);
    }

    [Fact]
    public void AuditQueryService_PublicMethods_OnlyRead()
    {
        // Arrange (104h (4): no edit or delete of audit entries, not even one the UI does not show)
        string[] readVerbs = ["Query", "Stream", "Lineage", "Verify"];

        // Act
        var methods = typeof(AuditQueryService).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Select(m => m.Name)
            .ToList();

        // Assert
        Assert.NotEmpty(methods);
        Assert.All(methods, name => Assert.Contains(readVerbs, verb => name.StartsWith(verb, StringComparison.Ordinal)));
    }

    [Fact]
    public void MappedEndpoints_AuditRoutes_AreGetOnly()
    {
        // Arrange: the page itself (a component endpoint also answers POST for forms) calls only AuditQueryService, tested above.
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("audit", StringComparison.OrdinalIgnoreCase) == true)
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .ToList();

        // Act
        var methods = endpoints.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["(any)"]).Distinct().ToList();

        // Assert
        Assert.NotEmpty(endpoints);
        Assert.Equal(["GET"], methods);
    }

    [Fact]
    public void PortalAssembly_NoMethodEditsOrDeletesAuditEntries()
    {
        // Arrange
        string[] writeVerbs = ["Delete", "Remove", "Update", "Edit", "Purge", "Clear", "Truncate", "Prune"];

        // Act
        var offenders = typeof(AuditQueryService).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.Contains("Audit", StringComparison.Ordinal) && writeVerbs.Any(v => m.Name.Contains(v, StringComparison.Ordinal)))
            .Select(m => m.DeclaringType + "." + m.Name)
            .ToList();

        // Assert
        Assert.Empty(offenders);
    }

    private async Task<string> WriteHostileAsync()
    {
        var marker = "test:" + Guid.NewGuid().ToString("N");
        await app.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = marker,
            Decision = AuditDecision.Deny,
            Principal = Hostile,
            Resource = "-2+3",
            SourceIdentity = "@admin",
            Message = Hostile,
        });
        return marker;
    }
}
