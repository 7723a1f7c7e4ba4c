using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Downloads;
using Portal.Core.Sts;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Core.Downloads;

/// <summary>Profiles, authorization, issuance and links over the whole engine (in-memory SQLite, frozen clock).</summary>
public sealed class CustomerDownloadsTests : IAsyncLifetime
{
    private const string Provider = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";

    // The bounding user may read and write every customer's prefix; the template narrows each download to reads of one.
    private const string BrokerPolicy = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"},
          {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::downloads/*"}]}
        """;

    private const string Template = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::downloads/${portal:username}/*"}]}
        """;

    private EngineHarness _h = null!;
    private FederationProfileStore _store = null!;
    private CustomerDownloads _downloads = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _store = new FederationProfileStore(_h.DbFactory, _h.Directory, _h.Time);
        _downloads = new CustomerDownloads(_h.DbFactory, _store, _h.Directory, _h.Engine, _h.Audit, _h.Time, Options.Create(new CustomerDownloadOptions()), NullLogger<CustomerDownloads>.Instance);
        await _h.CreateUserAsync("broker", BrokerPolicy);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Baseline customer: alice at idp.example.com, in group "customers".</summary>
    private static DownloadPerson Alice(string subject = "alice-sub", string userName = "alice", params string[] groups) =>
        new(Provider + "|" + subject, Provider + "/" + subject, userName, userName + "@example.com", Provider, groups.Length == 0 ? ["customers"] : groups);

    /// <summary>Baseline profile: the broker, the template, 1 hour, group "customers".</summary>
    private static FederationProfileDraft Draft(
        string name = "Customer files", string userName = "broker", string template = Template, int duration = 3600, string[]? groups = null, string[]? people = null) =>
        new(name, "Your files", EngineHarness.AccountA, userName, template, duration, groups ?? ["customers"], people ?? []);

    private async Task<FederationProfile> CreateProfileAsync(FederationProfileDraft? draft = null)
    {
        var saved = await _store.CreateAsync(draft ?? Draft());
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        return saved.Profile!;
    }

    private static RequestInfo Info() => new() { UserAgent = "test" };

    // ---- profiles --------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(899)]
    [InlineData(129601)]
    public async Task CreateAsync_DurationOutsideGetFederationTokenRange_ErrorOnDuration(int seconds)
    {
        // Act
        var saved = await _store.CreateAsync(Draft(duration: seconds));

        // Assert
        Assert.False(saved.Succeeded);
        Assert.Contains(nameof(FederationProfileDraft.DurationSeconds), saved.Errors.Keys);
    }

    [Fact]
    public async Task CreateAsync_UnknownIamUser_ErrorOnUserName()
    {
        // Act
        var saved = await _store.CreateAsync(Draft(userName: "nobody"));

        // Assert
        Assert.Equal([nameof(FederationProfileDraft.UserName)], saved.Errors.Keys);
    }

    [Fact]
    public async Task CreateAsync_TemplateNotAPolicy_ErrorOnTemplateWithLine()
    {
        // Act
        var saved = await _store.CreateAsync(Draft(template: "{\n\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\"}]}"));

        // Assert
        Assert.StartsWith("Line ", saved.Errors[nameof(FederationProfileDraft.PolicyTemplate)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NobodyMayUseIt_ErrorOnGroups()
    {
        // Act
        var saved = await _store.CreateAsync(Draft(groups: []));

        // Assert
        Assert.Contains(nameof(FederationProfileDraft.AllowedGroups), saved.Errors.Keys);
    }

    [Fact]
    public async Task CreateAsync_NameTakenInAnotherCase_ErrorOnName()
    {
        // Arrange
        await CreateProfileAsync();

        // Act
        var saved = await _store.CreateAsync(Draft(name: "CUSTOMER FILES"));

        // Assert
        Assert.Equal([nameof(FederationProfileDraft.Name)], saved.Errors.Keys);
    }

    [Fact]
    public async Task UpdateAndDelete_ExistingProfile_ChangedThenGone()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var updated = await _store.UpdateAsync(profile.Id, Draft(duration: 900, groups: ["partners"]));
        var deleted = await _store.DeleteAsync(profile.Id);

        // Assert
        Assert.True(updated.Succeeded);
        Assert.Equal(900, updated.Profile!.DurationSeconds);
        Assert.Equal(["partners"], updated.Profile.AllowedGroups);
        Assert.Equal(profile.Id, deleted?.Id);
        Assert.Null(await _store.GetAsync(profile.Id));
    }

    // ---- authorization ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(new[] { "customers" }, new string[0], true)]
    [InlineData(new[] { "Customers" }, new string[0], false)]
    [InlineData(new[] { "partners" }, new string[0], false)]
    [InlineData(new[] { "partners" }, new[] { Provider + "|alice-sub" }, true)]
    [InlineData(new[] { "partners" }, new[] { Provider + "|bob-sub" }, false)]
    [InlineData(new[] { "partners" }, new[] { "alice" }, false)]
    public void IsAllowed_FederatedPerson_ByGroupOrSubjectOnly(string[] personGroups, string[] allowedPeople, bool expected)
    {
        // Arrange: a display name ("alice") is never an identifier; only the portal subject names a federated person.
        var profile = new FederationProfile("fp-1", "p", null, EngineHarness.AccountA, "AIDA", "broker", Template, 3600, ["customers"], allowedPeople, EngineHarness.Start);

        // Act
        var allowed = FederationProfileStore.IsAllowed(profile, Alice(groups: personGroups));

        // Assert
        Assert.Equal(expected, allowed);
    }

    [Theory]
    [InlineData("carol", true)]
    [InlineData("arn:aws:iam::111122223333:user/carol", true)]
    [InlineData("arn:aws:iam::111122223333:user/dave", false)]
    public void IsAllowed_LocalUser_ByIamUserNameOrArn(string allowed, bool expected)
    {
        // Arrange
        var profile = new FederationProfile("fp-1", "p", null, EngineHarness.AccountA, "AIDA", "broker", Template, 3600, [], [allowed], EngineHarness.Start);
        var carol = new DownloadPerson("arn:aws:iam::111122223333:user/carol", "arn:aws:iam::111122223333:user/carol", "carol", null, "local", [], "arn:aws:iam::111122223333:user/carol");

        // Act
        var result = FederationProfileStore.IsAllowed(profile, carol);

        // Assert
        Assert.Equal(expected, result);
    }

    // ---- issuance --------------------------------------------------------------------------------------------------

    [Fact]
    public async Task DownloadAsync_AllowedPerson_FederatedUserOfThemWithIntersectedPermissions()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var result = await _downloads.DownloadAsync(Alice(), profile.Id, Info());

        // Assert: GetFederationToken as the broker; the session may only read alice's prefix (broker ∩ rendered policy).
        Assert.True(result.Succeeded, result.Message);
        var download = result.Value!;
        Assert.Equal($"arn:aws:sts::{EngineHarness.AccountA}:federated-user/alice@example.com", download.FederatedUserArn);
        var session = await _h.ClaimsOfAsync(download.Credentials);
        Assert.Equal(SessionKind.FederatedUser, session.Kind);
        Assert.True((await _h.Engine.EvaluateAsync(session, "s3:GetObject", "arn:aws:s3:::downloads/alice/report.pdf")).Allowed);
        Assert.False((await _h.Engine.EvaluateAsync(session, "s3:GetObject", "arn:aws:s3:::downloads/bob/report.pdf")).Allowed);
        Assert.False((await _h.Engine.EvaluateAsync(session, "s3:PutObject", "arn:aws:s3:::downloads/alice/report.pdf")).Allowed);
        Assert.False((await _h.Engine.EvaluateAsync(session, "s3:ListBucket", "arn:aws:s3:::downloads/alice/x")).Allowed);
        Assert.Equal(session.ExpiresAt, _h.Time.GetUtcNow().AddSeconds(3600));
    }

    [Fact]
    public async Task DownloadAsync_Issued_AuditedWithPersonProfileArnAndKeyAndSessionIssuedToPerson()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var result = await _downloads.DownloadAsync(Alice(), profile.Id, Info());

        // Assert
        var issuance = Assert.Single(_h.Audit.Records, r => r.Action == "sts:GetFederationToken");
        Assert.Equal(Alice().IssuedTo, issuance.IssuedSession!.IssuedTo);
        var download = Assert.Single(_h.Audit.Records, r => r.Action == CustomerDownloads.DownloadAction);
        Assert.Equal(AuditDecision.Allow, download.Decision);
        Assert.Equal(Alice().IssuedTo, download.Principal);
        Assert.Equal(result.Value!.FederatedUserArn, download.Resource);
        Assert.Equal(result.Value.Credentials.AccessKeyId, download.IssuedAccessKeyId);
        Assert.Contains(profile.Id, download.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_PersonNotAdmitted_RefusedAndAuditedNothingIssued()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var result = await _downloads.DownloadAsync(Alice(groups: "partners"), profile.Id, Info());

        // Assert
        Assert.Equal(DownloadStatus.NotAllowed, result.Status);
        Assert.DoesNotContain(_h.Audit.Records, r => r.IssuedSession is not null);
        Assert.Contains(_h.Audit.Records, r => r.Action == CustomerDownloads.DownloadAction && r.Decision == AuditDecision.Deny);
    }

    [Fact]
    public async Task DownloadAsync_UserNameInjectingAWildcard_RefusedNothingIssued()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var result = await _downloads.DownloadAsync(Alice(userName: "*"), profile.Id, Info());

        // Assert
        Assert.Equal(DownloadStatus.Refused, result.Status);
        Assert.DoesNotContain(_h.Audit.Records, r => r.IssuedSession is not null);
    }

    [Fact]
    public async Task DownloadAsync_BrokerLacksGetFederationToken_RefusedByTheEngine()
    {
        // Arrange
        await _h.CreateUserAsync("weak", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""");
        var profile = await CreateProfileAsync(Draft(userName: "weak"));

        // Act
        var result = await _downloads.DownloadAsync(Alice(), profile.Id, Info());

        // Assert
        Assert.Equal(DownloadStatus.Refused, result.Status);
        Assert.Contains("sts:GetFederationToken", result.Message, StringComparison.Ordinal);
    }

    // ---- links -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ConsumeLinkAsync_Twice_SecondIsUsed()
    {
        // Arrange
        var profile = await CreateProfileAsync();
        var link = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;

        // Act
        var first = await _downloads.ConsumeLinkAsync(Alice(), link.Token, Info());
        var second = await _downloads.ConsumeLinkAsync(Alice(), link.Token, Info());

        // Assert
        Assert.True(first.Succeeded, first.Message);
        Assert.Equal("DotEnv", first.Value!.Format);
        Assert.Equal(DownloadStatus.LinkUsed, second.Status);
        Assert.Single(_h.Audit.Records, r => r.IssuedSession is not null);
    }

    [Fact]
    public async Task ConsumeLinkAsync_AfterFifteenMinutes_Expired()
    {
        // Arrange
        var profile = await CreateProfileAsync();
        var link = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;
        _h.Time.Advance(TimeSpan.FromMinutes(15));

        // Act
        var result = await _downloads.ConsumeLinkAsync(Alice(), link.Token, Info());

        // Assert
        Assert.Equal(DownloadStatus.LinkExpired, result.Status);
        Assert.Equal(_h.Time.GetUtcNow(), link.ExpiresAt);
    }

    [Fact]
    public async Task ConsumeLinkAsync_OtherPerson_RefusedAndLinkStillWorksForOwner()
    {
        // Arrange
        var profile = await CreateProfileAsync();
        var link = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;

        // Act
        var mallory = await _downloads.ConsumeLinkAsync(Alice(subject: "mallory-sub", userName: "mallory"), link.Token, Info());
        var owner = await _downloads.ConsumeLinkAsync(Alice(), link.Token, Info());

        // Assert
        Assert.Equal(DownloadStatus.NotOwner, mallory.Status);
        Assert.True(owner.Succeeded, owner.Message);
        Assert.Contains(_h.Audit.Records, r => r.Action == CustomerDownloads.UseLinkAction && r.Reason == nameof(DownloadStatus.NotOwner));
    }

    [Fact]
    public async Task CreateLinkAsync_Token_RandomAndStoredOnlyHashed()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var a = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;
        var b = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;

        // Assert: 32 random bytes (256 bits) as base64url; the database holds the SHA-256 only.
        Assert.Equal(43, a.Token.Length);
        Assert.NotEqual(a.Token, b.Token);
        await using var db = _h.DbFactory.CreateDbContext();
        Assert.Equal(
            new[] { CustomerDownloads.HashToken(a.Token), CustomerDownloads.HashToken(b.Token) }.Order(StringComparer.Ordinal),
            db.DownloadLinks.Select(l => l.TokenHash).AsEnumerable().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(db.DownloadLinks.AsEnumerable(), l => l.TokenHash.Contains(a.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateLinkAsync_PersonNotAdmitted_Refused()
    {
        // Arrange
        var profile = await CreateProfileAsync();

        // Act
        var result = await _downloads.CreateLinkAsync(Alice(groups: "partners"), profile.Id, "DotEnv", Info());

        // Assert
        Assert.Equal(DownloadStatus.NotAllowed, result.Status);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task ConsumeLinkAsync_ProfileNoLongerAdmitsPerson_RefusedAtUse()
    {
        // Arrange
        var profile = await CreateProfileAsync();
        var link = (await _downloads.CreateLinkAsync(Alice(), profile.Id, "DotEnv", Info())).Value!;
        Assert.True((await _store.UpdateAsync(profile.Id, Draft(groups: ["partners"]))).Succeeded);

        // Act
        var result = await _downloads.ConsumeLinkAsync(Alice(), link.Token, Info());

        // Assert
        Assert.Equal(DownloadStatus.NotAllowed, result.Status);
        Assert.DoesNotContain(_h.Audit.Records, r => r.IssuedSession is not null);
    }
}
