using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Portal.Sts;

/// <summary>
/// A token bucket per access key, answering AWS's <c>Throttling</c> when empty (SDKs retry it, STS-SPEC §2.4). Buckets
/// are refilled from the elapsed time on each request; idle buckets are dropped when the table grows.
/// </summary>
public sealed class AccessKeyRateLimiter
{
    private const int MaxBuckets = 100_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;

    /// <summary>Creates the limiter.</summary>
    public AccessKeyRateLimiter(IOptions<StsApiOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _rate = options.Value.RateLimitPerSecond;
        _burst = Math.Max(1, options.Value.RateLimitBurst);
    }

    /// <summary>Takes one permit for the key; false when the key is over its rate.</summary>
    public bool TryAcquire(string accessKeyId)
    {
        if (_rate <= 0)
        {
            return true;
        }

        if (_buckets.Count > MaxBuckets)
        {
            _buckets.Clear();
        }

        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(accessKeyId, _ => new Bucket(_burst, now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (elapsed * _rate));
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
