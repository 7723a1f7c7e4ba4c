using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Sts;

/// <summary>The result of an engine operation: a value, or the <see cref="StsError"/> that prevented it.</summary>
/// <typeparam name="T">The success value.</typeparam>
public readonly struct StsOutcome<T>
{
    private StsOutcome(T? value, StsError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The error, when the operation failed.</summary>
    public StsError? Error { get; }

    /// <summary>True when there is a value and no error.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>A successful outcome.</summary>
    public static StsOutcome<T> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    public static StsOutcome<T> Failure(StsError error) => new(default, error);

    /// <summary>A failed outcome from a code and message.</summary>
    public static StsOutcome<T> Failure(StsErrorCode code, string message) => new(default, new StsError(code, message));

    /// <summary>Implicit success.</summary>
    public static implicit operator StsOutcome<T>(T value) => Success(value);

    /// <summary>Implicit failure.</summary>
    public static implicit operator StsOutcome<T>(StsError error) => Failure(error);
}
