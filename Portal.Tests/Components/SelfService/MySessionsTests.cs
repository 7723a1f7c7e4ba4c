using Bunit;
using MudBlazor;
using Portal.Components.Pages.Sessions;
using Portal.Core.Persistence.Entities;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.SelfService;

/// <summary>"My sessions" over the real services: the person's live sessions and revoking one (after confirming).</summary>
public sealed class MySessionsTests : SelfServiceComponentTest
{
    private const string Alice = Provider + "/alice-sub";

    private async Task AddSessionAsync(string id, string issuedTo, TimeSpan expiresIn)
    {
        var now = H.Time.GetUtcNow();
        await using var db = H.DbFactory.CreateDbContext();
        db.IssuedSessions.Add(new IssuedSessionEntity
        {
            SessionId = id,
            AccessKeyId = "ASIA" + id.ToUpperInvariant().PadRight(16, '0'),
            AccountId = EngineHarness.AccountA,
            Action = WebIdentity,
            Arn = $"arn:aws:sts::{EngineHarness.AccountA}:assumed-role/dev/" + id,
            SourcePrincipalArn = $"arn:aws:iam::{EngineHarness.AccountA}:role/dev",
            IssuedTo = issuedTo,
            IssuedAt = now - TimeSpan.FromMinutes(1),
            ExpiresAt = now + expiresIn,
        });
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<MudDialogProvider> RenderPage(out IRenderedComponent<MySessions> page)
    {
        SignInAlice();
        var provider = Render<MudDialogProvider>();
        page = Render<MySessions>();
        return provider;
    }

    private static IEnumerable<string?> SessionIds(IRenderedComponent<MySessions> page) =>
        page.FindAll("[data-testid=session]").Select(s => s.GetAttribute("data-session-id"));

    [Fact]
    public async Task Render_SessionsOfSeveralPeople_ShowsOnlyMyLiveOnes()
    {
        // Arrange
        await AddSessionAsync("mine", Alice, TimeSpan.FromHours(1));
        await AddSessionAsync("expired", Alice, TimeSpan.FromSeconds(-1));
        await AddSessionAsync("bobs", Provider + "/bob-sub", TimeSpan.FromHours(1));

        // Act
        RenderPage(out var page);

        // Assert
        page.WaitForAssertion(() => Assert.Equal(["mine"], SessionIds(page)));
    }

    [Fact]
    public async Task Revoke_Confirmed_SessionRevokedAndGone()
    {
        // Arrange
        await AddSessionAsync("mine", Alice, TimeSpan.FromHours(1));
        var dialogs = RenderPage(out var page);
        page.WaitForElement("[data-testid=revoke]").Click();

        // Act
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=no-sessions]");
        var reloaded = Render<MySessions>();
        reloaded.WaitForElement("[data-testid=no-sessions]");
    }

    [Fact]
    public async Task Revoke_Cancelled_SessionStays()
    {
        // Arrange
        await AddSessionAsync("mine", Alice, TimeSpan.FromHours(1));
        var dialogs = RenderPage(out var page);
        page.WaitForElement("[data-testid=revoke]").Click();

        // Act
        dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();

        // Assert: still listed, also on a fresh page (nothing was revoked).
        Assert.Equal(["mine"], SessionIds(page));
        var reloaded = Render<MySessions>();
        reloaded.WaitForAssertion(() => Assert.Equal(["mine"], SessionIds(reloaded)));
    }
}
