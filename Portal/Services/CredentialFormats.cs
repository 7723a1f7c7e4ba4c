using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Portal.Core.Sts;

namespace Portal.Services;

/// <summary>The ways the "Get credentials" result can be handed to a shell, SDK or tool.</summary>
public enum CredentialFormat
{
    /// <summary>POSIX shells (bash, zsh): <c>export NAME='value'</c>.</summary>
    Bash,

    /// <summary>fish: <c>set -x NAME 'value'</c>.</summary>
    Fish,

    /// <summary>PowerShell: <c>$Env:NAME="value"</c>.</summary>
    PowerShell,

    /// <summary>Windows cmd.exe: <c>set NAME=value</c>.</summary>
    Cmd,

    /// <summary>A profile block for <c>~/.aws/credentials</c>.</summary>
    CredentialsFile,

    /// <summary>The JSON document the AWS CLI and SDKs read from a <c>credential_process</c> command.</summary>
    CredentialProcess,

    /// <summary>A <c>.env</c> file for docker, compose and dotenv loaders.</summary>
    DotEnv,
}

/// <summary>
/// Temporary credentials whose every value has been checked against a strict character set, so that
/// <see cref="CredentialFormats.Render"/> can place them inside any shell's quotes. Not a record on purpose: a
/// generated <c>ToString</c> would print the secret.
/// </summary>
public sealed class CredentialExport
{
    private CredentialExport(string accessKeyId, string secretAccessKey, string sessionToken, DateTimeOffset expiration, string? region, string profileName)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Expiration = expiration;
        Region = region;
        ProfileName = profileName;
    }

    /// <summary>The access key id (<c>ASIA…</c>).</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token.</summary>
    public string SessionToken { get; }

    /// <summary>When the credentials stop working.</summary>
    public DateTimeOffset Expiration { get; }

    /// <summary>The region to configure alongside, or null for none.</summary>
    public string? Region { get; }

    /// <summary>The profile name used by <see cref="CredentialFormat.CredentialsFile"/>.</summary>
    public string ProfileName { get; }

    /// <summary>
    /// Checks <paramref name="credentials"/>, <paramref name="region"/> and <paramref name="profileName"/> (default
    /// <c>default</c>) and returns an export, or the reason it cannot be built.
    /// </summary>
    public static CredentialExportResult Create(IssuedCredentials credentials, string? region = null, string? profileName = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        region = string.IsNullOrWhiteSpace(region) ? null : region;
        profileName = string.IsNullOrWhiteSpace(profileName) ? CredentialFormats.DefaultProfileName : profileName;

        // Only the characters each value can legitimately contain are accepted, which excludes every quote,
        // backslash, '$', '`', '%', '^', '#', whitespace and line break: no value can end its quoting early or
        // be expanded by any of the seven targets, so no per-shell escaping is needed (or possible, for cmd's '%').
        var error =
            CheckValue("access key id", credentials.AccessKeyId, CredentialCharsets.AccessKeyId, 16, 128)
            ?? CheckValue("secret access key", credentials.SecretAccessKey, CredentialCharsets.Base64, 16, 128)
            ?? CheckValue("session token", credentials.SessionToken, CredentialCharsets.Base64, 16, 16 * 1024)
            ?? (region is null ? null : CheckValue("region", region, CredentialCharsets.Region, 1, 32))
            ?? CheckValue("profile name", profileName, CredentialCharsets.ProfileName, 1, 64);
        if (error is not null)
        {
            return CredentialExportResult.Failure(error);
        }

        if (region is not null && (region[0] == '-' || region[^1] == '-'))
        {
            return CredentialExportResult.Failure("The region must not start or end with '-'.");
        }

        return CredentialExportResult.Success(new CredentialExport(
            credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration, region, profileName));
    }

    private static string? CheckValue(string name, string? value, SearchValues<char> allowed, int minLength, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length < minLength || value.Length > maxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The {name} must be {minLength} to {maxLength} characters long.");
        }

        return value.AsSpan().ContainsAnyExcept(allowed) ? $"The {name} contains a character that is not allowed." : null;
    }
}

/// <summary>The outcome of <see cref="CredentialExport.Create"/>: an export, or why the values were refused.</summary>
public sealed class CredentialExportResult
{
    private CredentialExportResult(CredentialExport? export, string? error)
    {
        Export = export;
        Error = error;
    }

    /// <summary>The checked export, when <see cref="Succeeded"/>.</summary>
    public CredentialExport? Export { get; }

    /// <summary>Why the values were refused (never contains the values themselves).</summary>
    public string? Error { get; }

    /// <summary>True when <see cref="Export"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Export))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Export is not null;

    internal static CredentialExportResult Success(CredentialExport export) => new(export, null);

    internal static CredentialExportResult Failure(string error) => new(null, error);
}

/// <summary>Turns a checked <see cref="CredentialExport"/> into the text of each <see cref="CredentialFormat"/>.</summary>
public static class CredentialFormats
{
    /// <summary>The profile name used when none is given.</summary>
    public const string DefaultProfileName = "default";

