namespace Portal.Core.Credentials;

/// <summary>Random IAM-style unique ids (STS-SPEC §4.4) and session ids (§4.6).</summary>
public static class UniqueIds
{
    /// <summary>Length of IAM's own unique ids, e.g. <c>AIDACKCEVSQ6C2EXAMPLE</c>.</summary>
    public const int Length = 21;

    /// <summary>Length of <see cref="NewSessionId"/> values (26 base-32 characters = 130 random bits).</summary>
    public const int SessionIdLength = 26;

    /// <summary>
    /// <paramref name="prefix"/> (four uppercase letters such as <c>AIDA</c>, <c>AROA</c>, <c>ANPA</c>) followed by
    /// 17 random base-32 characters.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix is not four characters A–Z.</exception>
    public static string New(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length != 4 || !prefix.All(c => c is >= 'A' and <= 'Z'))
        {
            throw new ArgumentException("A unique-id prefix is four uppercase letters (STS-SPEC §4.4).", nameof(prefix));
        }

        return prefix + Base32.Random(Length - 4);
    }

    /// <summary>A random, unguessable id for one issued session (the target of a single-session revocation).</summary>
    public static string NewSessionId() => Base32.Random(SessionIdLength);
}
