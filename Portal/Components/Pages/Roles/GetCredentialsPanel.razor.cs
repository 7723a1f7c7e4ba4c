using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Authentication;
using Portal.Services.SelfService;

namespace Portal.Components.Pages.Roles;

/// <summary>
/// "Get credentials" for one role: duration within the role's bounds, optional session policy, the MFA step-up, then
/// the credentials and console links. Issuance and links come from the application services; the secret lives only here.
/// </summary>
public sealed partial class GetCredentialsPanel
{
    private static readonly Dictionary<string, object> DurationAttributes = new() { ["data-testid"] = "duration" };
    private static readonly Dictionary<string, object> CodeAttributes = new() { ["data-testid"] = "mfa-code", ["autocomplete"] = "one-time-code" };

    private readonly string _titleId = "get-credentials-" + Guid.NewGuid().ToString("N");
    private GetCredentialsInput _input = new();
    private CredentialIssueResult? _result;
    private string? _consoleLink;
    private bool _withPolicy;
    private bool _policyValid = true;
    private bool _needsCode;
    private bool _noDevice;
    private string? _codeError;
    private bool _busy;

    /// <summary>The role to issue credentials for.</summary>
    [Parameter, EditorRequired]
    public MyRole Role { get; set; } = default!;

    /// <summary>The signed-in person.</summary>
    [Parameter, EditorRequired]
    public ClaimsPrincipal Principal { get; set; } = default!;

    /// <summary>Raised when the person closes the panel.</summary>
    [Parameter]
    public EventCallback OnClose { get; set; }

    [Inject]
    private CredentialIssuanceService Issuance { get; set; } = default!;

    [Inject]
    private ConsoleLinkService ConsoleLinks { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string TitleId => _titleId;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        ArgumentNullException.ThrowIfNull(Role);
        ArgumentNullException.ThrowIfNull(Principal);
        if (_input.RoleArn != Role.Arn)
        {
            var local = Principal.FindFirst(PortalClaimTypes.Method)?.Value == "local";
            var mfa = Principal.FindAll(PortalClaimTypes.AuthenticationMethod).Any(c => c.Value == "mfa");
            _input = new GetCredentialsInput { RoleArn = Role.Arn, DurationSeconds = Math.Min(3600, Role.MaxSessionDuration) };
            _result = null;
            _consoleLink = null;
            _codeError = null;

            // A federated sign-in with trusted IdP MFA needs no code; everyone else steps up with their portal TOTP device.
            _needsCode = Role.RequiresMfa && (local || !mfa);
            _noDevice = _needsCode && !await Issuance.HasMfaDeviceAsync(Principal);
        }
    }

    private async Task IssueAsync()
    {
        _busy = true;
        try
        {
            _input.SessionPolicy = _withPolicy ? _input.SessionPolicy : null;
            var result = await Issuance.IssueAsync(Principal, _input);
            _input.MfaCode = null;
            _needsCode |= result.Status is CredentialIssueStatus.MfaCodeRequired or CredentialIssueStatus.MfaCodeInvalid or CredentialIssueStatus.MfaDeviceRequired;
            _noDevice = result.Status == CredentialIssueStatus.MfaDeviceRequired;

            // Code problems go next to the code field; everything else in the alert below the form.
            var codeProblem = result.Status is CredentialIssueStatus.MfaCodeRequired or CredentialIssueStatus.MfaCodeInvalid;
            _codeError = codeProblem ? result.Message : null;
            _result = codeProblem || _noDevice ? null : result;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<string?> CreateConsoleLinkAsync()
    {
        var link = await ConsoleLinks.CreateLinkAsync(_result!.Credentials!);
        if (!link.Succeeded)
        {
            Snackbar.Add("No console link: " + link.Error.Message, Severity.Error);
            return null;
        }

        return Navigation.ToAbsoluteUri(link.Value).ToString();
    }

    private async Task OpenConsoleAsync()
    {
        if (await CreateConsoleLinkAsync() is { } url)
        {
            await JS.InvokeVoidAsync("portal.openInNewTab", url);
        }
    }

    private async Task CopyConsoleLinkAsync()
    {
        _consoleLink = await CreateConsoleLinkAsync();
        if (_consoleLink is null)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("portal.copyText", _consoleLink);
            Snackbar.Add("Console link copied. It works once, within 15 minutes.", Severity.Success);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser refused the clipboard; copy the link shown below.", Severity.Warning);
        }
    }
}
