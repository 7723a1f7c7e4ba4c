using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Bench.Http;
using Portal.Core.Identity;

namespace Portal.Bench.Ui;

/// <summary>
/// The browser tests' OIDC IdP (Portal.Tests/EndToEnd/Idps/oidc/server.mjs, oidc-provider) under node on a free
/// loopback port, in its own process group (<c>setsid</c>) so disposing stops node and anything it spawned, as
/// Portal.Tests/EndToEnd/Browser/IdpProcess.cs does.
/// </summary>
internal sealed class OidcTestIdp : IAsyncDisposable
{
    /// <summary>The portal client registered at the IdP (server.mjs).</summary>
    public const string PortalClientId = "portal";

    /// <summary>The portal client's secret at the IdP (server.mjs; a test value).</summary>
    public const string PortalClientSecret = "portal-e2e-secret";

    /// <summary>The IdP's test user whose sign-in is timed, its password, and its subject (server.mjs).</summary>
    public const string User = "alice";

    /// <summary>The test user's password.</summary>
    public const string Password = "alice-pw";

    /// <summary>The test user's <c>sub</c> claim.</summary>
    public const string Subject = "e2e-user-alice";

    /// <summary>The test user's e-mail, which Portal uses as the role session name.</summary>
    public const string Email = "alice@example.test";

    private const string Node = "/usr/bin/node";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OidcTestIdp(Process process, string issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash (as the IdP announces it).</summary>
    public string Issuer { get; }

    /// <summary>What node printed, for error messages.</summary>
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

    /// <summary>The folder of server.mjs.</summary>
    public static string Folder => Path.Combine(PortalProcess.FindRepositoryRoot(), "Portal.Tests", "EndToEnd", "Idps", "oidc");

    /// <summary>Null when node and the IdP's node_modules are present; otherwise what to do about it.</summary>
    public static string? MissingPrerequisite()
    {
        if (!File.Exists(Node))
        {
            return $"{Node} is missing: install Debian's nodejs (.ci/install-deps).";
        }

        var package = Path.Combine(Folder, "node_modules", "oidc-provider", "package.json");
        return File.Exists(package)
            ? null
            : $"{package} is missing: run `npm ci` in {Folder}, or in a worktree link the main checkout's modules:\n"
              + $"  ln -s /work/main/Portal.Tests/EndToEnd/Idps/oidc/node_modules {Path.Combine(Folder, "node_modules")}";
    }

    /// <summary>
    /// Portal's OIDC callback path for <paramref name="issuer"/>: <c>/signin-oidc/</c> + the first 16 hex digits of
    /// SHA-256("oidc:" + provider name). It mirrors Portal/Authentication/Oidc/OidcSignInProvider.KeyOf, which the bench
    /// cannot reference (it is in the host); the IdP must know the redirect URI before Portal registers it.
    /// </summary>
    public static string PortalCallbackPath(string issuer) =>
        "/signin-oidc/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("oidc:" + Arn.OidcProviderName(issuer))))[..16];

    /// <summary>Starts the IdP for a Portal at <paramref name="portalOrigin"/> and waits for its discovery document.</summary>
    public static async Task<OidcTestIdp> StartAsync(string portalOrigin, string runDirectory)
    {
        var port = PortalProcess.FreeLoopbackPort();
        var issuer = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("/usr/bin/setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        start.ArgumentList.Add(Node);
        start.ArgumentList.Add(Path.Combine(Folder, "server.mjs"));
        start.Environment["OIDC_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["OIDC_PORTAL_REDIRECT_URIS"] = portalOrigin + PortalCallbackPath(issuer);
        start.Environment["OIDC_STS_REDIRECT_URI"] = portalOrigin + "/unused-sts-callback";
        start.Environment["OIDC_JWKS_FILE"] = Path.Combine(runDirectory, "oidc-jwks.json");
        start.Environment["NODE_NO_WARNINGS"] = "1";

        // setsid execs in place (the child is not a group leader), so the pid is also the new process group id.
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var idp = new OidcTestIdp(process, issuer);
        process.OutputDataReceived += (_, e) => idp.Append(e.Data);
        process.ErrorDataReceived += (_, e) => idp.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await idp.WaitReadyAsync(new Uri(issuer + "/.well-known/openid-configuration")).ConfigureAwait(false);
            return idp;
        }
        catch
        {
            await idp.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalGroupAsync("TERM").ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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

        _process.Dispose();
    }

    private async Task SignalGroupAsync(string signal)
    {
        var pgid = "-" + _process.Id.ToString(CultureInfo.InvariantCulture);
        await PortalProcess.RunToEndAsync("/bin/kill", ["-" + signal, "--", pgid]).ConfigureAwait(false);
    }

    private async Task WaitReadyAsync(Uri discovery)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The OIDC IdP exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(discovery).ConfigureAwait(false);
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
                // Still starting.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"The OIDC IdP at {discovery} was not ready after 30 s:\n{Output}");
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
