namespace Portal.Core.Sts;

/// <summary>An expected failure a caller can cause: an AWS error code and its message.</summary>
/// <param name="Code">The error, which fixes the wire code and HTTP status.</param>
/// <param name="Message">The message shown verbatim by SDKs.</param>
public sealed record StsError(StsErrorCode Code, string Message)
{
    /// <summary>The wire code, e.g. <c>AccessDenied</c>.</summary>
    public string WireCode => StsErrors.WireCode(Code);

    /// <summary>The HTTP status code.</summary>
    public int HttpStatus => StsErrors.HttpStatus(Code);

    /// <inheritdoc />
    public override string ToString() => $"{WireCode}: {Message}";
}
