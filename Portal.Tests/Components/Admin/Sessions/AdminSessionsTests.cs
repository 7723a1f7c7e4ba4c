using Bunit;
using Portal.Components.Admin.Sessions;
using Portal.Core.Persistence.Entities;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.Admin.Sessions;

/// <summary>/admin/sessions over the real service: empty state and the revoke confirmation.</summary>
public sealed class AdminSessionsTests : AdminComponentTest
{
    private const string SessionId = "s1";
    private const string AccessKeyId = "ASIAADMINSESSIONS001";

    [Fact]
    public void Render_NoLiveSessions_ShowsTheEmptyStateExplainingWhatAppears()
    {
        // Act
        RenderWithDialogs<AdminSessions>(out var page);

        // Assert
        var empty = page.WaitForElement("[data-testid=sessions-empty]");
        Assert.Contains("unexpired and not revoked", empty.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeOne_Cancelled_NothingRevokedAndTheRowStays()
    {
        // Arrange
        await AddSessionAsync();
        var dialogs = RenderWithDialogs<AdminSessions>(out var page);
        ClickRevoke(page);

        // Act
        dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();

        // Assert
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        Assert.Single(page.FindAll("[data-testid=sessions-table] tbody tr"));
        await using var db = H.DbFactory.CreateDbContext();
        Assert.Empty(db.Revocations);
        Assert.Empty(H.Audit.Records);
    }

    [Fact]
    public async Task RevokeOne_Confirmed_SessionRevokedAuditedAndGone()
    {
        // Arrange
        await AddSessionAsync();
        var dialogs = RenderWithDialogs<AdminSessions>(out var page);
        ClickRevoke(page);
        Assert.Contains(AccessKeyId, dialogs.WaitForElement("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal);

        // Act
        dialogs.Find("[data-testid=confirm-ok]").Click();

        // Assert
        Snackbars.WaitForAssertion(() => Assert.Contains($"Revoked {AccessKeyId}.", Snackbars.Markup, StringComparison.Ordinal));
        page.WaitForElement("[data-testid=sessions-empty]");
        await using var db = H.DbFactory.CreateDbContext();
        Assert.Equal(SessionId, Assert.Single(db.Revocations).Target);
        var audit = Assert.Single(H.Audit.Records);
        Assert.Equal("admin:RevokeSession", audit.Action);
        Assert.Equal(Administrator, audit.Principal);
    }

    private static void ClickRevoke(IRenderedComponent<AdminSessions> page)
    {
        page.WaitForElement("[data-testid=sessions-table]");
        page.FindAll("[data-testid=sessions-table] tbody tr button").Single(b => b.TextContent.Trim() == "Revoke").Click();
    }

    private async Task AddSessionAsync()
    {
        var now = H.Time.GetUtcNow();
        await using var db = H.DbFactory.CreateDbContext();
        db.IssuedSessions.Add(new IssuedSessionEntity
        {
            SessionId = SessionId,
            AccessKeyId = AccessKeyId,
            AccountId = EngineHarness.AccountA,
            Action = "sts:AssumeRoleWithWebIdentity",
            Arn = $"arn:aws:sts::{EngineHarness.AccountA}:assumed-role/dev/bob",
            SourcePrincipalArn = $"arn:aws:iam::{EngineHarness.AccountA}:role/dev",
            IssuedTo = "bob@example.test",
            IssuedAt = now - TimeSpan.FromMinutes(1),
            ExpiresAt = now + TimeSpan.FromHours(1),
        });
        await db.SaveChangesAsync();
    }
}
