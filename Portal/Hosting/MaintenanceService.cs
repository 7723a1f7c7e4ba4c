using Microsoft.Extensions.Options;
using Portal.Core.Credentials;
using Portal.Core.Persistence;

namespace Portal.Hosting;

/// <summary>Engine housekeeping settings (section <c>Maintenance</c>).</summary>
public sealed class MaintenanceOptions
{
    /// <summary>How often housekeeping runs. Default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a session-token key signs before a new one replaces it. Default 30 days; zero disables rotation.</summary>
    public TimeSpan TokenKeyRotation { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Rotates the token key on schedule and purges what has expired (retired keys, revocations, replay markers).</summary>
public sealed partial class MaintenanceService : BackgroundService
{
    private readonly TokenKeyRing _ring;
    private readonly RevocationList _revocations;
    private readonly IReplayStore _replay;
    private readonly TimeProvider _time;
    private readonly MaintenanceOptions _options;
    private readonly ILogger<MaintenanceService> _logger;

    /// <summary>Creates the service.</summary>
    public MaintenanceService(TokenKeyRing ring, RevocationList revocations, IReplayStore replay, TimeProvider time, IOptions<MaintenanceOptions> options, ILogger<MaintenanceService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ring = ring;
        _revocations = revocations;
        _replay = replay;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>One housekeeping pass.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await _ring.RefreshAsync(ct).ConfigureAwait(false);
        var signing = _ring.Keys.FirstOrDefault(k => k.KeyId == _ring.SigningKeyId);
        if (_options.TokenKeyRotation > TimeSpan.Zero && signing is not null && _time.GetUtcNow() - signing.ActivatedAt >= _options.TokenKeyRotation)
        {
            var id = await _ring.RotateAsync(ct).ConfigureAwait(false);
            LogRotated(_logger, id);
        }

        await _ring.PurgeAsync(ct).ConfigureAwait(false);
        await _revocations.PurgeExpiredAsync(ct).ConfigureAwait(false);
        await _replay.PurgeExpiredAsync(_time.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Housekeeping must survive a transient database error; the next pass retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Rotated the session-token key; new tokens are sealed with key {KeyId}.")]
    private static partial void LogRotated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Housekeeping failed; it will be retried.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
