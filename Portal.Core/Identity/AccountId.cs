using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Identity;

/// <summary>A 12-digit account id, as in <c>arn:aws:iam::123456789012:root</c>.</summary>
public readonly record struct AccountId
{
    private AccountId(string value) => Value = value;

    /// <summary>The twelve decimal digits.</summary>
    public string Value { get; }

    /// <summary>Parses exactly twelve ASCII digits.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AccountId accountId)
    {
        accountId = default;
        if (text is null || text.Length != 12)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        accountId = new AccountId(text);
        return true;
    }

    /// <summary>Parses exactly twelve ASCII digits or throws <see cref="FormatException"/>.</summary>
    public static AccountId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a 12-digit account id.");

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
