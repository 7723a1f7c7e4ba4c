using System.Text;
using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public class SecretProtectorTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void UnprotectString_ProtectedValue_ReturnsOriginal()
    {
        // Arrange
        var protector = CreateProtector();

        // Act
        var result = protector.UnprotectString(protector.Protect(Secret));

        // Assert
        Assert.True(result.Succeeded);
        Assert.Equal(Secret, result.Value);
    }

    [Fact]
    public void Protect_Bytes_HasVersionNonceAndTagAndNoPlaintext()
    {
        // Arrange
        var protector = CreateProtector();
        var plaintext = Encoding.UTF8.GetBytes(Secret);

        // Act
        var first = protector.Protect(plaintext);
        var second = protector.Protect(plaintext);

        // Assert: [version | nonce(12) | ciphertext | tag(16)], a fresh nonce each time.
        Assert.Equal(1 + 12 + plaintext.Length + 16, first.Length);
        Assert.Equal(1, first[0]);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(first), StringComparison.Ordinal);
        Assert.Equal(plaintext, protector.Unprotect(second).Value);
    }

    [Fact]
    public void Unprotect_AnyFlippedByte_Fails()
    {
        // Arrange
        var protector = CreateProtector();
        var protectedData = protector.Protect(Secret);

        for (var i = 0; i < protectedData.Length; i++)
        {
            var tampered = (byte[])protectedData.Clone();
            tampered[i] ^= 0x01;

            // Act
            var result = protector.Unprotect(tampered);

            // Assert
            Assert.False(result.Succeeded, $"byte {i} flipped was accepted");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(28)]
    [InlineData(29)]
    public void Unprotect_TruncatedOrEmpty_Fails(int keep)
    {
        // Arrange
        var protector = CreateProtector();
        var protectedData = protector.Protect(Secret);

        // Act
        var result = protector.Unprotect(protectedData.AsSpan(0, keep));

        // Assert
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Unprotect_OtherPurpose_Fails()
    {
        // Arrange
        var masterKey = FixedMasterKey.CreateRandom();
        var secrets = new SecretProtector(masterKey);
        var totp = new SecretProtector(masterKey, "portal/totp/v1");

        // Act
        var result = totp.Unprotect(secrets.Protect(Secret));

        // Assert
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Unprotect_OtherMasterKey_Fails()
    {
        // Arrange
        var protectedData = CreateProtector().Protect(Secret);

        // Act
        var result = CreateProtector().Unprotect(protectedData);

        // Assert
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Unprotect_EmptyPlaintext_RoundTrips()
    {
        // Arrange
        var protector = CreateProtector();

        // Act
        var result = protector.Unprotect(protector.Protect(ReadOnlySpan<byte>.Empty));

        // Assert
        Assert.True(result.Succeeded);
        Assert.Empty(result.Value);
    }

    [Fact]
    public void ToString_SucceededResult_OmitsPlaintext()
    {
        // Arrange
        var protector = CreateProtector();
        var result = protector.UnprotectString(protector.Protect(Secret));

        // Act
        var text = result.ToString();

        // Assert
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
    }

    private static SecretProtector CreateProtector() => new(FixedMasterKey.CreateRandom());
}
