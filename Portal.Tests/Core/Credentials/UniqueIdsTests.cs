using Portal.Core.Credentials;
using Portal.Core.Identity;

namespace Portal.Tests.Core.Credentials;

public class UniqueIdsTests
{
    [Theory]
    [InlineData(IdPrefixes.User)]
    [InlineData(IdPrefixes.Role)]
    [InlineData(IdPrefixes.ManagedPolicy)]
    public void New_KnownPrefix_Returns21Base32Chars(string prefix)
    {
        // Act
        var id = UniqueIds.New(prefix);

        // Assert
        Assert.Equal(21, id.Length);
        Assert.StartsWith(prefix, id, StringComparison.Ordinal);
        Assert.All(id[4..], c => Assert.Contains(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    }

    [Theory]
    [InlineData("AID")]
    [InlineData("AIDAX")]
    [InlineData("aida")]
    [InlineData("AID4")]
    public void New_InvalidPrefix_Throws(string prefix)
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => UniqueIds.New(prefix));
    }

    [Fact]
    public void NewSessionId_ManyCalls_AreUniqueAnd26Chars()
    {
        // Act
        var ids = Enumerable.Range(0, 1000).Select(_ => UniqueIds.NewSessionId()).ToList();

        // Assert
        Assert.All(ids, id => Assert.Equal(26, id.Length));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
