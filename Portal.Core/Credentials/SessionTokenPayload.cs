using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Portal.Core.Credentials;

/// <summary>
/// The JSON form of <see cref="SessionClaims"/> inside a token: short names, defaults omitted, times as UTC ticks
/// (exact round trip), to keep tokens small (STS-SPEC §4.3).
/// </summary>
internal sealed class SessionTokenPayload
{
    [JsonPropertyName("id")] public required string SessionId { get; init; }

    [JsonPropertyName("ak")] public required string AccessKeyId { get; init; }

    [JsonPropertyName("sk")] public required string SecretAccessKey { get; init; }

    [JsonPropertyName("k")] public required int Kind { get; init; }

    [JsonPropertyName("ac")] public required string AccountId { get; init; }

    [JsonPropertyName("arn")] public required string Arn { get; init; }

    [JsonPropertyName("pid")] public required string PrincipalId { get; init; }

    [JsonPropertyName("sa")] public required string SourcePrincipalArn { get; init; }

    [JsonPropertyName("si")] public required string SourcePrincipalId { get; init; }

    [JsonPropertyName("sn")] public string? SessionName { get; init; }

    [JsonPropertyName("p")] public string? InlineSessionPolicy { get; init; }

    [JsonPropertyName("pa")] public string[]? SessionPolicyArns { get; init; }

    [JsonPropertyName("t")] public string[][]? Tags { get; init; }

    [JsonPropertyName("tt")] public string[]? TransitiveTagKeys { get; init; }

    [JsonPropertyName("sid")] public string? SourceIdentity { get; init; }

    [JsonPropertyName("mfa")] public long? MfaAuthenticatedAt { get; init; }

    [JsonPropertyName("iat")] public required long IssuedAt { get; init; }

    [JsonPropertyName("exp")] public required long ExpiresAt { get; init; }

    [JsonPropertyName("rc")] public bool? IsRoleChain { get; init; }

    [JsonPropertyName("fp")] public string? FederatedProvider { get; init; }

    [JsonPropertyName("fk")] public Dictionary<string, string[]>? FederationKeys { get; init; }

    [JsonPropertyName("rid")] public string? RequestId { get; init; }

    public static SessionTokenPayload From(SessionClaims c) => new()
    {
        SessionId = c.SessionId,
        AccessKeyId = c.AccessKeyId,
        SecretAccessKey = c.SecretAccessKey,
        Kind = (int)c.Kind,
        AccountId = c.AccountId,
        Arn = c.Arn,
        PrincipalId = c.PrincipalId,
        SourcePrincipalArn = c.SourcePrincipalArn,
        SourcePrincipalId = c.SourcePrincipalId,
        SessionName = c.SessionName,
        InlineSessionPolicy = c.InlineSessionPolicy,
        SessionPolicyArns = c.SessionPolicyArns.Count == 0 ? null : [.. c.SessionPolicyArns],
        Tags = c.Tags.Count == 0 ? null : [.. c.Tags.Select(t => new[] { t.Key, t.Value })],
        TransitiveTagKeys = c.TransitiveTagKeys.Count == 0 ? null : [.. c.TransitiveTagKeys],
        SourceIdentity = c.SourceIdentity,
        MfaAuthenticatedAt = c.MfaAuthenticatedAt?.UtcTicks,
        IssuedAt = c.IssuedAt.UtcTicks,
        ExpiresAt = c.ExpiresAt.UtcTicks,
        IsRoleChain = c.IsRoleChain ? true : null,
        FederatedProvider = c.FederatedProvider,
        FederationKeys = c.FederationKeys.Count == 0
            ? null
            : c.FederationKeys.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
        RequestId = c.RequestId,
    };

    /// <summary>Null when the payload does not describe a valid session (only possible with a bug, as it is authenticated).</summary>
    public SessionClaims? ToClaims()
    {
        if (!Enum.IsDefined((SessionKind)Kind) || Tags?.Any(t => t is not [not null, not null]) == true)
        {
            return null;
        }

        return new SessionClaims
        {
            SessionId = SessionId,
            AccessKeyId = AccessKeyId,
            SecretAccessKey = SecretAccessKey,
            Kind = (SessionKind)Kind,
            AccountId = AccountId,
            Arn = Arn,
            PrincipalId = PrincipalId,
            SourcePrincipalArn = SourcePrincipalArn,
            SourcePrincipalId = SourcePrincipalId,
            SessionName = SessionName,
            InlineSessionPolicy = InlineSessionPolicy,
            SessionPolicyArns = SessionPolicyArns ?? [],
            Tags = Tags is null ? [] : [.. Tags.Select(t => new SessionTag(t[0], t[1]))],
            TransitiveTagKeys = TransitiveTagKeys ?? [],
            SourceIdentity = SourceIdentity,
            MfaAuthenticatedAt = MfaAuthenticatedAt is { } mfa ? Utc(mfa) : null,
            IssuedAt = Utc(IssuedAt),
            ExpiresAt = Utc(ExpiresAt),
            IsRoleChain = IsRoleChain == true,
            FederatedProvider = FederatedProvider,
            FederationKeys = FederationKeys is null
                ? ImmutableDictionary<string, IReadOnlyList<string>>.Empty
                : FederationKeys.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
            RequestId = RequestId,
        };
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SessionTokenPayload))]
internal sealed partial class SessionTokenJsonContext : JsonSerializerContext;
