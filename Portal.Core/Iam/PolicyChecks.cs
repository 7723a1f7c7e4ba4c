using Portal.Core.Policies;
using Portal.Core.Sts;

namespace Portal.Core.Iam;

/// <summary>Turns a policy parse failure into the MalformedPolicyDocument error every door returns.</summary>
internal static class PolicyChecks
{
    public static StsError? Validate(string? document, PolicyKind kind)
    {
        if (string.IsNullOrEmpty(document))
        {
            return new StsError(StsErrorCode.MalformedPolicyDocument, "The policy document is empty.");
        }

        var result = PolicyDocument.Parse(document, kind);
        if (result.Succeeded)
        {
            return null;
        }

        return new StsError(StsErrorCode.MalformedPolicyDocument, string.Join("; ", result.Errors.Select(e => e.ToString())));
    }
}
