using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Downloads;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Persistence;
using Portal.Core.Sts;
using Portal.Services;
using Portal.Services.Downloads;
using Portal.Services.SelfService;

namespace Portal.Tests.Api.Downloads;

/// <summary>Single-use links and downloads inside the real host (routing, cookie, SQLite, audit writer, STS verifier).</summary>
public sealed class DownloadLinkApiTests : IDisposable
{
    private const string Template = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::downloads/${portal:username}/*"}]}
        """;

    private readonly DownloadsHost _host = new();

    public void Dispose() => _host.Dispose();

    private T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Baseline: a broker allowed GetFederationToken and reads of the bucket, and a profile for group "customers".</summary>
    private async Task<FederationProfile> CreateProfileAsync()
    {
        _ = _host.App.Server;
        var directory = Get<IamDirectory>();
        var account = AccountId.Parse(PortalAppFactory.AccountId);
        var broker = (await directory.CreateUserAsync(account, "broker")).Value!;
        Assert.True((await directory.PutInlinePolicyAsync(broker.Id, "broker", """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","s3:GetObject"],"Resource":"*"}]}
            """)).Succeeded);
        var saved = await Get<FederationProfileStore>().CreateAsync(
            new FederationProfileDraft("Customer files", null, PortalAppFactory.AccountId, "broker", Template, 900, ["customers"], []));
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        return saved.Profile!;
    }

    private async Task<string> CreateLinkAsync(FederationProfile profile, string subject = "alice", CredentialFormat format = CredentialFormat.CredentialsFile)
    {
        var link = await Get<CustomerDownloadsService>().CreateLinkAsync(DownloadsHost.Person(subject, "customers"), profile.Id, format, new RequestInfo());
        Assert.True(link.Succeeded, link.Message);
        return CustomerDownloadsService.LinkPath(link.Value!);
    }

    private static Dictionary<string, string> ParseIni(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" = ", StringComparison.Ordinal))
            .Select(l => l.Split(" = ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    [Fact]
    public async Task GetLink_Owner_DownloadsCredentialsFileOnceWithNoStore()
    {
        // Arrange
        var path = await CreateLinkAsync(await CreateProfileAsync());
        var browser = await _host.BrowserAsync("alice", "customers");

        // Act
        var first = await browser.GetAsync(new Uri(path, UriKind.Relative));
        var second = await browser.GetAsync(new Uri(path, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("attachment", first.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("credentials-ASIA", first.Content.Headers.ContentDisposition.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.Contains("no-store", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("aws_session_token = ", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.Contains("already been used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("no-store", second.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLink_AfterExpiry_Gone()
    {
        // Arrange
        var path = await CreateLinkAsync(await CreateProfileAsync());
        var browser = await _host.BrowserAsync("alice", "customers");
        _host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        // Act
        var response = await browser.GetAsync(new Uri(path, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLink_OtherPerson_ForbiddenAndOwnerCanStillUseIt()
    {
        // Arrange: links are bound to their creator (README "Customer downloads"), not bearer links.
        var path = await CreateLinkAsync(await CreateProfileAsync());
        var mallory = await _host.BrowserAsync("mallory", "customers");
        var alice = await _host.BrowserAsync("alice", "customers");

        // Act
        var stolen = await mallory.GetAsync(new Uri(path, UriKind.Relative));
        var owner = await alice.GetAsync(new Uri(path, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.DoesNotContain("aws_secret_access_key", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task GetLink_Anonymous_RedirectedToSignInAndLinkNotSpent()
    {
        // Arrange
        var path = await CreateLinkAsync(await CreateProfileAsync());
        var anonymous = await _host.BrowserAsync(null);

        // Act
        var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        var owner = await (await _host.BrowserAsync("alice", "customers")).GetAsync(new Uri(path, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task GetLink_UnknownToken_NotFound()
    {
        // Arrange
        var browser = await _host.BrowserAsync("alice", "customers");

        // Act
        var response = await browser.GetAsync(new Uri(CustomerDownloadsService.LinkPathPrefix + "not-a-token", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetLink_Downloaded_AuditedWithPersonProfileArnAndAccessKey()
    {
        // Arrange
        var profile = await CreateProfileAsync();
        var path = await CreateLinkAsync(profile);
        var browser = await _host.BrowserAsync("alice", "customers");

        // Act
        var file = ParseIni(await (await browser.GetAsync(new Uri(path, UriKind.Relative))).Content.ReadAsStringAsync());

        // Assert
        await using var db = await Get<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var events = await db.AuditEvents.AsNoTracking().ToListAsync();
        var issuedTo = DownloadsHost.Provider + "/alice";
        Assert.Contains(events, e => e.Action == CustomerDownloads.CreateLinkAction && e.Principal == issuedTo && e.Resource == profile.Id);
        Assert.Contains(events, e => e.Action == CustomerDownloads.UseLinkAction && e.Principal == issuedTo && e.Decision == "Allow");
        var download = Assert.Single(events, e => e.Action == CustomerDownloads.DownloadAction);
        Assert.Equal(issuedTo, download.Principal);
        Assert.Equal($"arn:aws:sts::{PortalAppFactory.AccountId}:federated-user/alice@example.com", download.Resource);
        Assert.Equal(file["aws_access_key_id"], download.IssuedAccessKeyId);
        Assert.Contains(profile.Id, download.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeAsync_DownloadedSession_ListedInMySessionsAndCredentialsStopWorking()
    {
        // Arrange
        var path = await CreateLinkAsync(await CreateProfileAsync());
        var browser = await _host.BrowserAsync("alice", "customers");
        var file = ParseIni(await (await browser.GetAsync(new Uri(path, UriKind.Relative))).Content.ReadAsStringAsync());
        var before = await _host.GetCallerIdentityAsync(file["aws_access_key_id"], file["aws_secret_access_key"], file["aws_session_token"]);
        var sessions = Get<SessionsService>();
        var alice = DownloadsHost.Person("alice", "customers");
        var session = Assert.Single(await sessions.ListMineAsync(alice));

        // Act
        var revoked = await sessions.RevokeAsync(alice, session.SessionId);
        var after = await _host.GetCallerIdentityAsync(file["aws_access_key_id"], file["aws_secret_access_key"], file["aws_session_token"]);

        // Assert
        Assert.Equal(200, before.Status);
        Assert.Contains($"arn:aws:sts::{PortalAppFactory.AccountId}:federated-user/alice@example.com", before.Body, StringComparison.Ordinal);
        Assert.Equal(file["aws_access_key_id"], session.AccessKeyId);
        Assert.True(revoked);
        Assert.Equal(403, after.Status);
    }
}
