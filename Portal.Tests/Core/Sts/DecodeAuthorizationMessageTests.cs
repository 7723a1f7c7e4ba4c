using System.Text.Json;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>DecodeAuthorizationMessage (STS-SPEC §1.8, §7.7).</summary>
public sealed class DecodeAuthorizationMessageTests : IAsyncLifetime
{
    private const string Marker = " Encoded authorization failure message: ";
    private EngineHarness _h = null!;
    private TestUser _decoder = null!;
    private TestUser _nobody = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _decoder = await _h.CreateUserAsync("decoder", PolicyJson.Allow("*", "sts:DecodeAuthorizationMessage"));
        _nobody = await _h.CreateUserAsync("nobody");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A real denial from the engine: nobody may not federate "bob".</summary>
    private async Task<string> EncodedDenialAsync()
    {
        var denied = await _h.Engine.GetFederationTokenAsync(_nobody.Caller, new GetFederationTokenRequest { Name = "bob" }, new RequestInfo());
        var message = Fails(denied, StsErrorCode.AccessDenied).Message;
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at > 0, message);
        return message[(at + Marker.Length)..];
    }

    private Task<StsOutcome<string>> DecodeAsync(string? encoded, Caller? caller = null) =>
        _h.Engine.DecodeAuthorizationMessageAsync(caller ?? _decoder.Caller, encoded, new RequestInfo());

    [Fact]
    public async Task DecodeAuthorizationMessage_EngineDenialWithPermission_DecodesTheContext()
    {
        // Arrange
        var encoded = await EncodedDenialAsync();

        // Act
        var decoded = Ok(await DecodeAsync(encoded));

        // Assert
        using var doc = JsonDocument.Parse(decoded);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("allowed").GetBoolean());
        Assert.False(root.GetProperty("explicitDeny").GetBoolean());
        var context = root.GetProperty("context");
        Assert.Equal("sts:GetFederationToken", context.GetProperty("action").GetString());
        Assert.Equal($"arn:aws:sts::{AccountA}:federated-user/bob", context.GetProperty("resource").GetString());
        Assert.Equal(_nobody.Arn, context.GetProperty("principal").GetProperty("arn").GetString());
        Assert.Equal(_nobody.User.Id, context.GetProperty("principal").GetProperty("id").GetString());
    }

    [Fact]
    public async Task DecodeAuthorizationMessage_WithoutPermission_IsDenied()
    {
        // Arrange
        var encoded = await EncodedDenialAsync();

        // Act
        var outcome = await DecodeAsync(encoded, _nobody.Caller);

        // Assert
        Assert.StartsWith($"User: {_nobody.Arn} is not authorized to perform: sts:DecodeAuthorizationMessage on resource: *", Fails(outcome, StsErrorCode.AccessDenied).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeAuthorizationMessage_TamperedMessage_IsInvalid()
    {
        // Arrange: change one character in the middle of the ciphertext.
        var encoded = await EncodedDenialAsync();
        var i = encoded.Length / 2;
        var tampered = encoded[..i] + (encoded[i] == 'A' ? 'B' : 'A') + encoded[(i + 1)..];

        // Act
        var outcome = await DecodeAsync(tampered);

        // Assert
        Assert.Equal("The encoded authorization message is invalid or was not issued by this service.", Fails(outcome, StsErrorCode.InvalidAuthorizationMessageException).Message);
    }

    [Theory]
    [InlineData("not-a-message")]
    [InlineData("has spaces and + signs")]
    public async Task DecodeAuthorizationMessage_ForeignText_IsInvalid(string encoded)
    {
        // Arrange
        var caller = _decoder.Caller;

        // Act
        var outcome = await DecodeAsync(encoded, caller);

        // Assert
        Fails(outcome, StsErrorCode.InvalidAuthorizationMessageException);
    }

    [Fact]
    public async Task DecodeAuthorizationMessage_Empty_FailsValidation()
    {
        // Arrange
        var encoded = string.Empty;

        // Act
        var outcome = await DecodeAsync(encoded);

        // Assert
        Assert.Equal("1 validation error detected: Value '' at 'encodedMessage' failed to satisfy constraint: Member must have length greater than or equal to 1", Fails(outcome, StsErrorCode.ValidationError).Message);
    }
}
