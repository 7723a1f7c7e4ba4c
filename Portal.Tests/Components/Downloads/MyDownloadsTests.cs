using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Components.Pages.Downloads;
using Portal.Core.Downloads;
using Portal.Services.Downloads;
using Portal.Services.SelfService;
using Portal.Tests.Components.SelfService;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.Downloads;

/// <summary>The /downloads page over the real download services and the in-memory engine.</summary>
public sealed class MyDownloadsTests : SelfServiceComponentTest
{
    private const string Template = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::downloads/${portal:email}/*"}]}
        """;

    private FederationProfileStore _store = null!;

    /// <summary>Baseline: a broker allowed GetFederationToken and a profile naming alice; alice signed in.</summary>
    private async Task<FederationProfile> ArrangeAsync(string allowed = Provider + "|alice-sub")
    {
        _store = new FederationProfileStore(H.DbFactory, H.Directory, H.Time);
        var downloads = new CustomerDownloads(H.DbFactory, _store, H.Directory, H.Engine, H.Audit, H.Time, Options.Create(new CustomerDownloadOptions()), NullLogger<CustomerDownloads>.Instance);
        Services.AddSingleton(Options.Create(new CustomerDownloadOptions()));
        Services.AddSingleton(new CustomerDownloadsService(downloads, new DownloadPeople(new PortalPersonResolver(H.Directory))));
        await H.CreateUserAsync("broker", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","s3:GetObject"],"Resource":"*"}]}""");
        var saved = await _store.CreateAsync(new FederationProfileDraft("Customer files", "Your invoices", EngineHarness.AccountA, "broker", Template, 3600, [], [allowed]));
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        SignInAlice();
        return saved.Profile!;
    }

    [Fact]
    public async Task Render_ProfileNamingSomeoneElse_NothingShared()
    {
        // Arrange
        await ArrangeAsync(allowed: Provider + "|bob-sub");

        // Act
        var cut = Render<MyDownloads>();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-downloads]")));
        Assert.Empty(cut.FindAll("[data-testid=download-profile]"));
    }

    [Fact]
    public async Task Download_AllowedProfile_SavesCredentialsFileAndShowsFederatedUser()
    {
        // Arrange
        var profile = await ArrangeAsync();
        var cut = Render<MyDownloads>();
        cut.WaitForAssertion(() => Assert.Equal(profile.Id, cut.Find("[data-testid=download-profile]").GetAttribute("data-profile-id")));

        // Act
        await cut.Find("[data-testid=download-file]").ClickAsync(new());

        // Assert
        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.downloadText");
        Assert.StartsWith("credentials-ASIA", (string)call.Arguments[0]!, StringComparison.Ordinal);
        Assert.Contains("aws_session_token = ", (string)call.Arguments[1]!, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:sts::{EngineHarness.AccountA}:federated-user/alice@example.com", cut.Find("[data-testid=download-result]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateLink_AllowedProfile_ShowsAbsoluteSingleUseLinkAndIssuesNothingYet()
    {
        // Arrange
        await ArrangeAsync();
        var cut = Render<MyDownloads>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=create-link]")));

        // Act
        await cut.Find("[data-testid=create-link]").ClickAsync(new());

        // Assert
        var link = cut.Find("[data-testid=download-link]").TextContent;
        Assert.StartsWith("http://localhost" + CustomerDownloadsService.LinkPathPrefix, link, StringComparison.Ordinal);
        Assert.Contains("15 minutes", cut.Find("[data-testid=download-result]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(H.Audit.Records, r => r.IssuedSession is not null);
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "portal.downloadText");
    }
}
