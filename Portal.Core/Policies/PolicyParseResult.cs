using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Policies;

/// <summary>The outcome of <see cref="PolicyDocument.Parse"/>: a document, or the errors that prevented it.</summary>
public sealed class PolicyParseResult
{
    private PolicyParseResult(PolicyDocument? document, IReadOnlyList<PolicyParseError> errors)
    {
        Document = document;
        Errors = errors;
    }

    /// <summary>The parsed document, when <see cref="Succeeded"/>.</summary>
    public PolicyDocument? Document { get; }

    /// <summary>Every error found, in document order (empty on success).</summary>
    public IReadOnlyList<PolicyParseError> Errors { get; }

    /// <summary>True when the document is valid.</summary>
    [MemberNotNullWhen(true, nameof(Document))]
    public bool Succeeded => Document is not null;

    /// <summary>All errors joined with "; ", for an error response such as MalformedPolicyDocument.</summary>
    public string ErrorSummary => string.Join("; ", Errors);

    internal static PolicyParseResult Success(PolicyDocument document) => new(document, []);

    internal static PolicyParseResult Failure(IReadOnlyList<PolicyParseError> errors) => new(null, errors);
}
