using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Credentials;

namespace Portal.Core.Federation.Console;

/// <summary>What a console sign-in token carries (STS-SPEC §6.1); only ever travels sealed.</summary>
/// <param name="TokenId">Random id, the one-time-use key (SECURITY-CASES 97d).</param>
/// <param name="IssuedAt">Issue time; the token is usable for <see cref="ConsoleSigninService.SigninTokenLifetime"/> after it.</param>
/// <param name="AccessKeyId">The <c>ASIA…</c> key id of the exchanged credentials.</param>
/// <param name="SessionToken">The session token of the exchanged credentials (itself sealed by the token key ring).</param>
/// <param name="DurationSeconds">The requested console-session length, or null for "until the credentials expire".</param>
internal sealed record SigninTokenPayload(
    [property: JsonPropertyName("i")] string TokenId,
    [property: JsonPropertyName("t")] DateTimeOffset IssuedAt,
    [property: JsonPropertyName("k")] string AccessKeyId,
    [property: JsonPropertyName("s")] string SessionToken,
    [property: JsonPropertyName("d")] int? DurationSeconds)
{
    /// <summary>Never prints the session token (SECURITY-CASES 96).</summary>
    public override string ToString() => $"SigninTokenPayload {{ TokenId = {TokenId}, AccessKeyId = {AccessKeyId}, IssuedAt = {IssuedAt:O} }}";
}

/// <summary>
/// Seals sign-in tokens with AES-256-GCM under a master-key subkey of their own purpose, so a token is opaque, cannot be
/// altered, and no other sealed value (stored secrets, session tokens) opens as a sign-in token or vice versa.
/// Wire form: base64url of the <see cref="SecretProtector"/> envelope.
/// </summary>
internal sealed class SigninTokenCodec
{
    /// <summary>The protector purpose; bump the version when the payload changes incompatibly.</summary>
    public const string Purpose = "portal/console-signin-token/v1";

    /// <summary>Longest token text accepted before any decoding (session tokens are at most 16 KiB; base64 adds a third).</summary>
    public const int MaxTokenLength = 24 * 1024;

    private readonly SecretProtector _protector;

    public SigninTokenCodec(IMasterKeySource masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _protector = new SecretProtector(masterKey, Purpose);
    }

    public string Seal(SigninTokenPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, SigninTokenJsonContext.Default.SigninTokenPayload);
        return Base64Url.EncodeToString(_protector.Protect(json));
    }

    /// <summary>The payload, or null when the text is not a token this deployment sealed (malformed, altered, foreign).</summary>
    public SigninTokenPayload? Open(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        var opened = _protector.Unprotect(Base64Url.DecodeFromChars(token));
        if (!opened.Succeeded)
        {
            return null;
        }

        try
        {
            var payload = JsonSerializer.Deserialize(opened.Value, SigninTokenJsonContext.Default.SigninTokenPayload);
            return payload is { TokenId.Length: > 0, AccessKeyId.Length: > 0, SessionToken.Length: > 0 } ? payload : null;
        }
        catch (JsonException)
        {
            // Authenticated but unreadable can only be a payload from an incompatible build; refuse it like any other.
            return null;
        }
    }
}

[JsonSerializable(typeof(SigninTokenPayload))]
internal sealed partial class SigninTokenJsonContext : JsonSerializerContext;
