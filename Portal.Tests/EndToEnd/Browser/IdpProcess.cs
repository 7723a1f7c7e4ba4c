using System.Diagnostics;
using System.Net;
using System.Text;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// A test IdP as a child process in its own process group (<c>setsid</c>), ready once a health URL answers 200, and
/// stopped by signalling the whole group: <c>php -S</c> with workers forks children that a plain kill would orphan
/// on the port (RECIPE browser-and-idps §4a).
/// </summary>
internal sealed class IdpProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private IdpProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

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

    /// <summary>Starts <paramref name="fileName"/> under setsid and polls <paramref name="healthUrl"/> until it answers 200.</summary>
    public static async Task<IdpProcess> StartAsync(
        string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, Uri healthUrl)
    {
        await EnsurePortFreeAsync(name, healthUrl).ConfigureAwait(false);
        var start = new ProcessStartInfo("/usr/bin/setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The child of a non-leader: setsid execs in place, so the pid is also the new process group id.
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var idp = new IdpProcess(name, process);
        process.OutputDataReceived += (_, e) => idp.Append(e.Data);
        process.ErrorDataReceived += (_, e) => idp.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await idp.WaitUntilHealthyAsync(healthUrl).ConfigureAwait(false);
        }
        catch
        {
            await idp.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return idp;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalGroupAsync("TERM").ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await SignalGroupAsync("KILL").ConfigureAwait(false);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // php -S workers may outlive the leader by a moment; the group gets a final KILL (ESRCH when already gone).
        await SignalGroupAsync("KILL").ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task SignalGroupAsync(string signal)
    {
        var kill = new ProcessStartInfo("/bin/kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add("-" + signal);
        kill.ArgumentList.Add("--");
        kill.ArgumentList.Add("-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var killer = Process.Start(kill);
        if (killer is not null)
        {
            await killer.StandardError.ReadToEndAsync().ConfigureAwait(false);
            await killer.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitUntilHealthyAsync(Uri healthUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = "no answer yet";
        while (clock.Elapsed < StartupTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} during start-up. Output:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(healthUrl).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
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

        throw new TimeoutException($"{Name} at {healthUrl} was not ready after {StartupTimeout} (last: {last}). Output:\n{Output}");
    }

    /// <summary>The IdPs' ports are fixed (Portal's redirect URIs are registered at them): a leftover process must fail loudly.</summary>
    private static async Task EnsurePortFreeAsync(string name, Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(url).ConfigureAwait(false);
            throw new InvalidOperationException($"Port {url.Port} for {name} is already taken (answered {(int)response.StatusCode}); stop the leftover process.");
        }
        catch (HttpRequestException)
        {
            // Nothing listens: the port is free.
        }
        catch (TaskCanceledException)
        {
            // Nothing answered in time: treat as free; the start-up check reports a real conflict.
        }
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
}
