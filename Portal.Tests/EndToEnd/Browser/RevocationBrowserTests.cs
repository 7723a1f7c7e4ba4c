using System.Text.Json;
using Microsoft.Playwright;
using Portal.Core.Sts;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Flow 5 of the portal-UI issue: an administrator revokes an employee's live session and the CLI stops working.</summary>
[Collection(BrowserGroup.Name)]
public sealed class RevocationBrowserTests(BrowserE2EFixture fixture) : AdminBrowserTestBase(fixture)
{
    private const string RoleName = "e2e-revocation-role";

    [Fact]
    public Task RevokeSession_InAdminSessions_CliCallFailsWithTheRevokedError() => InAdminAndEmployeeBrowsersAsync(async (admin, employee) =>
    {
        // Arrange: a role bob may use through the portal's OIDC sign-in; bob gets credentials and the CLI works with them.
        await CreatePortalOidcRoleAsync(RoleName);
        await OpenMyRolesAsync(employee, "bob", "bob-pw");
        var credentials = await GetCredentialsAsync(employee, RoleName);
        var sessionArn = $"arn:aws:sts::{BrowserE2EFixture.AccountId}:assumed-role/{RoleName}/bob@example.test";
        var before = await Fixture.AwsAsync(["sts", "get-caller-identity"], credentials);
        Assert.True(before.ExitCode == 0, before.Describe());
        using (var identity = JsonDocument.Parse(before.StdOut))
        {
            Assert.Equal(sessionArn, identity.RootElement.GetProperty("Arn").GetString());
        }

        // Act: the administrator finds the session by its access key and revokes it, confirming the dialog.
        await admin.GotoAsync(BrowserE2EFixture.PortalOrigin + "/admin/sessions");
        await WaitForInteractiveAsync(admin);
        await admin.Locator("input[data-testid=filter-role]").FillAsync(RoleName);
        await admin.Locator("[data-testid=filter-apply]").ClickAsync();
        var row = admin.Locator("[data-testid=sessions-table] tbody tr").Filter(new() { HasText = credentials.AccessKeyId });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=confirm-message]")).ToContainTextAsync(credentials.AccessKeyId);
        await admin.Locator("[data-testid=confirm-ok]").ClickAsync();
        await Assertions.Expect(admin.GetByText($"Revoked {credentials.AccessKeyId}.")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        var after = await Fixture.AwsAsync(["sts", "get-caller-identity"], credentials);

        // Assert: the error StsApi returns for a revoked session's signature (SECURITY-CASES 93a), word for word.
        Assert.True(after.ExitCode != 0, after.Describe());
        var code = StsErrors.WireCode(StsErrorCode.AccessDenied);
        var message = $"User: {sessionArn} is not authorized to perform: sts:GetCallerIdentity because the session has been revoked.";
        Assert.Equal($"An error occurred ({code}) when calling the GetCallerIdentity operation: {message}", after.StdErr.Trim());
    });
}
