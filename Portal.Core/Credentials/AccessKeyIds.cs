using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Portal.Core.Identity;

namespace Portal.Core.Credentials;

/// <summary>
/// Mints and decodes 20-character access key ids that carry their account, using the publicly
/// reverse-engineered layout moto reproduces (STS-SPEC §4.1): prefix(4) | base32(floor(account/2) + 2^39)(8) |
/// one char for the account's lowest bit | random base-32 up to 20 characters. GetAccessKeyInfo can then
/// answer for any key without a lookup.
/// </summary>
public static class AccessKeyIds
{
    /// <summary>Length of every access key id this installation mints.</summary>
    public const int Length = 20;

    private const long AccountOffset = 1L << 39;
    private const long MaxAccount = 999_999_999_999;
    private const int AccountChars = 8;

    /// <summary>A new long-term access key id (<c>AKIA…</c>) for <paramref name="account"/>.</summary>
    public static string NewLongTerm(AccountId account) => New(IdPrefixes.LongTermAccessKey, account);

    /// <summary>A new temporary access key id (<c>ASIA…</c>) for <paramref name="account"/>.</summary>
    public static string NewTemporary(AccountId account) => New(IdPrefixes.TemporaryAccessKey, account);

    /// <summary>Decodes the account of an <c>AKIA…</c>/<c>ASIA…</c> id; false for anything not in the §4.1 layout.</summary>
    public static bool TryGetAccount([NotNullWhen(true)] string? accessKeyId, out AccountId account)
    {
        account = default;
        if (accessKeyId is null
            || accessKeyId.Length != Length
            || !(accessKeyId.StartsWith(IdPrefixes.LongTermAccessKey, StringComparison.Ordinal)
                || accessKeyId.StartsWith(IdPrefixes.TemporaryAccessKey, StringComparison.Ordinal))
            || !Base32.IsBase32(accessKeyId.AsSpan(4)))
        {
            return false;
        }

        long encoded = 0;
        foreach (var c in accessKeyId.AsSpan(4, AccountChars))
        {
            encoded = (encoded << 5) | (long)Base32.IndexOf(c);
        }

        var half = encoded - AccountOffset;
        var lowBit = Base32.IndexOf(accessKeyId[4 + AccountChars]) >= 16 ? 1 : 0;
        var number = (half * 2) + lowBit;
        if (half < 0 || number > MaxAccount)
        {
            return false;
        }

        return AccountId.TryParse(number.ToString("D12", CultureInfo.InvariantCulture), out account);
    }

    private static string New(string prefix, AccountId account)
    {
        var number = long.Parse(account.Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var encoded = (number / 2) + AccountOffset;

        Span<char> id = stackalloc char[Length];
        prefix.AsSpan().CopyTo(id);
        for (var i = AccountChars - 1; i >= 0; i--)
        {
            id[4 + i] = Base32.Alphabet[(int)(encoded & 31)];
            encoded >>= 5;
        }

        // First half of the alphabet marks an even account, second half an odd one.
        var bitChars = Base32.Alphabet.AsSpan((int)(number % 2) * 16, 16);
        id[4 + AccountChars] = RandomNumberGenerator.GetString(bitChars, 1)[0];
        Base32.Random(Length - 4 - AccountChars - 1).AsSpan().CopyTo(id[(4 + AccountChars + 1)..]);
        return new string(id);
    }
}
