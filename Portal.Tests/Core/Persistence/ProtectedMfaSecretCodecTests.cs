using Portal.Core.Credentials;
using Portal.Core.Persistence.Stores;
using Portal.Tests.Core.Credentials;

namespace Portal.Tests.Core.Persistence;

public class ProtectedMfaSecretCodecTests
{
    private static readonly byte[] Seed = [0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x21, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A];

    [Fact]
    public void TryUnprotect_ProtectedSeed_ReturnsTheSeed()
    {
        // Arrange
        var codec = CreateCodec(FixedMasterKey.CreateRandom());

        // Act
        var ok = codec.TryUnprotect(codec.Protect(Seed), out var secret);

        // Assert
        Assert.True(ok);
        Assert.Equal(Seed, secret);
    }

    [Fact]
    public void Protect_Seed_StoresNoPlaintext()
    {
        // Arrange
        var codec = CreateCodec(FixedMasterKey.CreateRandom());

        // Act
        var stored = codec.Protect(Seed);

        // Assert: case 102e, the seed never sits in the row in the clear.
        Assert.False(stored.AsSpan().IndexOf(Seed) >= 0);
    }

    [Fact]
    public void TryUnprotect_TamperedPayload_ReturnsFalseAndNoSecret()
    {
        // Arrange
        var codec = CreateCodec(FixedMasterKey.CreateRandom());
        var stored = codec.Protect(Seed);
        stored[^1] ^= 0x01;

        // Act
        var ok = codec.TryUnprotect(stored, out var secret);

        // Assert
        Assert.False(ok);
        Assert.Empty(secret);
    }

    [Fact]
    public void TryUnprotect_ProtectedForAnotherPurpose_ReturnsFalse()
    {
        // Arrange: the same master key, but a value protected as, say, an access-key secret.
        var masterKey = FixedMasterKey.CreateRandom();
        var other = new SecretProtector(masterKey).Protect(Seed);

        // Act
        var ok = CreateCodec(masterKey).TryUnprotect(other, out _);

        // Assert
        Assert.False(ok);
    }

    private static ProtectedMfaSecretCodec CreateCodec(IMasterKeySource masterKey) =>
        new(new SecretProtector(masterKey, ProtectedMfaSecretCodec.Purpose));
}
