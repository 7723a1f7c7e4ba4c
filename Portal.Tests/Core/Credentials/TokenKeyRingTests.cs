using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public class TokenKeyRingTests
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(129_600);

    [Fact]
    public async Task EnsureInitializedAsync_EmptyStore_StoresOneWrappedKey()
    {
        // Arrange
        using var deployment = new TestDeployment();

        // Act
        await deployment.Ring.EnsureInitializedAsync(CancellationToken.None);

        // Assert: the stored row holds [version | nonce | wrapped key | tag], never the key itself.
        var stored = Assert.Single(await deployment.Store.LoadAllAsync(CancellationToken.None));
        Assert.Equal(deployment.Ring.SigningKeyId, stored.KeyId);
        Assert.Matches("^[A-Z2-7]{8}$", stored.KeyId);
        Assert.Equal(1 + 12 + 32 + 16, stored.WrappedKey.Length);
        var material = deployment.Ring.SigningKey.Material;
        Assert.False(stored.WrappedKey.AsSpan().IndexOf(material.AsSpan(0, 8)) >= 0);
        Assert.Null(stored.RetiredAt);
    }

    [Fact]
    public async Task EnsureInitializedAsync_SecondNode_ReusesExistingKey()
    {
        // Arrange
        using var first = await TestDeployment.StartAsync();
        using var second = first.CreateNode();

        // Act
        await second.Ring.EnsureInitializedAsync(CancellationToken.None);

        // Assert
        Assert.Single(await first.Store.LoadAllAsync(CancellationToken.None));
        Assert.Equal(first.Ring.SigningKeyId, second.Ring.SigningKeyId);
    }

    [Fact]
    public async Task EnsureInitializedAsync_TwoNodesRace_AgreeOnSigningKeyAndVerifyEachOther()
    {
        // Arrange: node B's first read misses node A's insert, so both insert a first key.
        using var a = await TestDeployment.StartAsync();
        var staleStore = new FirstReadEmptyStore(a.Store);
        using var ringB = new TokenKeyRing(staleStore, a.MasterKey, a.Time, Options.Create(new TokenKeyRingOptions()), NullLogger<TokenKeyRing>.Instance);

        // Act
        await ringB.EnsureInitializedAsync(CancellationToken.None);
        await a.Ring.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Equal(2, (await a.Store.LoadAllAsync(CancellationToken.None)).Count);
        Assert.Equal(a.Ring.SigningKeyId, ringB.SigningKeyId);
        var sealerB = new SessionTokenSealer(ringB);
        Assert.True(a.Sealer.TryUnseal(sealerB.Seal(CredentialsTestData.CreateRoleSession(a.Time)), out _));
        Assert.True(sealerB.TryUnseal(a.Sealer.Seal(CredentialsTestData.CreateRoleSession(a.Time)), out _));
    }

    [Fact]
    public async Task RotateAsync_TokenUnderOldKey_StillVerifiesAndNewTokensUseNewKey()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var k1 = deployment.Ring.SigningKeyId;
        var oldToken = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));

        // Act
        var k2 = await deployment.Ring.RotateAsync(CancellationToken.None);

        // Assert
        Assert.NotEqual(k1, k2);
        Assert.Equal(k2, deployment.Ring.SigningKeyId);
        Assert.True(deployment.Sealer.TryUnseal(oldToken, out _));
        var newToken = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));
        Assert.Equal(k2, KeyIdOf(newToken));
        var retired = deployment.Ring.Keys.Single(k => k.KeyId == k1);
        Assert.Equal(deployment.Time.GetUtcNow(), retired.RetiredAt);
    }

    [Fact]
    public async Task PurgeAsync_RetiredJustUnderMaxLifetime_KeepsKey()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var oldToken = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));
        await deployment.Ring.RotateAsync(CancellationToken.None);
        deployment.Time.Advance(MaxLifetime - TimeSpan.FromSeconds(1));

        // Act
        var purged = await deployment.Ring.PurgeAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, purged);
        Assert.True(deployment.Sealer.TryUnseal(oldToken, out _));
    }

    [Fact]
    public async Task PurgeAsync_RetiredMaxLifetimeAgo_DeletesKeyAndRejectsItsTokens()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        var k1 = deployment.Ring.SigningKeyId;
        var oldToken = deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time));
        var k2 = await deployment.Ring.RotateAsync(CancellationToken.None);
        deployment.Time.Advance(MaxLifetime);

        // Act
        var purged = await deployment.Ring.PurgeAsync(CancellationToken.None);

        // Assert (SECURITY-CASES 94b)
        Assert.Equal(1, purged);
        Assert.DoesNotContain(deployment.Ring.Keys, k => k.KeyId == k1);
        Assert.Equal(k2, deployment.Ring.SigningKeyId);
        Assert.False(deployment.Sealer.TryUnseal(oldToken, out _));
    }

    [Fact]
    public async Task PurgeAsync_ActiveKeyOlderThanMaxLifetime_IsKept()
    {
        // Arrange
        using var deployment = await TestDeployment.StartAsync();
        deployment.Time.Advance(MaxLifetime * 3);

        // Act
        var purged = await deployment.Ring.PurgeAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, purged);
        Assert.NotNull(deployment.Ring.SigningKeyId);
    }

    [Fact]
    public async Task TryUnseal_TokenNamingUnknownKeyId_IsRejected()
    {
        // Arrange (SECURITY-CASES 94c)
        using var deployment = await TestDeployment.StartAsync();
        var token = SessionTokenSealerTests.WithKeyId(deployment.Sealer.Seal(CredentialsTestData.CreateRoleSession(deployment.Time)), "K9K9K9K9");

        // Act
        var ok = deployment.Sealer.TryUnseal(token, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public async Task EnsureInitializedAsync_AlteredWrappedKeyRow_FailsLoudlyAndRejectsItsTokens()
    {
        // Arrange (SECURITY-CASES 94d): k2's row is altered in the database.
        using var deployment = await TestDeployment.StartAsync();
        var k2 = await deployment.Ring.RotateAsync(CancellationToken.None);
        var claims = CredentialsTestData.CreateRoleSession(deployment.Time);
        var token = deployment.Sealer.Seal(claims);
        var row = (await deployment.Store.LoadAllAsync(CancellationToken.None)).Single(k => k.KeyId == k2);
        var altered = (byte[])row.WrappedKey.Clone();
        altered[20] ^= 0x04;
        deployment.Store.Overwrite(row with { WrappedKey = altered });
        using var restarted = deployment.CreateNode();

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => restarted.Ring.EnsureInitializedAsync(CancellationToken.None));

        // Assert
        Assert.Contains(k2, error.Message, StringComparison.Ordinal);
        Assert.Equal([k2], restarted.Ring.CorruptKeyIds);
        Assert.False(restarted.Sealer.TryUnseal(token, out _));
        Assert.Equal(SessionVerificationStatus.Invalid, (await restarted.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task RefreshAsync_WrappedKeyMovedToAnotherKeyId_FailsLoudly()
    {
        // Arrange: k1's wrapped material copied into k2's row (key id is associated data).
        using var deployment = await TestDeployment.StartAsync();
        var k1 = deployment.Ring.SigningKeyId!;
        var k2 = await deployment.Ring.RotateAsync(CancellationToken.None);
        var rows = await deployment.Store.LoadAllAsync(CancellationToken.None);
        deployment.Store.Overwrite(rows.Single(k => k.KeyId == k2) with { WrappedKey = rows.Single(k => k.KeyId == k1).WrappedKey });

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.Ring.RefreshAsync(CancellationToken.None));

        // Assert
        Assert.Contains(k2, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(deployment.Ring.Keys, k => k.KeyId == k2);
    }

    [Fact]
    public async Task EnsureInitializedAsync_OtherMasterKey_FailsLoudly()
    {
        // Arrange: the key store is opened with a different master key (e.g. lost key file).
        using var deployment = await TestDeployment.StartAsync();
        using var other = new TestDeployment(deployment.Store, FixedMasterKey.CreateRandom(), deployment.Time);

        // Act + Assert
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.Ring.EnsureInitializedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RefreshAsync_RotationOnAnotherNode_IsLearnt()
    {
        // Arrange
        using var a = await TestDeployment.StartAsync();
        using var b = a.CreateNode();
        await b.Ring.EnsureInitializedAsync(CancellationToken.None);
        var k2 = await a.Ring.RotateAsync(CancellationToken.None);

        // Act
        await b.Ring.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Equal(k2, b.Ring.SigningKeyId);
    }

    [Fact]
    public async Task VerifyAsync_UnknownKeyFromRotationElsewhere_ReloadsAtMostOncePerInterval()
    {
        // Arrange: node B reloads because of a bogus key id, then A rotates within the same interval.
        using var a = await TestDeployment.StartAsync();
        using var b = a.CreateNode();
        await b.Ring.EnsureInitializedAsync(CancellationToken.None);
        var bogus = SessionTokenSealerTests.WithKeyId(a.Sealer.Seal(CredentialsTestData.CreateRoleSession(a.Time)), "BOGUSKEY");
        await b.Verifier.VerifyAsync("ASIA", bogus, CancellationToken.None);
        await a.Ring.RotateAsync(CancellationToken.None);
        var claims = CredentialsTestData.CreateRoleSession(a.Time);
        var token = a.Sealer.Seal(claims);

        // Act
        a.Time.Advance(TimeSpan.FromSeconds(29));
        var withinInterval = await b.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);
        a.Time.Advance(TimeSpan.FromSeconds(1));
        var afterInterval = await b.Verifier.VerifyAsync(claims.AccessKeyId, token, CancellationToken.None);

        // Assert
        Assert.Equal(SessionVerificationStatus.Invalid, withinInterval.Status);
        Assert.Equal(SessionVerificationStatus.Valid, afterInterval.Status);
    }

    private static string KeyIdOf(string token) => System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(token), 2, 8);

    /// <summary>A store whose first read misses rows written by another node (a racing initialization).</summary>
    private sealed class FirstReadEmptyStore(ITokenKeyStore inner) : ITokenKeyStore
    {
        private bool _served;

        public async Task<IReadOnlyList<TokenKeyRecord>> LoadAllAsync(CancellationToken cancellationToken)
        {
            if (!_served)
            {
                _served = true;
                return [];
            }

            return await inner.LoadAllAsync(cancellationToken);
        }

        public Task<bool> TryAddAsync(TokenKeyRecord key, CancellationToken cancellationToken) => inner.TryAddAsync(key, cancellationToken);

        public Task UpdateRetiredAtAsync(string keyId, DateTimeOffset retiredAt, CancellationToken cancellationToken) =>
            inner.UpdateRetiredAtAsync(keyId, retiredAt, cancellationToken);

        public Task DeleteAsync(string keyId, CancellationToken cancellationToken) => inner.DeleteAsync(keyId, cancellationToken);
    }
}
