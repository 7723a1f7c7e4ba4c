using System.Globalization;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

/// <summary>IAM model constraints for names and paths, reported as AWS-style validation messages.</summary>
public static class IamNames
{
    /// <summary>Validates a user or role name: 1..64 of <c>[\w+=,.@-]</c>.</summary>
    public static StsError? ValidateEntityName(string? value, string member, int max = 64) => ValidateWordish(value, member, 1, max);

    /// <summary>Validates a policy or device name: 1..128 of <c>[\w+=,.@-]</c>.</summary>
    public static StsError? ValidatePolicyName(string? value, string member) => ValidateWordish(value, member, 1, 128);

    /// <summary>Validates an IAM path: "/" or "/…/" of printable ASCII, at most 512 chars.</summary>
    public static StsError? ValidatePath(string? value, string member)
    {
        if (value is null)
        {
            return null;
        }

        var ok = value.Length is >= 1 and <= 512 && value[0] == '/' && value[^1] == '/';
        if (ok)
        {
            foreach (var c in value)
            {
                if (c is < '!' or > '~')
                {
                    ok = false;
                    break;
                }
            }
        }

        return ok ? null : Invalid(value, member, @"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)");
    }

    /// <summary>True for the characters of the IAM/STS name pattern <c>[\w+=,.@-]</c> (ASCII <c>\w</c>).</summary>
    public static bool IsNameChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '+' or '=' or ',' or '.' or '@' or '-';

    /// <summary>Uppercase-invariant form used for case-insensitive uniqueness.</summary>
    public static string Normalize(string name) => name.ToUpperInvariant();

    private static StsError? ValidateWordish(string? value, string member, int min, int max)
    {
        if (value is null)
        {
            return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }

        if (value.Length < min)
        {
            return Invalid(value, member, string.Create(CultureInfo.InvariantCulture, $"Member must have length greater than or equal to {min}"));
        }

        if (value.Length > max)
        {
            return Invalid(value, member, string.Create(CultureInfo.InvariantCulture, $"Member must have length less than or equal to {max}"));
        }

        foreach (var c in value)
        {
            if (!IsNameChar(c))
            {
                return Invalid(value, member, @"Member must satisfy regular expression pattern: [\w+=,.@-]+");
            }
        }

        return null;
    }

    private static StsError Invalid(string value, string member, string constraint) =>
        new(StsErrorCode.ValidationError, $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");
}
