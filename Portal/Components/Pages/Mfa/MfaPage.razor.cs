using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Services.SelfService;

namespace Portal.Components.Pages.Mfa;

/// <summary>
/// The "MFA" page: the signed-in person's TOTP device. Set one up (QR code or typed key, two consecutive codes, recovery
/// codes shown once), remove it or replace it after proof (SECURITY-CASES case 102c). Everything goes through
/// <see cref="MfaSelfService"/>; the secret lives only in this circuit while a setup is open.
/// </summary>
public sealed partial class MfaPage
{
    private static readonly Dictionary<string, object> Code1Attributes = new() { ["data-testid"] = "code1", ["autocomplete"] = "one-time-code" };
    private static readonly Dictionary<string, object> Code2Attributes = new() { ["data-testid"] = "code2", ["autocomplete"] = "off" };
    private static readonly Dictionary<string, object> CodeAttributes = new() { ["data-testid"] = "code", ["autocomplete"] = "one-time-code" };
    private static readonly Dictionary<string, object> PasswordAttributes = new() { ["data-testid"] = "password", ["autocomplete"] = "current-password" };

    private ClaimsPrincipal _principal = new();
    private MfaStatus? _status;
    private bool _loaded;
    private MfaEnrolment? _enrolment;
    private IReadOnlyList<string>? _recoveryCodes;
    private ProofFor? _proof;
    private string? _code1;
    private string? _code2;
    private string? _code;
    private string? _password;
    private MfaField? _field;
    private string? _fieldError;
    private string? _error;
    private bool _busy;

    private enum ProofFor
    {
        Remove,
        Replace,
    }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private MfaSelfService Mfa { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _principal = (await AuthenticationState).User;
        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        _status = await Mfa.GetStatusAsync(_principal);
        _loaded = true;
    }

    private string? FieldError(MfaField field) => _field == field ? _fieldError : null;

    private void ClearErrors()
    {
        _field = null;
        _fieldError = null;
        _error = null;
    }

    /// <summary>Shows a step's error next to its field, or above the form when it belongs to none.</summary>
    private bool Failed<T>(MfaResult<T> result)
        where T : class
    {
        if (result.Succeeded)
        {
            return false;
        }

        if (result.ErrorField == MfaField.None)
        {
            _error = result.Error;
        }
        else
        {
            _field = result.ErrorField;
            _fieldError = result.Error;
        }

        return true;
    }

    private void ShowProof(ProofFor? proof)
    {
        ClearErrors();
        _proof = proof;
        _code = null;
        _password = null;
    }

    private async Task RunAsync(Func<Task> step)
    {
        _busy = true;
        ClearErrors();
        try
        {
            await step();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task BeginEnrolmentAsync() => RunAsync(async () =>
    {
        var started = await Mfa.BeginEnrolmentAsync(_principal);
        if (!Failed(started))
        {
            StartEnrolment(started.Value!);
        }
    });

    private Task BeginReplacementAsync() => RunAsync(async () =>
    {
        var started = await Mfa.BeginReplacementAsync(_principal, _password, _code);
        _code = null;
        if (!Failed(started))
        {
            _proof = null;
            _password = null;
            StartEnrolment(started.Value!);
        }
    });

    private void StartEnrolment(MfaEnrolment enrolment)
    {
        _enrolment = enrolment;
        _code1 = null;
        _code2 = null;
    }

    private Task ConfirmAsync() => RunAsync(async () =>
    {
        var confirmed = await Mfa.ConfirmAsync(_principal, _enrolment!, _code1, _code2);
        _code1 = null;
        _code2 = null;
        if (!Failed(confirmed))
        {
            _enrolment = null;
            _recoveryCodes = confirmed.Value;
            await RefreshAsync();
        }
    });

    private Task CancelEnrolmentAsync() => RunAsync(async () =>
    {
        await Mfa.CancelAsync(_principal, _enrolment!);
        _enrolment = null;
        await RefreshAsync();
    });

    private Task RemoveAsync() => RunAsync(async () =>
    {
        var confirmed = await ConfirmDialog.ShowAsync(Dialogs, "Remove MFA device",
            "Remove your MFA device? Its codes and recovery codes stop working, and roles that require MFA will not issue credentials until you set up a new one.",
            "Remove device");
        if (!confirmed)
        {
            return;
        }

        var removed = await Mfa.RemoveAsync(_principal, _password, _code);
        _code = null;
        if (!Failed(removed))
        {
            _proof = null;
            _password = null;
            Snackbar.Add("Your MFA device was removed.", Severity.Success);
            await RefreshAsync();
        }
    });

    private async Task CopySecretAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("portal.copyText", _enrolment!.Secret);
            Snackbar.Add("Key copied.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser refused the clipboard; copy the key shown.", Severity.Warning);
        }
    }

    private async Task DownloadRecoveryCodesAsync()
    {
        var text = "Portal MFA recovery codes for " + _status!.Label + "\n" + "Each code works once.\n\n" + string.Join('\n', _recoveryCodes!) + "\n";
        await JS.InvokeVoidAsync("portal.downloadText", "portal-recovery-codes.txt", text, "text/plain");
    }
}
