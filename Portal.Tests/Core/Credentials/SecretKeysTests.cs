using Portal.Core.Credentials;

namespace Portal.Tests.Core.Credentials;

public class SecretKeysTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    [Fact]
    public void New_Always_Returns40CharsFromBase64Alphabet()
    {
        // Act
        var secret = SecretKeys.New();

        // Assert
        Assert.Equal(40, secret.Length);
        Assert.All(secret, c => Assert.Contains(c, Alphabet));
    }

    [Fact]
    public void New_ManyCalls_AreUniqueAndCoverTheWholeAlphabet()
    {
        // Act
        var secrets = Enumerable.Range(0, 2000).Select(_ => SecretKeys.New()).ToList();

        // Assert: 80 000 draws from 64 symbols reach every symbol (each expected ~1250 times).
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
        var used = secrets.SelectMany(s => s).ToHashSet();
        Assert.Equal(Alphabet.ToHashSet(), used);
    }

    [Fact]
    public void New_ManyCalls_HasNoModuloBias()
    {
        // Arrange
        var counts = new Dictionary<char, int>();

        // Act
        foreach (var c in Enumerable.Range(0, 5000).SelectMany(_ => SecretKeys.New()))
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        // Assert: 200 000 draws, 3125 expected per symbol, sd ≈ 55; a mod-62/biased mapping would skew by far more.
        Assert.All(counts.Values, n => Assert.InRange(n, 2700, 3550));
    }
}
