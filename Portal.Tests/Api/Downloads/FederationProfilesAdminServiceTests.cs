using System.Text.Json;
using Portal.Core.Audit;
using Portal.Core.Downloads;
using Portal.Services.Downloads;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Api.Downloads;

/// <summary>Profile changes through the admin service are audited with the acting administrator and before/after values.</summary>
public sealed class FederationProfilesAdminServiceTests : IAsyncLifetime
{
    private const string Actor = "arn:aws:iam::111122223333:oidc-provider/idp.example.com|admin-sub";

    private const string BrokerPolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetFederationToken","s3:GetObject"],"Resource":"*"}]}
        """;

    private const string Template = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::downloads/${portal:email}/*"}]}
        """;

    private EngineHarness _h = null!;
    private FederationProfileStore _store = null!;
    private FederationProfilesAdminService _service = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _store = new FederationProfileStore(_h.DbFactory, _h.Directory, _h.Time);
        _service = new FederationProfilesAdminService(_store, _h.Directory, _h.Audit, _h.Time);
        await _h.CreateUserAsync("broker", BrokerPolicy);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Baseline form: the broker, the template, 1 hour, group "customers".</summary>
    private static FederationProfileInput Input(int duration = 3600, string groups = "customers", string? description = "Your files") => new()
    {
        Name = "Customer files",
        Description = description,
        AccountId = EngineHarness.AccountA,
        UserName = "broker",
        PolicyTemplate = Template,
        DurationSeconds = duration,
        AllowedGroups = groups,
    };

    private async Task<FederationProfile> CreateAsync()
    {
        var saved = await _service.CreateAsync(Actor, Input());
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        _h.Audit.Clear();
        return saved.Profile!;
    }

    private static JsonElement Message(AuditRecord record)
    {
        using var document = JsonDocument.Parse(record.Message!);
        return document.RootElement.Clone();
    }

    private static string[] Changed(JsonElement message) => [.. message.GetProperty("changed").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task CreateAsync_ValidInput_AuditsActorAndAfterValues()
    {
        // Act
        var saved = await _service.CreateAsync(Actor, Input());

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(FederationProfileAudit.CreateAction, record.Action);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal(Actor, record.Principal);
        Assert.Equal(saved.Profile!.Id, record.Resource);
        var message = Message(record);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("before").ValueKind);
        var after = message.GetProperty("after");
        Assert.Equal("broker", after.GetProperty("userName").GetString());
        Assert.Equal(Template, after.GetProperty("policyTemplate").GetString());
        Assert.Equal(3600, after.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("customers", Assert.Single(after.GetProperty("allowedGroups").EnumerateArray()).GetString());
        Assert.Contains("policyTemplate", Changed(message));
    }

    [Fact]
    public async Task UpdateAsync_DurationAndGroupsChanged_AuditsBeforeAfterAndChangedFields()
    {
        // Arrange
        var profile = await CreateAsync();

        // Act
        var saved = await _service.UpdateAsync(Actor, profile.Id, Input(duration: 900, groups: "customers\npartners"));

        // Assert
        Assert.True(saved.Succeeded);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(FederationProfileAudit.UpdateAction, record.Action);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal(Actor, record.Principal);
        Assert.Equal(profile.Id, record.Resource);
        var message = Message(record);
        Assert.Equal(3600, message.GetProperty("before").GetProperty("durationSeconds").GetInt32());
        Assert.Equal(900, message.GetProperty("after").GetProperty("durationSeconds").GetInt32());
        Assert.Equal(2, message.GetProperty("after").GetProperty("allowedGroups").GetArrayLength());
        Assert.Equal(["durationSeconds", "allowedGroups"], Changed(message));
    }

    [Fact]
    public async Task UpdateAsync_InvalidDuration_AuditsRefusalAndLeavesProfileUnchanged()
    {
        // Arrange
        var profile = await CreateAsync();

        // Act
        var saved = await _service.UpdateAsync(Actor, profile.Id, Input(duration: 60));

        // Assert
        Assert.False(saved.Succeeded);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("ValidationError", record.Reason);
        Assert.Equal(Actor, record.Principal);
        Assert.Equal(profile.Id, record.Resource);
        var message = Message(record);
        Assert.Equal(3600, message.GetProperty("before").GetProperty("durationSeconds").GetInt32());
        Assert.Equal(60, message.GetProperty("attempted").GetProperty("durationSeconds").GetInt32());
        Assert.True(message.GetProperty("errors").TryGetProperty(nameof(FederationProfileDraft.DurationSeconds), out _));
        Assert.Equal(3600, (await _store.GetAsync(profile.Id))!.DurationSeconds);
    }

    [Fact]
    public async Task UpdateAsync_UnknownProfile_AuditsNotFound()
    {
        // Act
        var saved = await _service.UpdateAsync(Actor, "fp-missing", Input());

        // Assert
        Assert.False(saved.Succeeded);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("NotFound", record.Reason);
        Assert.Equal("fp-missing", record.Resource);
        Assert.Equal(JsonValueKind.Null, Message(record).GetProperty("before").ValueKind);
    }

    [Fact]
    public async Task DeleteAsync_ExistingProfile_AuditsBeforeValuesAndNoAfter()
    {
        // Arrange
        var profile = await CreateAsync();

        // Act
        var deleted = await _service.DeleteAsync(Actor, profile.Id);

        // Assert
        Assert.True(deleted);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(FederationProfileAudit.DeleteAction, record.Action);
        Assert.Equal(AuditDecision.Allow, record.Decision);
        Assert.Equal(Actor, record.Principal);
        Assert.Equal(profile.Id, record.Resource);
        var message = Message(record);
        Assert.Equal(profile.Name, message.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("after").ValueKind);
        Assert.Null(await _store.GetAsync(profile.Id));
    }

    [Fact]
    public async Task DeleteAsync_MissingProfile_AuditsDenyNotFound()
    {
        // Act
        var deleted = await _service.DeleteAsync(Actor, "fp-missing");

        // Assert
        Assert.False(deleted);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(AuditDecision.Deny, record.Decision);
        Assert.Equal("NotFound", record.Reason);
        Assert.Equal(Actor, record.Principal);
    }

    [Fact]
    public async Task CreateAsync_DescriptionWithLineBreakAndBidiOverride_EscapedInTheAuditMessage()
    {
        // Arrange: SECURITY-CASES 104h (3): a value must not forge a line in a text export or reorder it on screen.
        var description = "files\r\nadmin:DeleteEverything \u202Egnp.exe";

        // Act
        await _service.CreateAsync(Actor, Input(description: description));

        // Assert
        var record = Assert.Single(_h.Audit.Records);
        Assert.DoesNotContain('\n', record.Message!);
        Assert.DoesNotContain('\u202E', record.Message!);
        Assert.Equal(description, Message(record).GetProperty("after").GetProperty("description").GetString());
    }
}
