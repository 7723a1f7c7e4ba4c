using System.Globalization;
using System.Security.Cryptography;
using Portal.Core.Credentials;
using Portal.Core.Identity;

namespace Portal.Tests.Core.Credentials;

public class AccessKeyIdsTests
{
    public static TheoryData<string> BoundaryAccounts => new()
    {
        "000000000000",
        "000000000001",
        "000000000002",
        "123456789012",
        "609629065308",
        "999999999998",
        "999999999999",
    };

    [Theory]
    [MemberData(nameof(BoundaryAccounts))]
    public void NewTemporary_BoundaryAccount_RoundTrips(string account)
    {
        // Arrange
        var accountId = AccountId.Parse(account);

        // Act
        var keyId = AccessKeyIds.NewTemporary(accountId);

        // Assert
        Assert.True(AccessKeyIds.TryGetAccount(keyId, out var decoded));
        Assert.Equal(accountId, decoded);
    }

    [Theory]
    [MemberData(nameof(BoundaryAccounts))]
    public void NewLongTerm_BoundaryAccount_RoundTrips(string account)
    {
        // Arrange
        var accountId = AccountId.Parse(account);

        // Act
        var keyId = AccessKeyIds.NewLongTerm(accountId);

        // Assert
        Assert.True(AccessKeyIds.TryGetAccount(keyId, out var decoded));
        Assert.Equal(accountId, decoded);
    }

    [Fact]
    public void TryGetAccount_ManyRandomAccounts_RoundTrip()
    {
        for (var i = 0; i < 2000; i++)
        {
            // Arrange
            var number = RandomNumberGenerator.GetInt32(0, 1_000_000) * 1_000_000L + RandomNumberGenerator.GetInt32(0, 1_000_000);
            var account = AccountId.Parse(number.ToString("D12", CultureInfo.InvariantCulture));

            // Act
            var ok = AccessKeyIds.TryGetAccount(i % 2 == 0 ? AccessKeyIds.NewTemporary(account) : AccessKeyIds.NewLongTerm(account), out var decoded);

            // Assert
            Assert.True(ok);
            Assert.Equal(account, decoded);
        }
    }

    [Fact]
    public void TryGetAccount_PubliclyDecodedAwsKey_ReturnsItsAccount()
    {
        // Arrange: an AWS key whose account was published when the layout was reverse-engineered (STS-SPEC §4.1).
        const string keyId = "ASIAY34FZKBOKMUTVV7A";

        // Act
        var ok = AccessKeyIds.TryGetAccount(keyId, out var account);

        // Assert
        Assert.True(ok);
        Assert.Equal("609629065308", account.Value);
    }

    [Fact]
    public void NewTemporary_Always_HasPrefixLengthAndBase32Layout()
    {
        // Act
        var keyId = AccessKeyIds.NewTemporary(CredentialsTestData.Account);

        // Assert: floor(123456789012/2) + 2^39 is RZPUZDIK in base 32; the account is even, so char 9 is in A–P.
        Assert.Equal(20, keyId.Length);
        Assert.StartsWith("ASIARZPUZDIK", keyId, StringComparison.Ordinal);
        Assert.InRange(keyId[12], 'A', 'P');
        Assert.All(keyId[4..], c => Assert.Contains(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    }

    [Fact]
    public void NewLongTerm_OddAccount_UsesSecondHalfForLowestBit()
    {
        // Act
        var keyId = AccessKeyIds.NewLongTerm(AccountId.Parse("123456789013"));

        // Assert
        Assert.StartsWith("AKIARZPUZDIK", keyId, StringComparison.Ordinal);
        Assert.Contains(keyId[12], "QRSTUVWXYZ234567");
    }

    [Fact]
    public void NewTemporary_ManyCalls_AreUnique()
    {
        // Act
        var ids = Enumerable.Range(0, 1000).Select(_ => AccessKeyIds.NewTemporary(CredentialsTestData.Account)).ToList();

        // Assert
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AIDARZPUZDIKAAAAAAAA")] // not an access key prefix
    [InlineData("asiarzpuzdikaaaaaaaa")] // lowercase
    [InlineData("ASIARZPUZDIKAAAAAAA")] // 19 chars
    [InlineData("ASIARZPUZDIKAAAAAAAAA")] // 21 chars
    [InlineData("ASIARZPUZDI0AAAAAAAA")] // '0' is not base 32
    [InlineData("ASIARZPUZDIKAAAAAAA1")] // '1' is not base 32
    [InlineData("ASIAAAAAAAAAAAAAAAAA")] // below the 2^39 offset
    [InlineData("ASIA7777777777777777")] // above 999999999999
    public void TryGetAccount_Malformed_ReturnsFalse(string? keyId)
    {
        // Act
        var ok = AccessKeyIds.TryGetAccount(keyId, out _);

        // Assert
        Assert.False(ok);
    }
}