    /// <summary>All formats, in the order the UI shows them.</summary>
    public static IReadOnlyList<CredentialFormat> All { get; } =
    [
        CredentialFormat.Bash,
        CredentialFormat.Fish,
        CredentialFormat.PowerShell,
        CredentialFormat.Cmd,
        CredentialFormat.CredentialsFile,
        CredentialFormat.CredentialProcess,
        CredentialFormat.DotEnv,
    ];

    /// <summary>The text of <paramref name="format"/> for <paramref name="export"/>; every line ends with <c>\n</c>.</summary>
    public static string Render(CredentialExport export, CredentialFormat format)
    {
        ArgumentNullException.ThrowIfNull(export);
        return format switch
        {
            CredentialFormat.Bash => Variables(export, static (name, value) => $"export {name}='{value}'"),
            CredentialFormat.Fish => Variables(export, static (name, value) => $"set -x {name} '{value}'"),
            CredentialFormat.PowerShell => Variables(export, static (name, value) => $"$Env:{name}=\"{value}\""),
            CredentialFormat.Cmd => Variables(export, static (name, value) => $"set {name}={value}"),

            // docker run --env-file takes quotes literally, so values stay unquoted; the charset has no '#', '$',
            // quote or whitespace for compose or dotenv loaders to interpret.
            CredentialFormat.DotEnv => Variables(export, static (name, value) => $"{name}={value}"),
            CredentialFormat.CredentialsFile => CredentialsFile(export),
            CredentialFormat.CredentialProcess => CredentialProcess(export),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown credential format."),
        };
    }

    /// <summary>A download file name for <paramref name="format"/>, e.g. <c>credentials-ASIA….env</c>.</summary>
    public static string FileName(CredentialExport export, CredentialFormat format)
    {
        ArgumentNullException.ThrowIfNull(export);
        var extension = format switch
        {
            CredentialFormat.Bash => ".sh",
            CredentialFormat.Fish => ".fish",
            CredentialFormat.PowerShell => ".ps1",
            CredentialFormat.Cmd => ".cmd",
            CredentialFormat.CredentialsFile => ".ini",
            CredentialFormat.CredentialProcess => ".json",
            CredentialFormat.DotEnv => ".env",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown credential format."),
        };
        return "credentials-" + export.AccessKeyId + extension;
    }

    /// <summary>The tab title for <paramref name="format"/>.</summary>
    public static string DisplayName(CredentialFormat format) => format switch
    {
        CredentialFormat.Bash => "bash / zsh",
        CredentialFormat.Fish => "fish",
        CredentialFormat.PowerShell => "PowerShell",
        CredentialFormat.Cmd => "cmd",
        CredentialFormat.CredentialsFile => "~/.aws/credentials",
        CredentialFormat.CredentialProcess => "credential_process",
        CredentialFormat.DotEnv => ".env",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown credential format."),
    };

    /// <summary>
    /// The expiration as the AWS CLI's credential_process contract wants it: ISO 8601 in UTC with a Z suffix, whole
    /// seconds (the precision STS itself returns).
    /// </summary>
    internal static string FormatExpiration(DateTimeOffset expiration) =>
        expiration.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Variables(CredentialExport export, Func<string, string, string> line)
    {
        var text = new StringBuilder();
        text.Append(line("AWS_ACCESS_KEY_ID", export.AccessKeyId)).Append('\n');
        text.Append(line("AWS_SECRET_ACCESS_KEY", export.SecretAccessKey)).Append('\n');
        text.Append(line("AWS_SESSION_TOKEN", export.SessionToken)).Append('\n');
        if (export.Region is not null)
        {
            // AWS_REGION is read by the SDKs, AWS_DEFAULT_REGION by the CLI; older SDKs read only one of them.
            text.Append(line("AWS_DEFAULT_REGION", export.Region)).Append('\n');
            text.Append(line("AWS_REGION", export.Region)).Append('\n');
        }

        return text.ToString();
    }

    private static string CredentialsFile(CredentialExport export)
    {
        var text = new StringBuilder();
        text.Append('[').Append(export.ProfileName).Append("]\n");
        text.Append("aws_access_key_id = ").Append(export.AccessKeyId).Append('\n');
        text.Append("aws_secret_access_key = ").Append(export.SecretAccessKey).Append('\n');
        text.Append("aws_session_token = ").Append(export.SessionToken).Append('\n');
        if (export.Region is not null)
        {
            // The CLI and SDKs merge a credentials-file profile into the config-file profile of the same name.
            text.Append("region = ").Append(export.Region).Append('\n');
        }

        return text.ToString();
    }

    private static string CredentialProcess(CredentialExport export) =>
        // Every value is from the checked charset (no '"' or '\'), so each string is already valid JSON as it stands.
        "{\"Version\":1"
        + ",\"AccessKeyId\":\"" + export.AccessKeyId + "\""
        + ",\"SecretAccessKey\":\"" + export.SecretAccessKey + "\""
        + ",\"SessionToken\":\"" + export.SessionToken + "\""
        + ",\"Expiration\":\"" + FormatExpiration(export.Expiration) + "\"}\n";
}

/// <summary>The characters each exported value may contain (see <see cref="CredentialExport.Create"/>).</summary>
internal static class CredentialCharsets
{
    public static readonly SearchValues<char> AccessKeyId = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    public static readonly SearchValues<char> Base64 =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    public static readonly SearchValues<char> Region = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static readonly SearchValues<char> ProfileName =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.@+");
}
