using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Core.Audit;
using Portal.Services.Admin;
using Portal.Tests.Api.Security;

namespace Portal.Tests.Api.Admin;

/// <summary>Sessions revocation and audit export against the real host and database.</summary>
public sealed class AdminServicesTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    [Fact]
    public async Task RevokePersonAsync_LiveSessions_LeavesThemOutOfTheListAndAudits()
    {
        // Arrange
        var person = "person-" + Guid.NewGuid().ToString("N");
        var key = await IssueAsync(person, "arn:aws:iam::111122223333:role/Dev");
        var sessions = app.Services.GetRequiredService<SessionsAdminService>();
        Assert.Contains(await sessions.ListLiveAsync(new LiveSessionFilter(Principal: person)), s => s.AccessKeyId == key);

        // Act
        var count = await sessions.RevokePersonAsync("test:admin", person);

        // Assert
        Assert.Equal(1, count);
        Assert.Empty(await sessions.ListLiveAsync(new LiveSessionFilter(Principal: person)));
        var audit = await app.Services.GetRequiredService<AuditQueryService>().QueryAsync(new AuditFilter(Action: "admin:RevokePersonSessions", Principal: "test:admin"), 0, 10);
        Assert.Contains(audit.Items, e => e.Resource == person);
    }

    [Fact]
    public async Task RevokeRoleAsync_SessionIssuedBefore_IsRevokedAndLineageSaysSo()
    {
        // Arrange
        var role = "arn:aws:iam::111122223333:role/R" + Guid.NewGuid().ToString("N")[..8];
        var key = await IssueAsync("someone", role);
        var sessions = app.Services.GetRequiredService<SessionsAdminService>();

        // Act
        await sessions.RevokeRoleAsync("test:admin", role);

        // Assert
        Assert.Empty(await sessions.ListLiveAsync(new LiveSessionFilter(Role: role)));
        var lineage = await app.Services.GetRequiredService<AuditQueryService>().LineageAsync(key);
        Assert.NotNull(lineage);
        Assert.True(lineage.Revoked);
        Assert.Equal(key, lineage.Issuance?.IssuedAccessKeyId);
        Assert.Equal(role, lineage.Session?.SourcePrincipalArn);
    }

    [Fact]
    public async Task ExportCsv_ForgedLineInPrincipal_StaysOneEscapedRow()
    {
        // Arrange
        var marker = Guid.NewGuid().ToString("N");
        await app.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = "test:" + marker,
            Decision = AuditDecision.Deny,
            Principal = "=evil\r\n1,2026-01-01,sts:AssumeRole,Allow",
        });
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var response = await client.GetAsync(new Uri(AuditExportEndpoints.CsvPath + "?action=" + marker, UriKind.Relative));
        var csv = await response.Content.ReadAsStringAsync();

        // Assert: header + one row; CR/LF escaped and the formula neutralised (SECURITY-CASES 104h (3)).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"'=evil\\r\\n1,2026-01-01,sts:AssumeRole,Allow\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportJson_Filter_ReturnsOnlyMatchingEvents()
    {
        // Arrange
        var marker = Guid.NewGuid().ToString("N");
        await app.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditRecord { Timestamp = DateTimeOffset.UtcNow, Action = "test:" + marker, Decision = AuditDecision.Allow });
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var json = await client.GetStringAsync(new Uri(AuditExportEndpoints.JsonPath + "?action=" + marker + "&decision=Allow", UriKind.Relative));

        // Assert
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var row = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("test:" + marker, row.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("+SUM(A1)", "\"'+SUM(A1)\"")]
    [InlineData("@cmd", "\"'@cmd\"")]
    [InlineData("x\u202Ey", "\"x\\u202Ey\"")]
    [InlineData(null, "")]
    public void CsvField_Value_IsEscaped(string? value, string expected) =>
        Assert.Equal(expected, AuditExportEndpoints.CsvField(value));

    private async Task<string> IssueAsync(string issuedTo, string roleArn)
    {
        var now = DateTimeOffset.UtcNow;
        var key = "ASIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        await app.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditRecord
        {
            Timestamp = now.AddSeconds(-1),
            Action = "sts:AssumeRole",
            Decision = AuditDecision.Allow,
            Principal = issuedTo,
            IssuedAccessKeyId = key,
            RequestId = Guid.NewGuid().ToString(),
            IssuedSession = new IssuedSessionRecord(
                Guid.NewGuid().ToString("N"), key, "111122223333", "AssumeRole", roleArn.Replace(":iam::", ":sts::", StringComparison.Ordinal).Replace(":role/", ":assumed-role/", StringComparison.Ordinal) + "/s",
                roleArn, issuedTo, null, now.AddSeconds(-1), now.AddHours(1), null),
        });
        return key;
    }
}
