using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>GetAccessKeyInfo (STS-SPEC §1.7, §4.1, §7.7).</summary>
public sealed class GetAccessKeyInfoTests : IAsyncLifetime
{
    private EngineHarness _h = null!;
    private TestUser _reader = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _reader = await _h.CreateUserAsync("reader", PolicyJson.Allow("*", "sts:GetAccessKeyInfo"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<StsOutcome<string>> GetAsync(string? keyId, Caller? caller = null) =>
        _h.Engine.GetAccessKeyInfoAsync(caller ?? _reader.Caller, keyId, new RequestInfo());

    [Fact]
    public async Task GetAccessKeyInfo_LongTermKeyOfAnotherAccount_ReturnsThatAccount()
    {
        // Arrange
        var other = await _h.CreateUserAsync("other", account: AccountB);

        // Act
        var account = Ok(await GetAsync(other.Key.Key.AccessKeyId));

        // Assert
        Assert.Equal(AccountB, account);
    }

    [Fact]
    public async Task GetAccessKeyInfo_TemporaryKey_ReturnsIssuingAccount()
    {
        // Arrange
        var creds = Ok(await _h.Engine.GetSessionTokenAsync(_reader.Caller, new GetSessionTokenRequest(), new RequestInfo()));

        // Act
        var account = Ok(await GetAsync(creds.AccessKeyId));

        // Assert
        Assert.Equal(AccountA, account);
    }

    [Fact]
    public async Task GetAccessKeyInfo_WithoutPermission_IsDenied()
    {
        // Arrange
        var nobody = await _h.CreateUserAsync("nobody");

        // Act
        var outcome = await GetAsync(_reader.Key.Key.AccessKeyId, nobody.Caller);

        // Assert
        Assert.StartsWith($"User: {nobody.Arn} is not authorized to perform: sts:GetAccessKeyInfo on resource: * Encoded authorization failure message: ", Fails(outcome, StsErrorCode.AccessDenied).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessKeyInfo_Root_IsAllowedWithoutPolicy()
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();

        // Act
        var account = Ok(await GetAsync(_reader.Key.Key.AccessKeyId, root));

        // Assert
        Assert.Equal(AccountA, account);
    }

    [Theory]
    [InlineData("AKIASHORT", "Member must have length greater than or equal to 16")]
    [InlineData("AKIA-123456789012345", @"Member must satisfy regular expression pattern: [\w]*")]
    public async Task GetAccessKeyInfo_MalformedKeyId_FailsValidation(string keyId, string constraint)
    {
        // Arrange
        var caller = _reader.Caller;

        // Act
        var outcome = await GetAsync(keyId, caller);

        // Assert
        Assert.Equal($"1 validation error detected: Value '{keyId}' at 'accessKeyId' failed to satisfy constraint: {constraint}", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetAccessKeyInfo_UndecodableUnknownKey_IsInvalidParameterValue()
    {
        // Arrange
        var keyId = "ZZZZ0000000000000000";

        // Act
        var outcome = await GetAsync(keyId);

        // Assert
        Assert.Equal($"The access key id {keyId} is not a valid access key id of this service.", Fails(outcome, StsErrorCode.InvalidParameterValue).Message);
    }

    [Fact]
    public async Task GetAccessKeyInfo_ImportedKeyOutsideLayout_IsResolvedFromTheDirectory()
    {
        // Arrange: an imported AKIA id with digits 0/1/8/9 is not base32, so only the directory knows its account.
        Ok(await _h.Directory.ImportAccessKeyAsync(Account(AccountB), null, "AKIA0123456789012345", "imported-secret-0123456789"));

        // Act
        var account = Ok(await GetAsync("AKIA0123456789012345"));

        // Assert
        Assert.Equal(AccountB, account);
    }
}
