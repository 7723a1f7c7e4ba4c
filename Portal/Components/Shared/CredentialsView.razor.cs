using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Core.Sts;
using Portal.Services;

namespace Portal.Components.Shared;

/// <summary>
/// The "Get credentials" result: key id, masked secret and token with reveal, a live expiry countdown, copy buttons and
/// the seven export formats. The secret lives only in this instance (never in persisted component state).
/// </summary>
public sealed partial class CredentialsView : IDisposable
{
    private const string Mask = "••••••••••••••••";
    private const string AccessKeyIdLabel = "Access key ID";
    private const string SecretLabel = "Secret access key";
    private const string TokenLabel = "Session token";
    private const string VisuallyHidden =
        "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;";

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private CredentialExport? _export;
    private string? _error;
    private bool _secretRevealed;
    private bool _tokenRevealed;
    private bool _expired;
    private long _remainingSeconds;
    private string _announcement = string.Empty;
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>The credentials to show.</summary>
    [Parameter, EditorRequired]
    public IssuedCredentials Credentials { get; set; } = default!;

    /// <summary>The region to put in the exports, or null for none.</summary>
    [Parameter]
    public string? Region { get; set; }

    /// <summary>The profile name of the <c>~/.aws/credentials</c> block (default <c>default</c>).</summary>
    [Parameter]
    public string? ProfileName { get; set; }

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string CountdownText => _expired
        ? "Credentials expired"
        : "Expires in " + FormatDuration(_remainingSeconds);

    private string ExpirationText => _export is null
        ? string.Empty
        : _export.Expiration.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        StopTimer();
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        ArgumentNullException.ThrowIfNull(Credentials);
        var result = CredentialExport.Create(Credentials, Region, ProfileName);
        _export = result.Export;
        _error = result.Error;
        UpdateRemaining();
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        // Started after render rather than on initialisation so a prerendered (static) pass never owns a timer.
        if (_timer is null && !_expired && _export is not null && !_disposed)
        {
            _timer = Time.CreateTimer(_ => _ = InvokeAsync(Tick), null, TickInterval, TickInterval);
        }
    }

    internal static string FormatDuration(long totalSeconds)
    {
        var hours = totalSeconds / 3600;
        var minutes = totalSeconds % 3600 / 60;
        var seconds = totalSeconds % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}");
    }

    private static string AriaBool(bool value) => value ? "true" : "false";

    private static string RevealLabel(bool revealed, string what) => (revealed ? "Hide " : "Reveal ") + what.ToLowerInvariant();

    private void Tick()
    {
        if (_disposed)
        {
            return;
        }

        UpdateRemaining();
        StateHasChanged();
    }

    private void UpdateRemaining()
    {
        if (_export is null)
        {
            StopTimer();
            return;
        }

        // Rounded up, so "0:00:00" is never shown while the credentials still work: zero means expired.
        var remaining = _export.Expiration - Time.GetUtcNow();
        _remainingSeconds = remaining <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(remaining.TotalSeconds);
        _expired = _remainingSeconds == 0;
        _announcement = _remainingSeconds switch
        {
            0 => "Credentials have expired.",
            <= 60 => "Credentials expire in 1 minute or less.",
            <= 300 => "Credentials expire in 5 minutes or less.",
            _ => string.Empty,
        };
        if (_expired)
        {
            StopTimer();
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private string Preview(CredentialFormat format)
    {
        var text = CredentialFormats.Render(_export!, format);

        // The tab text hides what the fields above hide, so a revealed format never shows a masked value.
        if (!_tokenRevealed)
        {
            text = text.Replace(_export!.SessionToken, Mask, StringComparison.Ordinal);
        }

        if (!_secretRevealed)
        {
            text = text.Replace(_export!.SecretAccessKey, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private async Task CopyAsync(string text, string what)
    {
        UpdateRemaining();
        if (_expired)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("portal.copyText", text);
            Snackbar.Add(what + " copied.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser did not allow copying to the clipboard.", Severity.Warning);
        }
    }

    private async Task DownloadAsync(CredentialFormat format)
    {
        UpdateRemaining();
        if (_expired || _export is null)
        {
            return;
        }

        // JS interop rather than a data: URL, so the secret never sits in an href attribute of the page.
        await JS.InvokeVoidAsync("portal.downloadText", CredentialFormats.FileName(_export, format), CredentialFormats.Render(_export, format), "text/plain");
    }
}
