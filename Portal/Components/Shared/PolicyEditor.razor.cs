using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Portal.Core.Policies;

namespace Portal.Components.Shared;

/// <summary>
/// A JSON policy editor that validates as you type (after a pause) with <see cref="PolicyDocument.Parse"/> and lists
/// every problem with its line and column.
/// </summary>
public sealed partial class PolicyEditor : IDisposable
{
    private static readonly JsonWriterOptions PrettyPrint = new()
    {
        Indented = true,
        IndentSize = 4,
        NewLine = "\n",

        // Only '"', '\' and control characters are escaped: the text goes back into a textarea, not into HTML or a script.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly string _errorListId = "policy-errors-" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, object> _inputAttributes;
    private string _text = string.Empty;
    private string? _validatedText;
    private PolicyKind _validatedKind;
    private IReadOnlyList<PolicyParseError> _errors = [];
    private bool _lastReportedValidity;
    private ITimer? _debounce;
    private bool _disposed;

    /// <summary>Creates the editor.</summary>
    public PolicyEditor()
    {
        _inputAttributes = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["data-testid"] = "policy-text",
            ["spellcheck"] = "false",
            ["autocomplete"] = "off",
            ["aria-describedby"] = _errorListId,
        };
    }

    /// <summary>The policy JSON text.</summary>
    [Parameter]
    public string? Value { get; set; }

    /// <summary>Raised on every edit with the new text.</summary>
    [Parameter]
    public EventCallback<string> ValueChanged { get; set; }

    /// <summary>Which policy rules to validate against (identity, session, trust, resource).</summary>
    [Parameter]
    public PolicyKind Kind { get; set; } = PolicyKind.Identity;

    /// <summary>The field label.</summary>
    [Parameter]
    public string Label { get; set; } = "Policy document";

    /// <summary>Visible rows of the text area.</summary>
    [Parameter]
    public int Lines { get; set; } = 14;

    /// <summary>How long typing must pause before the text is validated.</summary>
    [Parameter]
    public TimeSpan ValidationDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Raised when <see cref="IsValid"/> changes.</summary>
    [Parameter]
    public EventCallback<bool> IsValidChanged { get; set; }

    /// <summary>True when the current text has been validated and is a valid policy of <see cref="Kind"/>.</summary>
    public bool IsValid =>
        _validatedText is not null && string.Equals(_validatedText, _text, StringComparison.Ordinal) && _validatedKind == Kind
        && _errors.Count == 0 && !string.IsNullOrWhiteSpace(_text);

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private string? ErrorSummary => _errors.Count switch
    {
        0 => null,
        1 => "1 problem in this policy.",
        var n => $"{n} problems in this policy.",
    };

    private string? HelperText => string.IsNullOrWhiteSpace(_text) ? "Enter a JSON policy document." : null;

    /// <summary>Validates the current text now (skipping the typing pause), e.g. before saving; returns <see cref="IsValid"/>.</summary>
    public async Task<bool> ValidateNowAsync()
    {
        await InvokeAsync(async () =>
        {
            _debounce?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            await ValidateAsync();
            StateHasChanged();
        });
        return IsValid;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _debounce?.Dispose();
    }

    /// <summary>Pretty-prints <paramref name="json"/> with 4-space indents, keeping member order; null when it is not JSON.</summary>
    internal static string? Format(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, PrettyPrint))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        var value = Value ?? string.Empty;
        if (!string.Equals(value, _text, StringComparison.Ordinal) || _validatedText is null || _validatedKind != Kind)
        {
            // Text set by the page (load, reset) or a new Kind is checked at once; only typing waits for a pause.
            _text = value;
            _debounce?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            await ValidateAsync();
        }
    }

    private async Task OnTextChangedAsync(string? value)
    {
        _text = value ?? string.Empty;
        await ValueChanged.InvokeAsync(_text);
        if (_disposed)
        {
            return;
        }

        _debounce ??= Time.CreateTimer(_ => _ = InvokeAsync(OnValidationDelayElapsedAsync), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _debounce.Change(ValidationDelay, Timeout.InfiniteTimeSpan);
        await ReportValidityAsync();
    }

    private async Task OnValidationDelayElapsedAsync()
    {
        if (_disposed)
        {
            return;
        }

        await ValidateAsync();
        StateHasChanged();
    }

    private async Task ValidateAsync()
    {
        _validatedText = _text;
        _validatedKind = Kind;
        _errors = string.IsNullOrWhiteSpace(_text) ? [] : PolicyDocument.Parse(_text, Kind).Errors;
        await ReportValidityAsync();
    }

    private async Task ReportValidityAsync()
    {
        var isValid = IsValid;
        if (isValid != _lastReportedValidity)
        {
            _lastReportedValidity = isValid;
            await IsValidChanged.InvokeAsync(isValid);
        }
    }

    private async Task FormatAsync()
    {
        if (!IsValid || Format(_text) is not { } formatted)
        {
            return;
        }

        _text = formatted;
        await ValueChanged.InvokeAsync(_text);
        await ValidateAsync();
    }
}
