using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>A key pair, with a session token for temporary credentials.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Reads the <c>Credentials</c> member of an STS result as every client prints it.</summary>
    public static AwsCredentials FromResult(JsonElement result)
    {
        var c = result.GetProperty("Credentials");
        return new(c.GetProperty(nameof(AccessKeyId)).GetString()!, c.GetProperty(nameof(SecretAccessKey)).GetString()!, c.GetProperty(nameof(SessionToken)).GetString());
    }

    public AwsCredentials WithWrongSecret() => this with { SecretAccessKey = "X" + SecretAccessKey[1..] };
}

/// <summary>One client call's outcome: the parsed result, or the AWS error code the client reported.</summary>
public sealed record ClientResponse(bool Ok, JsonElement Result, string? Code, string? Message, int? Status, string Raw)
{
    /// <summary>Where the error was raised: "service" (Portal answered) or "client" (the client refused to send).</summary>
    public string? Kind { get; init; }

    /// <summary>The SDK's modeled exception type for the error, where the client has one (boto3, JS).</summary>
    public string? Exception { get; init; }

    public JsonElement Require(string step)
    {
        Assert.True(Ok, $"{step}: expected success, got {Code} ({Message}).\n{Raw}");
        return Result;
    }

    public void RequireError(string step, string code, string kind = "service")
    {
        Assert.False(Ok, $"{step}: expected {code}, got success.\n{Raw}");
        Assert.True(code == Code && kind == Kind, $"{step}: expected {kind} error {code}, got {Kind} error {Code} ({Message}).\n{Raw}");
    }

    /// <summary>Parses the one-line JSON the py/js drivers print.</summary>
    public static ClientResponse FromDriver(ProcessResult run)
    {
        var line = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (run.ExitCode != 0 || line is null || !line.StartsWith('{'))
        {
            throw new InvalidOperationException($"Driver failed ({run.Describe()}).");
        }

        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var ok = root.GetProperty("ok").GetBoolean();
        return new ClientResponse(
            ok,
            ok ? root.GetProperty("result").Clone() : default,
            ok ? null : root.GetProperty("code").GetString(),
            ok ? null : root.GetProperty("message").GetString(),
            !ok && root.GetProperty("status").ValueKind == JsonValueKind.Number ? root.GetProperty("status").GetInt32() : null,
            run.Describe())
        {
            Kind = ok ? null : root.GetProperty("kind").GetString(),
            Exception = !ok && root.TryGetProperty("exception", out var exception) ? exception.GetString() : null,
        };
    }
}

/// <summary>A finished child process.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public string Describe() => $"$ {Command}\nexit {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}";
}

/// <summary>Paths of the real clients (Debian packages and npm), and the process runner.</summary>
public static partial class ClientTools
{
    // pyenv shims shadow `aws` and `python3` on PATH with other versions (RECIPE.md 8.1): always use Debian's.
    public const string AwsCli = "/usr/bin/aws";
    public const string Python = "/usr/bin/python3";
    public const string Node = "/usr/bin/node";
    public const string OathTool = "/usr/bin/oathtool";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ClientsFolder => Path.Combine(RepositoryRoot, "Portal.Tests", "EndToEnd", "Clients");

    /// <summary>Fails (never skips) with the install hint when a client is missing.</summary>
    public static void RequireFile(string path, string what)
    {
        Assert.True(File.Exists(path), $"{what} is missing at {path}. Install the test clients with .ci/install-deps (Debian awscli, python3-boto3, oathtool; npm ci in Portal.Tests/EndToEnd/Clients/js).");
    }

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {CallTimeout}.");
        }

        return new ProcessResult($"{fileName} {string.Join(' ', start.ArgumentList)}", process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>botocore's operation-name transform for the CLI: <c>CreateVirtualMFADevice</c> → <c>create-virtual-mfa-device</c>.</summary>
    public static string Kebab(string operation) => KebabBoundary().Replace(operation, "-").ToLowerInvariant();

    /// <summary>The current TOTP code of a base32 seed, computed by oathtool (an implementation independent of Portal's Otp.NET).</summary>
    public static async Task<string> TotpAsync(string base32Seed, DateTimeOffset at)
    {
        RequireFile(OathTool, "oathtool");
        var now = "@" + at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = await RunAsync(OathTool, ["--totp", "-b", "--now", now, base32Seed], new Dictionary<string, string?>()).ConfigureAwait(false);
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.StdOut.Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex KebabBoundary();
}
