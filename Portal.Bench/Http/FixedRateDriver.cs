using System.Diagnostics;
using System.Net;

namespace Portal.Bench.Http;

/// <summary>What a fixed-rate run measured.</summary>
internal sealed record FixedRateResult(
    double TargetRate,
    double AchievedRate,
    long Requests,
    long Non2xx,
    long Failures,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double P99LagMs,
    double ServiceP50Ms,
    double ServiceP99Ms)
{
    /// <summary>A run with any error measured failures, not the server.</summary>
    public bool IsValid => Non2xx == 0 && Failures == 0 && Requests > 0;
}

/// <summary>
/// An open-loop sender: requests leave on a fixed schedule whether or not earlier ones have been answered (wrk is
/// closed-loop and has no rate option), so latency is measured at a load the server can sustain rather than at
/// saturation. Latency is taken from each request's scheduled send time, so a stalled sender or server cannot hide
/// queueing delay (coordinated omission). The sender's own lag behind the schedule and the latency from the actual
/// send (service time) are reported too, to tell a slow server from a slow sender.
/// </summary>
internal static class FixedRateDriver
{
    /// <summary>Sends <paramref name="requests"/> round-robin at <paramref name="rate"/> per second for <paramref name="duration"/>.</summary>
    public static async Task<FixedRateResult> RunAsync(Uri endpoint, IReadOnlyList<PresignedRequest> requests, double rate, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

        // Open a few connections first so the measured run does not pay for TCP handshakes.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(http, endpoint, requests[i % requests.Count]))).ConfigureAwait(false);

        var total = (int)Math.Ceiling(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var lags = new double[total];
        var service = new double[total];
        long non2xx = 0;
        long failures = 0;
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; next < due; next++)
            {
                var index = next;
                var scheduled = index / rate;
                lags[index] = Math.Max(0, (clock.Elapsed.TotalSeconds - scheduled) * 1000);
                inFlight.Add(Task.Run(async () =>
                {
                    var sent = clock.Elapsed.TotalSeconds;
                    var status = await SendAsync(http, endpoint, requests[index % requests.Count]).ConfigureAwait(false);
                    var answered = clock.Elapsed.TotalSeconds;
                    latencies[index] = (answered - scheduled) * 1000;
                    service[index] = (answered - sent) * 1000;
                    if (status is null)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    else if ((int)status < 200 || (int)status > 299)
                    {
                        Interlocked.Increment(ref non2xx);
                    }
                }));
            }

            // A 1 ms sleep keeps one of two cores free for the server; a busy-wait would not.
            Thread.Sleep(1);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Array.Sort(lags);
        Array.Sort(service);
        return new FixedRateResult(
            rate,
            total / elapsed,
            total,
            non2xx,
            failures,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.90),
            Percentile(latencies, 0.99),
            latencies[^1],
            Percentile(lags, 0.99),
            Percentile(service, 0.50),
            Percentile(service, 0.99));
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<HttpStatusCode?> SendAsync(HttpClient http, Uri endpoint, PresignedRequest request)
    {
        try
        {
            using var message = request.ToMessage(endpoint);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
