using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Signing;

namespace Portal.Tests.Api.Federation;

/// <summary>Temporary credentials as the STS API returned them.</summary>
internal sealed record TempCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, string Arn, string RoleArn)
{
    public string SessionJson(string? secret = null) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["sessionId"] = AccessKeyId,
        ["sessionKey"] = secret ?? SecretAccessKey,
        ["sessionToken"] = SessionToken,
    });
}

/// <summary>
/// The real Portal with a frozen clock (started at the real time, so SigV4 signing stays within the skew window) and
/// one allow-listed console origin. Temporary credentials come from signed STS calls, as a broker would get them.
/// </summary>
public sealed class FederationHost : IDisposable
{
    public const string AllowedOrigin = "https://console.portal.test";

    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly PortalAppFactory _base = new();

    public FederationHost()
    {
        Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        App = _base.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Federation:AllowedDestinations:0", AllowedOrigin);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Time);
                services.AddSingleton<ILoggerProvider>(Logs);
            });
        });
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Every log message the host writes, at every level the host's configuration lets through.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public WebApplicationFactory<Program> App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>A browser: https, cookies kept, redirects not followed.</summary>
    public HttpClient CreateBrowser(bool sameOrigin = true)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        });

        // What a browser sends when the navigation starts on a portal page (e.g. "Open console"); a link followed from
        // another site says "cross-site" and gets the sign-in confirmation first (SECURITY-CASES 97e).
        client.DefaultRequestHeaders.Add("Sec-Fetch-Site", sameOrigin ? "same-origin" : "cross-site");
        return client;
    }

    /// <summary>A fresh user with a key and a role that trusts the user, with <paramref name="rolePolicy"/> inline when given.</summary>
    internal async Task<(NewAccessKey UserKey, RoleInfo Role)> CreateUserAndRoleAsync(string? rolePolicy = null)
    {
        _ = App.Server;
        var directory = Services.GetRequiredService<IamDirectory>();
        var account = AccountId.Parse(PortalAppFactory.AccountId);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = (await directory.CreateUserAsync(account, "broker" + suffix)).Value!;
        var key = (await directory.CreateAccessKeyAsync(account, user.Id)).Value!;
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{user.Arn}}"},"Action":"sts:AssumeRole"}]}""";
        var role = (await directory.CreateRoleAsync(account, "console" + suffix, trust)).Value!;
        if (rolePolicy is not null)
        {
            Assert.True((await directory.PutInlinePolicyAsync(role.Id, "console", rolePolicy)).Succeeded);
        }

        return (key, role);
    }

    /// <summary>Role credentials obtained with long-term IAM user keys (the broker pattern of STS-SPEC §6).</summary>
    internal async Task<TempCredentials> AssumeRoleAsync(string? rolePolicy = null, int? durationSeconds = null)
    {
        var (key, role) = await CreateUserAndRoleAsync(rolePolicy);
        return await AssumeAsync(role.Arn, new SigV4Credentials(key.Key.AccessKeyId, key.SecretAccessKey), durationSeconds);
    }

    /// <summary>Role credentials obtained by role chaining: role B assumed with a session of role A.</summary>
    internal async Task<TempCredentials> AssumeRoleByChainingAsync()
    {
        var first = await AssumeRoleAsync();
        var directory = Services.GetRequiredService<IamDirectory>();
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{first.RoleArn}}"},"Action":"sts:AssumeRole"}]}""";
        var second = (await directory.CreateRoleAsync(AccountId.Parse(PortalAppFactory.AccountId), "chained" + Guid.NewGuid().ToString("N")[..8], trust)).Value!;
        return await AssumeAsync(second.Arn, new SigV4Credentials(first.AccessKeyId, first.SecretAccessKey, first.SessionToken), null);
    }

    /// <summary>GetSessionToken credentials of a fresh IAM user.</summary>
    internal async Task<TempCredentials> GetSessionTokenAsync()
    {
        var (key, _) = await CreateUserAndRoleAsync();
        var xml = await SendStsAsync("Action=GetSessionToken&Version=2011-06-15", new SigV4Credentials(key.Key.AccessKeyId, key.SecretAccessKey));
        return ReadCredentials(xml, "GetSessionTokenResult", arn: string.Empty, roleArn: string.Empty);
    }

    public void Dispose()
    {
        App.Dispose();
        _base.Dispose();
    }

    private async Task<TempCredentials> AssumeAsync(string roleArn, SigV4Credentials caller, int? durationSeconds)
    {
        var body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(roleArn) + "&RoleSessionName=console"
            + (durationSeconds is null ? string.Empty : "&DurationSeconds=" + durationSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var xml = await SendStsAsync(body, caller);
        var arn = xml.Root!.Descendants(Sts + "AssumedRoleUser").Single().Element(Sts + "Arn")!.Value;
        return ReadCredentials(xml, "AssumeRoleResult", arn, roleArn);
    }

    private static TempCredentials ReadCredentials(XDocument xml, string result, string arn, string roleArn)
    {
        var creds = xml.Root!.Element(Sts + result)!.Element(Sts + "Credentials")!;
        return new TempCredentials(creds.Element(Sts + "AccessKeyId")!.Value, creds.Element(Sts + "SecretAccessKey")!.Value, creds.Element(Sts + "SessionToken")!.Value, arn, roleArn);
    }

    private async Task<XDocument> SendStsAsync(string body, SigV4Credentials credentials)
    {
        var client = App.CreateClient();
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", client.BaseAddress!.Authority),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        };
        var signed = SigV4Signer.SignHeaders("POST", "/", string.Empty, headers, bytes, credentials, "us-east-1", "sts", Time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in signed)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return XDocument.Parse(text);
    }
}

/// <summary>Captures formatted log messages and their structured values.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Messages.Enqueue(category + ": " + formatter(state, exception) + " " + exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (_, value) in values)
                {
                    owner.Messages.Enqueue(category + ": " + value);
                }
            }
        }
    }
}
