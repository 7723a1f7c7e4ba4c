using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>Whom a client call is made as: explicit credentials (environment variables) or a named profile.</summary>
public sealed record CallAs(AwsCredentials? Credentials, string? Profile)
{
    public static CallAs Keys(AwsCredentials credentials) => new(credentials, null);

    public static CallAs ProfileNamed(string profile) => new(null, profile);
}

/// <summary>A real out-of-process client (CLI, boto3, JS) speaking to Portal.</summary>
public interface IExternalClient
{
    string Name { get; }

    /// <summary>Calls <paramref name="operation"/> of <paramref name="service"/> ("sts"/"iam") with model-shaped parameters.</summary>
    Task<ClientResponse> CallAsync(string service, string operation, object? parameters, CallAs who);
}

/// <summary>
/// Per-test isolation for external clients: a temporary HOME (the CLI caches assumed-role credentials under
/// ~/.aws/cli/cache, RECIPE.md 1.4), its own config and credentials files, an AWS_DATA_PATH with Portal as the STS
/// endpoint rule set, no inherited AWS_* or proxy variables, instance metadata disabled.
/// </summary>
public sealed partial class ClientSandbox : IDisposable
{
    private static readonly string[] ProxyVariables = ["http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"];
    private readonly StringBuilder _config = new();

    public ClientSandbox(PortalProcessFixture portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        Endpoint = portal.Endpoint;
        Root = Path.Combine(Path.GetTempPath(), "portal-e2e-sandbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "home", ".aws"));
        ConfigFile = Path.Combine(Root, "home", ".aws", "config");
        CredentialsFile = Path.Combine(Root, "home", ".aws", "credentials");
        File.WriteAllText(ConfigFile, string.Empty);
        File.WriteAllText(CredentialsFile, string.Empty);
        DataPath = Path.Combine(Root, "datapath");
        var rules = Path.Combine(DataPath, "sts", "2011-06-15");
        Directory.CreateDirectory(rules);
        File.WriteAllText(Path.Combine(rules, "endpoint-rule-set-1.json"), StsRuleSetOverride(Endpoint));
    }

    public string Endpoint { get; }

    public string Root { get; }

    public string ConfigFile { get; }

    public string CredentialsFile { get; }

    /// <summary>botocore data override: CLI 2.9 and boto3 1.26 ignore endpoint_url in profiles, so a role_arn profile's own AssumeRole finds Portal only through this (RECIPE.md 1.4).</summary>
    public string DataPath { get; }

    /// <summary>Adds <c>[profile name]</c> to the config file; <c>endpoint_url</c> is always set (read by JS and .NET, ignored by CLI 2.9/boto3 1.26).</summary>
    public void AddProfile(string name, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _config.Append("[profile ").Append(name).Append("]\n");
        _config.Append("region = ").Append(PortalProcessFixture.Region).Append('\n');
        _config.Append("endpoint_url = ").Append(Endpoint).Append('\n');
        foreach (var (key, value) in settings)
        {
            _config.Append(key).Append(" = ").Append(value).Append('\n');
        }

        _config.Append('\n');
        File.WriteAllText(ConfigFile, _config.ToString());
    }

    public void AddKeysProfile(string name, AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var settings = new Dictionary<string, string>
        {
            ["aws_access_key_id"] = credentials.AccessKeyId,
            ["aws_secret_access_key"] = credentials.SecretAccessKey,
        };
        if (credentials.SessionToken is { } token)
        {
            settings["aws_session_token"] = token;
        }

        AddProfile(name, settings);
    }

    /// <summary>The child environment for one call.</summary>
    public Dictionary<string, string?> Environment(CallAs who)
    {
        ArgumentNullException.ThrowIfNull(who);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("AWS_", StringComparison.Ordinal))
            {
                env[name] = null;
            }
        }

        foreach (var name in ProxyVariables)
        {
            env[name] = null;
        }

        env["HOME"] = Path.Combine(Root, "home");
        env["AWS_CONFIG_FILE"] = ConfigFile;
        env["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsFile;
        env["AWS_DATA_PATH"] = DataPath;
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["AWS_PAGER"] = string.Empty;
        env["AWS_DEFAULT_REGION"] = PortalProcessFixture.Region;
        env["PORTAL_ENDPOINT"] = Endpoint;
        env["NODE_NO_WARNINGS"] = "1";
        if (who.Credentials is { } c)
        {
            env["AWS_ACCESS_KEY_ID"] = c.AccessKeyId;
            env["AWS_SECRET_ACCESS_KEY"] = c.SecretAccessKey;
            env["AWS_SESSION_TOKEN"] = c.SessionToken;
        }

        if (who.Profile is { } profile)
        {
            env["AWS_PROFILE"] = profile;
        }

        return env;
    }

    public IExternalClient Cli() => new AwsCliClient(this);

    public IExternalClient Boto3() => new Boto3Client(this);

