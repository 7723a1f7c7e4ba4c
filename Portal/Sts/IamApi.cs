using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>The IAM Query API subset (version 2010-05-08) for automation and bootstrap.</summary>
public sealed class IamApi
{
    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal);

    /// <summary>True for the IAM actions this service implements.</summary>
    public static bool IsKnownAction(string action) => Actions.Contains(action);

    /// <summary>Dispatches an authenticated IAM action.</summary>
    public Task<StsOutcome<string>> DispatchAsync(string action, QueryParameters parameters, Caller caller, RequestInfo info, CancellationToken ct) =>
        Task.FromResult(StsOutcome<string>.Failure(StsErrorCode.InvalidAction, $"Could not find operation {action} for version {StsApi.IamVersion}"));
}
