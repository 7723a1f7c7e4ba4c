using System.Text;
using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public class SessionTokenSealerTests
{
    [Fact]
    public async Task TryUnseal_SealedClaims_RoundTripExactly()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var claims = CredentialsTestData.CreateRoleSession(deployment.Time) with
        {
            InlineSessionPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
            IssuedAt = TestDeployment.Start.AddTicks(1234567),
        };

        // Act
        var ok = deployment.Sealer.TryUnseal(deployment.Sealer.Seal(claims), out var opened);

        // Assert
        Assert.True(ok);
        AssertSameClaims(claims, opened!);
    }

    [Fact]
    public async Task TryUnseal_MinimalClaims_RoundTripWithEmptyDefaults()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var now = deployment.Time.GetUtcNow();
        var claims = new SessionClaims
        {
            SessionId = UniqueIds.NewSessionId(),
            AccessKeyId = AccessKeyIds.NewTemporary(CredentialsTestData.Account),
            SecretAccessKey = SecretKeys.New(),
            Kind = SessionKind.SessionToken,
            AccountId = "123456789012",
            Arn = "arn:aws:iam::123456789012:root",
            PrincipalId = "123456789012",
            SourcePrincipalArn = "arn:aws:iam::123456789012:root",
            SourcePrincipalId = "123456789012",
            IssuedAt = now,
            ExpiresAt = now.AddHours(12),
        };

        // Act
        var ok = deployment.Sealer.TryUnseal(deployment.Sealer.Seal(claims), out var opened);

        // Assert
        Assert.True(ok);
        AssertSameClaims(claims, opened!);
        Assert.Null(opened!.MfaAuthenticatedAt);
        Assert.False(opened.IsRoleChain);
    }

    [Fact]
    public async Task Seal_RichRoleSession_IsCompactStandardBase64()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();

        // Act
        var token = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));

        // Assert: a session with tags, a managed session policy, MFA and SAML keys stays far below the few-KB
        // guidance of STS-SPEC §4.3 (the token travels in every request header).
        Assert.InRange(token.Length, 100, 1152);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=', $"unexpected '{c}'"));
        Assert.Equal(token, Convert.ToBase64String(Convert.FromBase64String(token)));
    }

    [Fact]
    public async Task Seal_SecretAndPolicy_AreNotVisibleInToken()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var claims = CredentialsTestData.CreateRoleSession(deployment.Time);

        // Act
        var decoded = Encoding.Latin1.GetString(Convert.FromBase64String(deployment.Sealer.Seal(claims)));

        // Assert
        Assert.DoesNotContain(claims.SecretAccessKey, decoded, StringComparison.Ordinal);
        Assert.DoesNotContain(claims.Arn, decoded, StringComparison.Ordinal);
        Assert.Contains(deployment.Ring.SigningKeyId!, decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryUnseal_EveryFlippedByte_IsRejected()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var bytes = Convert.FromBase64String(deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time)));

        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= mask;

                // Act
                var ok = deployment.Sealer.TryUnseal(Convert.ToBase64String(tampered), out var claims);

                // Assert: header, key id, nonce, ciphertext and tag alike (SECURITY-CASES 91).
                Assert.False(ok, $"byte {i} ^ {mask} was accepted");
                Assert.Null(claims);
            }
        }
    }

    [Fact]
    public async Task TryUnseal_EveryCharacterReplaced_IsRejected()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var token = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));

        for (var i = 0; i < token.Length; i++)
        {
            // The next base-64 character also changes only the unused low bits of a final character.
            var chars = token.ToCharArray();
            chars[i] = chars[i] switch { 'z' => '0', '9' => '+', '+' => '/', '/' => 'A', 'Z' => 'a', '=' => 'A', var c => (char)(c + 1) };

            // Act
            var ok = deployment.Sealer.TryUnseal(new string(chars), out _);

            // Assert
            Assert.False(ok, $"char {i} replaced was accepted");
        }
    }

    [Fact]
    public async Task TryUnseal_TruncatedOrExtendedByOneByte_IsRejected()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var bytes = Convert.FromBase64String(deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time)));

        // Act
        var truncated = deployment.Sealer.TryUnseal(Convert.ToBase64String(bytes[..^1]), out _);
        var extended = deployment.Sealer.TryUnseal(Convert.ToBase64String([.. bytes, 0]), out _);
        var headerOnly = deployment.Sealer.TryUnseal(Convert.ToBase64String(bytes[..10]), out _);

        // Assert
        Assert.False(truncated);
        Assert.False(extended);
        Assert.False(headerOnly);
    }

    public static TheoryData<string, Func<string, string>> Variants => new()
    {
        { "newline in middle", t => t[..40] + "\n" + t[40..] },
        { "CRLF at end", t => t + "\r\n" },
        { "leading space", t => " " + t },
        { "space inside", t => t[..8] + " " + t[8..] },
        { "url-safe alphabet", t => t.Replace('+', '-').Replace('/', '_') },
        { "padding removed", t => t.TrimEnd('=') },
        { "extra padding", t => t + "====" },
        { "last char removed", t => t[..^1] },
        { "quoted", t => "\"" + t + "\"" },
        { "lowercased", t => t.ToLowerInvariant() },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task TryUnseal_TextVariant_IsRejected(string variant, Func<string, string> change)
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var token = SealUntil(deployment, t => t.Contains('+', StringComparison.Ordinal) && t.Contains('/', StringComparison.Ordinal) && t.EndsWith('='));
        var altered = change(token);
        Assert.NotEqual(token, altered);

        // Act
        var ok = deployment.Sealer.TryUnseal(altered, out _);

        // Assert
        Assert.False(ok, variant);
    }

    [Fact]
    public async Task TryUnseal_SameBytesWithDifferentUnusedPaddingBits_IsRejected()
    {
        // Arrange: before '=' the last character has unused low bits; flipping one keeps the decoded bytes.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        using var deployment = await TestDeployment.StartAsync();
        var token = SealUntil(deployment, t => t.EndsWith('='));
        var last = token.TrimEnd('=').Length - 1;
        var altered = token[..last] + alphabet[alphabet.IndexOf(token[last], StringComparison.Ordinal) ^ 1] + token[(last + 1)..];
        Assert.Equal(Convert.FromBase64String(token), Convert.FromBase64String(altered));

        // Act
        var ok = deployment.Sealer.TryUnseal(altered, out _);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("not a token")]
    public async Task TryUnseal_Garbage_IsRejected(string? token)
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();

        // Act
        var ok = deployment.Sealer.TryUnseal(token, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public async Task TryUnseal_LongerThanCap_IsRejectedEvenIfAuthentic()
    {
        // Arrange: an authentic token whose policy makes it exceed the 16 KB cap.
        using var deployment = await TestDeployment.StartAsync();
        var claims = CredentialsTestData.CreateRoleSession(deployment.Time) with { InlineSessionPolicy = new string('x', 13_000) };
        var token = deployment.Sealer.Seal(claims);
        Assert.True(token.Length > SessionTokenSealer.MaxTokenLength);

        // Act
        var ok = deployment.Sealer.TryUnseal(token, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public async Task TryUnseal_TokenFromAnotherDeployment_IsRejected()
    {
        // Arrange
        using var ours = await TestDeployment.StartAsync();
        using var theirs = await TestDeployment.StartAsync();
        var token = theirs.Sealer.Seal(CredentialsTestData.CreateRoleSession(theirs.Time));

        // Act
        var ok = ours.Sealer.TryUnseal(token, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public async Task TryUnseal_ForeignTokenRelabelledWithOurKeyId_IsRejected()
    {
        // Arrange: another deployment's token whose header now names our signing key.
        using var ours = await TestDeployment.StartAsync();
        using var theirs = await TestDeployment.StartAsync();
        var bytes = Convert.FromBase64String(theirs.Sealer.Seal(CredentialsTestData.CreateRoleSession(theirs.Time)));
        Encoding.ASCII.GetBytes(ours.Ring.SigningKeyId!).CopyTo(bytes, 2);

        // Act
        var ok = ours.Sealer.TryUnseal(Convert.ToBase64String(bytes), out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void ToString_Claims_OmitsSecretAndPolicy()
    {
        // Arrange (SECURITY-CASES 96: a logged session must not leak its secret)
        var claims = CredentialsTestData.CreateRoleSession(TestDeployment.Start) with { InlineSessionPolicy = "{\"Version\":\"2012-10-17\"}" };

        // Act
        var text = claims.ToString();

        // Assert
        Assert.Contains(claims.AccessKeyId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(claims.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("2012-10-17\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_RingNotInitialized_Throws()
    {
        // Arrange
        using var deployment = new TestDeployment();

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time)));
    }

    internal static string WithKeyId(string token, string keyId)
    {
        var bytes = Convert.FromBase64String(token);
        Encoding.ASCII.GetBytes(keyId).CopyTo(bytes, 2);
        return Convert.ToBase64String(bytes);
    }

    private static string SealUntil(TestDeployment deployment, Func<string, bool> predicate)
    {
        for (var i = 0; i < 100; i++)
        {
            var token = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));
            if (predicate(token))
            {
                return token;
            }
        }

        throw new InvalidOperationException("No token with the wanted characters in 100 attempts.");
    }

    private static void AssertSameClaims(SessionClaims expected, SessionClaims actual)
    {
        Assert.Equal(expected.SessionId, actual.SessionId);
        Assert.Equal(expected.AccessKeyId, actual.AccessKeyId);
        Assert.Equal(expected.SecretAccessKey, actual.SecretAccessKey);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.Arn, actual.Arn);
        Assert.Equal(expected.PrincipalId, actual.PrincipalId);
        Assert.Equal(expected.SourcePrincipalArn, actual.SourcePrincipalArn);
        Assert.Equal(expected.SourcePrincipalId, actual.SourcePrincipalId);
        Assert.Equal(expected.SessionName, actual.SessionName);
        Assert.Equal(expected.InlineSessionPolicy, actual.InlineSessionPolicy);
        Assert.Equal(expected.SessionPolicyArns, actual.SessionPolicyArns);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.TransitiveTagKeys, actual.TransitiveTagKeys);
        Assert.Equal(expected.SourceIdentity, actual.SourceIdentity);
        Assert.Equal(expected.MfaAuthenticatedAt?.UtcTicks, actual.MfaAuthenticatedAt?.UtcTicks);
        Assert.Equal(expected.IssuedAt.UtcTicks, actual.IssuedAt.UtcTicks);
        Assert.Equal(expected.ExpiresAt.UtcTicks, actual.ExpiresAt.UtcTicks);
        Assert.Equal(expected.IsRoleChain, actual.IsRoleChain);
        Assert.Equal(expected.FederatedProvider, actual.FederatedProvider);
        Assert.Equal(expected.FederationKeys.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, string.Join('\n', kv.Value))),
            actual.FederationKeys.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, string.Join('\n', kv.Value))));
        Assert.Equal(expected.RequestId, actual.RequestId);
    }
}
