using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Bench.Http;

/// <summary>
/// The baseline: bare Kestrel on the same host answering <c>POST /</c> with a fixed small XML body (the size of a
/// GetCallerIdentity answer), reading the request body as Portal does. It measures what HTTP alone costs here.
/// </summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    private static readonly byte[] Response = Encoding.UTF8.GetBytes(
        """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABASELINEBASELINE1</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>
        """);

    private readonly WebApplication _app;

    private BaselineServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<BaselineServer> StartAsync()
    {
        var port = PortalProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var app = builder.Build();
        app.MapPost("/", HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        return new BaselineServer(app, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task HandleAsync(HttpContext http)
    {
        // Drain the form body like the real endpoint must before it can verify the payload hash.
        using var sink = new MemoryStream();
        await http.Request.Body.CopyToAsync(sink, http.RequestAborted).ConfigureAwait(false);
        http.Response.ContentType = "text/xml";
        http.Response.ContentLength = Response.Length;
        await http.Response.Body.WriteAsync(Response, http.RequestAborted).ConfigureAwait(false);
    }
}
