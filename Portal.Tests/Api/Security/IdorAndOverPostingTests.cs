using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Authentication;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Services.Admin;
using Portal.Tests.Api.Account;

namespace Portal.Tests.Api.Security;

/// <summary>
/// SECURITY-CASES 104f: ids in admin URLs reach only what they name (another account's role, or garbage, is "not found");
/// extra form fields change nothing; search text is a value, never SQL or a LIKE pattern.
/// </summary>
public sealed partial class IdorAndOverPostingTests(AdminAppFactory app, AccountAppFixture account)
    : IClassFixture<AdminAppFactory>, IClassFixture<AccountAppFixture>
{
    private const string TrustPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>Properties an edit model must never carry: identity, ownership, audit and privilege (mass assignment).</summary>
    private static readonly string[] NonEditable =
        ["Id", "AccountId", "TenantId", "Arn", "UserId", "RoleId", "CreatedAt", "CreatedBy", "UpdatedAt", "IsAdmin", "IsAdministrator", "Role", "PasswordHash"];

    // Reviewed exceptions: fields named like identity fields that are the administrator's own choice on that form.
    // FederationProfileInput.AccountId picks the account of the IAM user that bounds a profile's downloads; administrators
    // administer every account, and the service resolves the user inside that account (an unknown pair is a field error).
    private static readonly string[] ReviewedEditable = ["FederationProfileInput.AccountId"];

    public static TheoryData<string> SearchInjections => new()
    {
        "' OR 1=1 --",
        "\" OR \"\"=\"",
        "'; DELETE FROM AuditEvents; --",
        "%",
        "_",
        "\\",
    };

    [Fact]
    public async Task GetRoleDetail_RoleOfAnotherAccount_IsNotFoundAndShowsNothingOfIt()
    {
        // Arrange: a role that exists only in a second account; the URL names the first account.
        var (other, name, marker) = await CreateRoleInOtherAccountAsync();
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var foreign = await client.GetAsync(new Uri($"/admin/roles/{PortalAppFactory.AccountId}/{name}", UriKind.Relative));
        var own = await client.GetAsync(new Uri($"/admin/roles/{other}/{name}", UriKind.Relative));

        // Assert: the positive control shows the page would have rendered the role's data.
        var html = await foreign.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
        Assert.Contains("role-missing", html, StringComparison.Ordinal);
        Assert.DoesNotContain(other, html, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, html, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:iam::{other}:role/{name}", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/roles/999999999999/NoSuchRole")]
    [InlineData("/admin/roles/not-an-account/x")]
    [InlineData("/admin/roles/111122223333/%27%20OR%201%3D1%20--")]
    [InlineData("/admin/roles/111122223333/..%2F..%2Fadmin")]
    public async Task GetRoleDetail_NonexistentOrGarbageId_IsNotFound(string url)
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        // Assert: a "not found" answer, never a server error or someone's role.
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.NotFound || (response.StatusCode == HttpStatusCode.OK && html.Contains("role-missing", StringComparison.Ordinal)),
            $"{(int)response.StatusCode}");
        Assert.DoesNotContain(":role/", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EditModels_AllInputTypes_HoldNoIdentityOwnershipOrPrivilegeField()
    {
        // Arrange
        var inputs = typeof(RoleInput).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Portal.Services", StringComparison.Ordinal) == true && t.Name.EndsWith("Input", StringComparison.Ordinal))
            .ToList();

        // Act
        var offending = inputs
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => (Type: t, Property: p.Name)))
            .Where(p => NonEditable.Contains(p.Property, StringComparer.OrdinalIgnoreCase))
            .Select(p => $"{p.Type.Name}.{p.Property}")
            .Except(ReviewedEditable, StringComparer.Ordinal)
            .ToList();

        // Assert
        Assert.Contains(typeof(RoleInput), inputs);
        Assert.Empty(offending);
    }

    [Fact]
    public async Task LocalSignIn_OverPostedPrivilegeFields_AreIgnored()
    {
        // Arrange: a non-administrator; every form post carries fields that would make them one, or someone else.
        var (user, password) = await account.CreateUserAsync();
        var (victim, _) = await account.CreateUserAsync(administrator: true);
        (string, string)[] extra =
        [
            ("IsAdmin", "true"), ("Role", PortalClaimTypes.AdministratorRole), (PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole),
            ("UserId", victim.Id), ("TenantId", "999999999999"), ("CreatedBy", "root"), ("amr", "mfa"),
        ];
        using var client = account.CreateClient();
        var (_, signInToken) = await AccountAppFixture.GetFormAsync(client, "/account/signin");
        await AccountAppFixture.PostAsync(client, "/account/signin", signInToken, [("userName", user.Name), ("password", password), .. extra]);
        var (html, token) = await AccountAppFixture.GetFormAsync(client, "/account/mfa");
        var totp = new Totp(Base32Encoding.ToBytes(SecretPattern().Match(html).Groups[1].Value));
        var now = account.Time.GetUtcNow().UtcDateTime;

        // Act
        var response = await AccountAppFixture.PostAsync(
            client, "/account/mfa/enrol", token, [("code1", totp.ComputeTotp(now)), ("code2", totp.ComputeTotp(now + TimeSpan.FromSeconds(30))), .. extra]);

        // Assert
        var ticket = account.TicketOf(response, PortalAuthenticationDefaults.CookieScheme);
        Assert.NotNull(ticket);
        Assert.False(AccountAppFixture.IsAdministrator(ticket.Principal));
        Assert.Equal(user.Id, ticket.Principal.FindFirst(PortalClaimTypes.UserId)?.Value);
        Assert.Equal(PortalAppFactory.AccountId, ticket.Principal.FindFirst(PortalClaimTypes.AccountId)?.Value);
    }

    [Theory]
    [MemberData(nameof(SearchInjections))]
    public async Task AdminSearch_InjectionText_ReturnsNothingExtra(string text)
    {
        // Arrange: rows exist that an injected "match everything" would return.
        await app.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = "test:search",
            Decision = AuditDecision.Allow,
            Principal = "someone-" + Guid.NewGuid().ToString("N"),
        });
        var audit = app.Services.GetRequiredService<AuditQueryService>();
        var sessions = app.Services.GetRequiredService<SessionsAdminService>();
        Assert.NotEmpty((await audit.QueryAsync(new AuditFilter(), 0, 10)).Items);

        // Act
        var byPrincipal = await audit.QueryAsync(new AuditFilter(Principal: text), 0, 10);
        var byAction = await audit.QueryAsync(new AuditFilter(Action: text), 0, 10);
        var live = await sessions.ListLiveAsync(new LiveSessionFilter(Principal: text, Role: text));

        // Assert
        Assert.Empty(byPrincipal.Items);
        Assert.Empty(byAction.Items);
        Assert.Empty(live);
    }

    [Fact]
    public void SourceCode_RawSql_IsOnlyEverAConstantLiteral()
    {
        // Arrange: EF's *Raw APIs and ADO CommandText take SQL text; anything but one literal could splice input into it
        // (EF Core raw SQL docs: use FromSql/FromSqlInterpolated, which parameterise).
        var root = RepositoryRoot();
        var files = new[] { "Portal", "Portal.Core", "Portal.Bench" }
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        // Act
        var offending = new List<string>();
        var calls = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match call in RawSqlCall().Matches(text))
            {
                calls++;
                if (!ConstantSql().IsMatch(text, call.Index + call.Length))
                {
                    offending.Add($"{Path.GetRelativePath(root, file)}: {call.Value}");
                }
            }
        }

        // Assert: the scan sees the known constant PRAGMA call, so it is not vacuous.
        Assert.True(calls > 0);
        Assert.Empty(offending);
    }

    private async Task<(string Account, string Name, string Marker)> CreateRoleInOtherAccountAsync()
    {
        var directory = app.Services.GetRequiredService<IamDirectory>();
        var other = (await directory.CreateAccountAsync(null, "other-" + Guid.NewGuid().ToString("N")[..8])).Value!.Id;
        var name = "OnlyInOther" + Guid.NewGuid().ToString("N")[..8];
        var marker = "secret-description-" + Guid.NewGuid().ToString("N");
        Assert.True((await directory.CreateRoleAsync(AccountId.Parse(other), name, TrustPolicy, null, marker)).Succeeded);
        return (other, name, marker);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test output.");
    }

    [GeneratedRegex(@"\b(?:FromSqlRaw|ExecuteSqlRaw(?:Async)?|SqlQueryRaw|CommandText\s*=)\s*\(?")]
    private static partial Regex RawSqlCall();

    /// <summary>One ordinary or verbatim string literal, then the end of the argument or statement.</summary>
    [GeneratedRegex(@"\G\s*@?""(?:[^""\\]|\\.|"""")*""\s*[,);]")]
    private static partial Regex ConstantSql();

    [GeneratedRegex("<code id=\"totp-secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretPattern();
}
