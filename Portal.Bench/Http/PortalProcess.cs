using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Portal.Bench.Http;

/// <summary>
/// The Portal host (Release build) as a separate process on a free loopback port, with a temporary SQLite data
/// directory and a fixed bootstrap root key. Disposing stops the process and deletes the directory.
/// </summary>
internal sealed class PortalProcess : IDisposable
{
    /// <summary>The bootstrap account.</summary>
    public const string AccountId = "123456789012";

    /// <summary>The bootstrap root access key id (imported by FirstRunBootstrap).</summary>
    public const string RootAccessKeyId = "AKIAHTTPBENCHROOT001";

    /// <summary>The bootstrap root secret; a benchmark-only value for a throw-away database.</summary>
    public const string RootSecretAccessKey = "httpbenchRootSecretAccessKeyNotASecret01";

    private readonly Process _process;
    private readonly string _dataDirectory;
    private bool _disposed;

    private PortalProcess(Process process, string dataDirectory, Uri endpoint)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Endpoint = endpoint;
    }

    /// <summary>The API endpoint, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The process id, for CPU accounting.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Finds the repository root (the folder holding <c>Portal.sln</c>) above the bench's output folder.</summary>
    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln was not found above " + AppContext.BaseDirectory + "; pass --portal path/to/Portal.dll.");
    }

    /// <summary>Builds Portal in Release (incremental) and returns the path of Portal.dll.</summary>
    public static async Task<string> BuildReleaseAsync(string repositoryRoot, TextWriter log)
    {
        var project = Path.Combine(repositoryRoot, "Portal", "Portal.csproj");
        await log.WriteLineAsync("http: building Portal (Release)…").ConfigureAwait(false);
        var (exitCode, output) = await RunToEndAsync("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "quiet"]).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("dotnet build Portal -c Release failed:\n" + output);
        }

        var dll = Path.Combine(repositoryRoot, "Portal", "bin", "Release", "net10.0", "Portal.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException("The Release build produced no " + dll);
    }

    /// <summary>
    /// Starts Portal.dll on <paramref name="port"/> (default: a free one) and waits until <c>GET /healthz</c> answers
    /// 200. A caller passes the port when another process must know Portal's URLs first (an IdP's redirect URIs).
    /// </summary>
    public static async Task<PortalProcess> StartAsync(string portalDll, IReadOnlyDictionary<string, string> extraEnvironment, int? port = null)
    {
        port ??= FreeLoopbackPort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "portal-httpbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(portalDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(portalDll);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Bootstrap__AccountId"] = AccountId;
        info.Environment["Bootstrap__RootAccessKeyId"] = RootAccessKeyId;
        info.Environment["Bootstrap__RootSecretAccessKey"] = RootSecretAccessKey;
        info.Environment["Security__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (name, value) in extraEnvironment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var tail = new BoundedLog(40);
        process.OutputDataReceived += (_, e) => tail.Add(e.Data);
        process.ErrorDataReceived += (_, e) => tail.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, dataDirectory, new Uri(url + "/"));
        try
        {
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(60), tail).ConfigureAwait(false);
            return portal;
        }
        catch
        {
            portal.Dispose();
            throw;
        }
    }

    /// <summary>A port the kernel just handed out on 127.0.0.1 (released again for the server to bind).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs a command to completion, returning its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(file + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            TryDeleteDirectory(_dataDirectory);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the temp folder is the OS's to clean then.
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, BoundedLog tail)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(Endpoint, "healthz");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Portal exited with code {_process.ExitCode}:\n{tail}");
            }

            try
            {
                using var response = await http.GetAsync(health).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting (migrations, key ring).
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Portal did not become healthy within {timeout.TotalSeconds:F0} s:\n{tail}");
    }

    /// <summary>The last lines a child process printed, for error messages.</summary>
    private sealed class BoundedLog(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