    public IExternalClient Js() => new JsSdkClient(this);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>The STS endpoint rule set with every rule replaced by "use the override, else Portal" (RECIPE.md 1.4).</summary>
    private static string StsRuleSetOverride(string endpoint)
    {
        var ruleSet = new
        {
            version = "1.0",
            parameters = new Dictionary<string, object>
            {
                ["Region"] = new { builtIn = "AWS::Region", required = false, documentation = "region", type = "String" },
                ["UseDualStack"] = new { builtIn = "AWS::UseDualStack", required = true, @default = false, documentation = "dual stack", type = "Boolean" },
                ["UseFIPS"] = new { builtIn = "AWS::UseFIPS", required = true, @default = false, documentation = "fips", type = "Boolean" },
                ["Endpoint"] = new { builtIn = "SDK::Endpoint", required = false, documentation = "endpoint override", type = "String" },
                ["UseGlobalEndpoint"] = new { builtIn = "AWS::STS::UseGlobalEndpoint", required = true, @default = false, documentation = "global", type = "Boolean" },
            },
            rules = new object[]
            {
                new
                {
                    conditions = new object[] { new { fn = "isSet", argv = new object[] { new Dictionary<string, string> { ["ref"] = "Endpoint" } } } },
                    endpoint = new { url = new Dictionary<string, string> { ["ref"] = "Endpoint" }, properties = new { }, headers = new { } },
                    type = "endpoint",
                },
                new
                {
                    conditions = Array.Empty<object>(),
                    endpoint = new
                    {
                        url = endpoint,
                        properties = new { authSchemes = new object[] { new { name = "sigv4", signingName = "sts", signingRegion = PortalProcessFixture.Region } } },
                        headers = new { },
                    },
                    type = "endpoint",
                },
            },
        };
        return JsonSerializer.Serialize(ruleSet);
    }

    /// <summary>Debian's AWS CLI v2 (2.9.19): one process per call, parameters as --cli-input-json.</summary>
    private sealed class AwsCliClient(ClientSandbox sandbox) : IExternalClient
    {
        public string Name => "aws-cli";

        public async Task<ClientResponse> CallAsync(string service, string operation, object? parameters, CallAs who)
        {
            ClientTools.RequireFile(ClientTools.AwsCli, "The AWS CLI (Debian awscli)");
            List<string> args = [service, ClientTools.Kebab(operation), "--endpoint-url", sandbox.Endpoint, "--output", "json"];
            // The CLI writes a virtual MFA seed only to a file, and its create-virtual-mfa-device customisation checks
            // its required arguments before --cli-input-json is read: that operation gets plain flags.
            var seedFile = Path.Combine(sandbox.Root, "mfa-seed-" + Guid.NewGuid().ToString("N"));
            if (operation == "CreateVirtualMFADevice")
            {
                foreach (var property in JsonSerializer.SerializeToElement(parameters).EnumerateObject())
                {
                    args.AddRange(["--" + ClientTools.Kebab(property.Name), property.Value.ToString()]);
                }

                args.AddRange(["--outfile", seedFile, "--bootstrap-method", "Base32StringSeed"]);
            }
            else if (parameters is not null)
            {
                args.Add("--cli-input-json");
                args.Add(JsonSerializer.Serialize(parameters));
            }

            var run = await ClientTools.RunAsync(ClientTools.AwsCli, args, sandbox.Environment(who)).ConfigureAwait(false);
            if (run.ExitCode == 0)
            {
                var json = string.IsNullOrWhiteSpace(run.StdOut) ? "{}" : run.StdOut;
                if (File.Exists(seedFile))
                {
                    var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
                    node["VirtualMFADevice"]!["Base32StringSeed"] = File.ReadAllText(seedFile).Trim();
                    json = node.ToJsonString();
                }

                using var doc = JsonDocument.Parse(json);
                return new ClientResponse(true, doc.RootElement.Clone(), null, null, null, run.Describe());
            }

            if (CliServiceError().Match(run.StdErr) is { Success: true } m)
            {
                return new ClientResponse(false, default, m.Groups["code"].Value, m.Groups["message"].Value.Trim(), null, run.Describe()) { Kind = "service" };
            }

            if (run.StdErr.Contains("Parameter validation failed", StringComparison.Ordinal))
            {
                return new ClientResponse(false, default, "ParamValidation", run.StdErr.Trim(), null, run.Describe()) { Kind = "client" };
            }

            throw new InvalidOperationException($"The AWS CLI failed without an AWS error ({run.Describe()}).");
        }
    }

    /// <summary>Debian's boto3 1.26 through py/driver.py.</summary>
    private sealed class Boto3Client(ClientSandbox sandbox) : IExternalClient
    {
        public string Name => "boto3";

        public async Task<ClientResponse> CallAsync(string service, string operation, object? parameters, CallAs who)
        {
            ClientTools.RequireFile(ClientTools.Python, "Debian's python3 (with python3-boto3)");
            var driver = Path.Combine(ClientTools.ClientsFolder, "py", "driver.py");
            var run = await ClientTools.RunAsync(ClientTools.Python, [driver, service, operation, JsonSerializer.Serialize(parameters ?? new { })], sandbox.Environment(who)).ConfigureAwait(false);
            Assert.False(run.StdErr.Contains("No module named 'boto3'", StringComparison.Ordinal), "python3-boto3 is not installed: run .ci/install-deps.\n" + run.Describe());
            return ClientResponse.FromDriver(run);
        }
    }

    /// <summary>The AWS SDK for JavaScript v3 (versions pinned in js/package-lock.json) through js/driver.mjs.</summary>
    private sealed class JsSdkClient(ClientSandbox sandbox) : IExternalClient
    {
        public string Name => "js-sdk";

        public async Task<ClientResponse> CallAsync(string service, string operation, object? parameters, CallAs who)
        {
            ClientTools.RequireFile(ClientTools.Node, "Node.js");
            var folder = Path.Combine(ClientTools.ClientsFolder, "js");
            ClientTools.RequireFile(Path.Combine(folder, "node_modules", "@aws-sdk", "client-sts", "package.json"), "@aws-sdk/client-sts (npm ci)");
            var run = await ClientTools.RunAsync(ClientTools.Node, [Path.Combine(folder, "driver.mjs"), service, operation, JsonSerializer.Serialize(parameters ?? new { })], sandbox.Environment(who), folder).ConfigureAwait(false);
            return ClientResponse.FromDriver(run);
        }
    }

    [GeneratedRegex(@"An error occurred \((?<code>\w+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (?<message>.*)", RegexOptions.Singleline)]
    private static partial Regex CliServiceError();
}
