using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>The one collection every real-client test runs in, so they share a single Portal process.</summary>
[CollectionDefinition(Name)]
public sealed class RealClientsGroup : ICollectionFixture<PortalProcessFixture>
{
    public const string Name = "EndToEnd.Clients";
}

/// <summary>
/// Starts the built Portal as a real process (<c>dotnet Portal.dll --urls http://127.0.0.1:PORT</c>) on SQLite in a
/// temporary directory, with a fixed bootstrap account and root key, and waits until <c>/healthz</c> answers "ok".
/// Disposal kills the process tree and deletes the directory.
/// </summary>
public sealed class PortalProcessFixture : IAsyncLifetime
{
    public const string AccountId = "444455556666";
    public const string RootAccessKeyId = "AKIAE2ECLIENTSROOT01";
    public const string RootSecret = "e2eClientsRootSecretForTestsOnly00000000";
    public const string Region = "us-east-1";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public PortalProcessFixture()
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "portal-e2e-clients-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The temporary directory holding the database (and the process's working directory).</summary>
    public string WorkDirectory { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash, as the clients take it).</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>The root account's long-term credentials from the bootstrap configuration.</summary>
    public static AwsCredentials Root => new(RootAccessKeyId, RootSecret);

    /// <summary>What the Portal process printed so far; attached to failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        var dll = LocatePortalDll();
        var port = FreeLoopbackPort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Endpoint);
        start.Environment["Storage__DataDirectory"] = Path.Combine(WorkDirectory, "data");
        start.Environment["Bootstrap__AccountId"] = AccountId;
        start.Environment["Bootstrap__RootAccessKeyId"] = RootAccessKeyId;
        start.Environment["Bootstrap__RootSecretAccessKey"] = RootSecret;
        start.Environment["Security__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilHealthyAsync().ConfigureAwait(false);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = "no answer yet";
        while (deadline.Elapsed < StartupTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Portal exited with code {_process.ExitCode} during start-up. Output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint + "/healthz")).ConfigureAwait(false);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
                if (response.StatusCode == HttpStatusCode.OK && last.EndsWith(" ok", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                last = ex.Message;
            }

            await ticker.WaitForNextTickAsync().ConfigureAwait(false);
        }

        throw new TimeoutException($"Portal at {Endpoint} was not healthy after {StartupTimeout} (last: {last}). Output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// The referenced Portal project's build output is copied next to the test assembly, runtimeconfig included, so
    /// <c>dotnet Portal.dll</c> runs from there; the project's own bin folder is the fallback.
    /// </summary>
    private static string LocatePortalDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "Portal.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Portal.runtimeconfig.json")))
        {
            return local;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var built = Path.Combine(ClientTools.RepositoryRoot, "Portal", "bin", configuration, "net10.0", "Portal.dll");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"Portal.dll was found neither next to the tests ({local}) nor at {built}; build the solution first.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
