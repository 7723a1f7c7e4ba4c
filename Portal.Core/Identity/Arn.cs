using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Identity;

/// <summary>
/// An Amazon Resource Name split into its six fields (STS-SPEC §4.5):
/// <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE</c>. The resource part may itself contain colons.
/// </summary>
public sealed record Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    /// <summary>The partition used for every ARN this installation mints.</summary>
    public const string DefaultPartition = "aws";

    /// <summary>Splits an ARN at its first five colons.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Arn? arn)
    {
        arn = null;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        arn = new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    /// <summary>Parses an ARN or throws <see cref="FormatException"/>.</summary>
    public static Arn Parse(string text) => TryParse(text, out var arn) ? arn : throw new FormatException($"'{text}' is not an ARN.");

    /// <summary>The account field as an <see cref="AccountId"/>, when it is one.</summary>
    public bool TryGetAccountId(out AccountId accountId) => AccountId.TryParse(Account, out accountId);

    /// <summary>The resource type (text before the first '/') of the resource part.</summary>
    public string ResourceType => Resource.Split('/', 2)[0];

    /// <summary>The last '/'-separated element of the resource part (a role, user or provider name).</summary>
    public string ResourceName => Resource[(Resource.LastIndexOf('/') + 1)..];

    /// <inheritdoc />
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";

    /// <summary><c>arn:aws:iam::ACCT:root</c>.</summary>
    public static Arn Root(AccountId account) => Iam(account, "root");

    /// <summary><c>arn:aws:iam::ACCT:user/PATH/NAME</c> (the path is omitted when it is "/").</summary>
    public static Arn User(AccountId account, string path, string name) => Iam(account, "user" + NormalizePath(path) + name);

    /// <summary><c>arn:aws:iam::ACCT:role/PATH/NAME</c>.</summary>
    public static Arn Role(AccountId account, string path, string name) => Iam(account, "role" + NormalizePath(path) + name);

    /// <summary><c>arn:aws:iam::ACCT:policy/PATH/NAME</c>.</summary>
    public static Arn Policy(AccountId account, string path, string name) => Iam(account, "policy" + NormalizePath(path) + name);

    /// <summary><c>arn:aws:iam::ACCT:mfa/PATH/NAME</c>, the serial number of a virtual MFA device.</summary>
    public static Arn Mfa(AccountId account, string path, string name) => Iam(account, "mfa" + NormalizePath(path) + name);

    /// <summary><c>arn:aws:iam::ACCT:saml-provider/NAME</c>.</summary>
    public static Arn SamlProvider(AccountId account, string name) => Iam(account, "saml-provider/" + name);

    /// <summary><c>arn:aws:iam::ACCT:oidc-provider/HOST[/PATH]</c> for an issuer URL or host.</summary>
    public static Arn OidcProvider(AccountId account, string issuer) => Iam(account, "oidc-provider/" + OidcProviderName(issuer));

    /// <summary><c>arn:aws:sts::ACCT:assumed-role/ROLENAME/SESSION</c> (the role path is not included).</summary>
    public static Arn AssumedRole(AccountId account, string roleName, string sessionName) =>
        new(DefaultPartition, "sts", string.Empty, account.Value, $"assumed-role/{roleName}/{sessionName}");

    /// <summary><c>arn:aws:sts::ACCT:federated-user/NAME</c>.</summary>
    public static Arn FederatedUser(AccountId account, string name) =>
        new(DefaultPartition, "sts", string.Empty, account.Value, "federated-user/" + name);

    /// <summary>The OIDC provider name of an issuer: the URL without its scheme and trailing slash.</summary>
    public static string OidcProviderName(string issuer)
    {
        var name = issuer;
        if (name.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            name = name[8..];
        }
        else if (name.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            name = name[7..];
        }

        return name.TrimEnd('/');
    }

    private static Arn Iam(AccountId account, string resource) => new(DefaultPartition, "iam", string.Empty, account.Value, resource);

    private static string NormalizePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return "/";
        }

        var p = path.StartsWith('/') ? path : "/" + path;
        return p.EndsWith('/') ? p : p + "/";
    }
}
