using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// The outcome of <see cref="SamlResponseValidator.ValidateAsync"/>: a validated assertion, or a reason code
/// plus an internal detail for logs. The detail may quote message content: never show it to a browser (SECURITY-CASES 0.2).
/// </summary>
public sealed class SamlValidationResult
{
    private SamlValidationResult(SamlAssertionData? assertion, SamlFailureReason? reason, string? detail)
    {
        Assertion = assertion;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The validated assertion, when <see cref="Succeeded"/>.</summary>
    public SamlAssertionData? Assertion { get; }

    /// <summary>Why validation failed, when it did.</summary>
    public SamlFailureReason? Reason { get; }

    /// <summary>The audit reason code (e.g. <c>SIG_INVALID</c>), or null on success.</summary>
    public string? ReasonCode => Reason?.ToCode();

    /// <summary>Internal diagnostic text for logs only.</summary>
    public string? Detail { get; }

    /// <summary>True when the response passed every check.</summary>
    [MemberNotNullWhen(true, nameof(Assertion))]
    [MemberNotNullWhen(false, nameof(Reason), nameof(Detail))]
    public bool Succeeded => Assertion is not null;

    internal static SamlValidationResult Success(SamlAssertionData assertion) => new(assertion, null, null);

    internal static SamlValidationResult Failure(SamlFailureReason reason, string detail) => new(null, reason, detail);

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"Valid assertion {Assertion.AssertionId}" : $"{ReasonCode}: {Detail}";
}

/// <summary>Internal control flow of the validator's steps; never escapes <see cref="SamlResponseValidator"/>.</summary>
[SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Never leaves the validator.")]
internal sealed class SamlRejectedException(SamlFailureReason reason, string detail) : Exception(detail)
{
    public SamlFailureReason Reason { get; } = reason;
}
