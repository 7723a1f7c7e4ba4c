using Portal.Services.Admin;

namespace Portal.Tests.Api.Admin;

/// <summary>
/// Approvals for tests of high-risk admin changes (SECURITY-CASES 104g) that are not about the code itself: built through the
/// internal constructor, fresh as of <paramref name="time"/>'s now. HighRiskConfirmationTests cover how real ones are earned.
/// </summary>
internal static class TestApprovals
{
    internal static HighRiskApproval Fresh(TimeProvider time) => new("test-admin", time.GetUtcNow());
}
