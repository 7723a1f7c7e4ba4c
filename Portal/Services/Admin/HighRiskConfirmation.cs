using System.Security.Claims;
using System.Text.Json;
using Portal.Core.Audit;
using Portal.Core.Mfa;
using Portal.Core.Policies;
using Portal.Core.Sts;
using Portal.Services.SelfService;

namespace Portal.Services.Admin;

/// <summary>
/// Proof that the acting administrator just entered a valid code from their authenticator (SECURITY-CASES 104g). Only
/// <see cref="HighRiskConfirmation"/> creates one; it is accepted once and only for <see cref="HighRiskConfirmation.Lifetime"/>,
/// so a page left open cannot reuse it for later changes.
/// </summary>
public sealed class HighRiskApproval
{
    private int _used;

    internal HighRiskApproval(string ownerId, DateTimeOffset verifiedAt)
    {
        OwnerId = ownerId;
        VerifiedAt = verifiedAt;
    }

    /// <summary>Who owns the device the code came from (IAM user id or federated identity).</summary>
    public string OwnerId { get; }

    /// <summary>When the code was accepted.</summary>
    public DateTimeOffset VerifiedAt { get; }

    /// <summary>True the first time it is called within the lifetime; false afterwards.</summary>
    internal bool TryConsume(DateTimeOffset now) =>
        now - VerifiedAt <= HighRiskConfirmation.Lifetime && Interlocked.Exchange(ref _used, 1) == 0;
}

/// <summary>The outcome of <see cref="HighRiskConfirmation.VerifyAsync"/>: an approval, or an error for the code field.</summary>
/// <param name="Approval">The approval on success.</param>
/// <param name="Error">A sentence to show next to the code field; null on success.</param>
/// <param name="NeedsDevice">True when the administrator has no MFA device and must enrol one at /mfa.</param>
public sealed record HighRiskVerification(HighRiskApproval? Approval, string? Error, bool NeedsDevice = false)
{
    /// <summary>True when the code was accepted.</summary>
    public bool Succeeded => Approval is not null;
}

/// <summary>
/// Decides whether an administrator change is high risk and verifies a fresh TOTP code of the acting administrator for it
/// (SECURITY-CASES 104g: "high-risk changes ... require re-authentication with MFA"). The device owner is resolved as on
/// the MFA page (<see cref="MfaSelfService.OwnerOf"/>), and the code goes through <see cref="MfaService.VerifyAsync"/>, so
/// the replay guard (case 100) and lockout (case 101) apply. Refused codes are audited as denied attempts.
/// </summary>
public sealed class HighRiskConfirmation(PortalPersonResolver people, MfaService mfa, IAuditSink audit, TimeProvider time)
{
    /// <summary>How long an approval stays usable after its code was accepted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>The audit action of a refused confirmation code.</summary>
    public const string AuditAction = "admin:ConfirmHighRiskChange";

    /// <summary>Shown above the code field of a trust change that lets new people assume the role.</summary>
    public const string TrustMessage = "This change lets new people assume the role. Enter a code from your authenticator to confirm.";

    /// <summary>Shown above the code field of an identity-provider change: a new or changed IdP decides who can sign in.</summary>
    public const string ProviderMessage = "Identity-provider changes decide who can sign in. Enter a code from your authenticator to confirm.";

    /// <summary>Shown to an administrator without an MFA device.</summary>
    public const string NoDeviceMessage = "This change needs confirmation with MFA, and you have no MFA device. Enrol one at /mfa first.";

    /// <summary>The service layer's refusal of a high-risk change without a fresh approval.</summary>
    public const string ApprovalRequired = "This change needs a fresh code from your authenticator.";

    /// <summary>
    /// True when saving <paramref name="after"/> over <paramref name="before"/> (null for a new role) lets new people assume
    /// the role: an Allow statement with a wildcard principal (<c>"*"</c>, <c>{"AWS":"*"}</c>) or a <c>NotPrincipal</c>, or a
    /// <c>Federated</c> principal the current trust does not already allow. A document that does not parse is not high risk:
    /// it is refused by validation anyway.
    /// </summary>
    public static bool IsHighRiskTrustChange(string? before, string after)
    {
        if (Allowed(after) is not { } next)
        {
            return false;
        }

        var current = Allowed(before)?.Federated ?? [];
        return next.Wildcard || next.Federated.Any(f => !current.Contains(f));
    }

    /// <summary>True when the person signed in as <paramref name="principal"/> has an enabled MFA device.</summary>
    public async Task<bool> HasDeviceAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        await OwnerAsync(principal, ct).ConfigureAwait(false) is { } owner
        && await mfa.FindEnabledForUserAsync(owner, ct).ConfigureAwait(false) is not null;

    /// <summary>
    /// Verifies a TOTP code of the signed-in administrator's device for <paramref name="resource"/> (named in the audit
    /// record of a refusal). Recovery codes are not accepted: they prove possession once, not presence now.
    /// </summary>
    public async Task<HighRiskVerification> VerifyAsync(ClaimsPrincipal principal, string actor, string resource, string? code, CancellationToken ct = default)
    {
        var owner = await OwnerAsync(principal, ct).ConfigureAwait(false);
        var device = owner is null ? null : await mfa.FindEnabledForUserAsync(owner, ct).ConfigureAwait(false);
        if (owner is null || device is null)
        {
            return new HighRiskVerification(null, NoDeviceMessage, NeedsDevice: true);
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            return new HighRiskVerification(null, "Enter a code from your authenticator app.");
        }

        var verification = await mfa.VerifyAsync(device.SerialNumber, owner, code.Trim(), ct).ConfigureAwait(false);
        if (verification.Succeeded)
        {
            return new HighRiskVerification(new HighRiskApproval(owner, time.GetUtcNow()), null);
        }

        await audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = time.GetUtcNow(),
                Action = AuditAction,
                Decision = AuditDecision.Deny,
                Principal = actor,
                Resource = resource,
                Message = verification.Status.ToString(),
            },
            ct).ConfigureAwait(false);
        return new HighRiskVerification(null, MfaSelfService.DescribeRefusal(verification));
    }

    /// <summary>The refusal of a high-risk change without a usable approval; null when it may go ahead (the approval is used up).</summary>
    internal static StsError? Refusal(HighRiskApproval? approval, TimeProvider time) =>
        Accept(approval, time) ? null : new StsError(StsErrorCode.AccessDenied, ApprovalRequired);

    /// <summary>True when <paramref name="approval"/> is present, fresh and not used before; it is used up by this call.</summary>
    internal static bool Accept(HighRiskApproval? approval, TimeProvider time) => approval is not null && approval.TryConsume(time.GetUtcNow());

    private async Task<string?> OwnerAsync(ClaimsPrincipal principal, CancellationToken ct) =>
        await people.ResolveAsync(principal, ct).ConfigureAwait(false) is { } person ? MfaSelfService.OwnerOf(person) : null;

    private static (bool Wildcard, HashSet<string> Federated)? Allowed(string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(policy);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("Statement", out var statements))
            {
                return null;
            }

            var wildcard = false;
            var federated = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
            {
                if (s.ValueKind != JsonValueKind.Object || (s.TryGetProperty("Effect", out var e) && !string.Equals(e.GetString(), "Allow", StringComparison.Ordinal)))
                {
                    continue;
                }

                wildcard |= s.TryGetProperty("NotPrincipal", out _);
                if (s.TryGetProperty("Principal", out var p))
                {
                    wildcard |= p.ValueKind == JsonValueKind.String || (p.ValueKind == JsonValueKind.Object && p.TryGetProperty(PrincipalTypes.Aws, out var aws) && Values(aws).Contains("*"));
                    if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty(PrincipalTypes.Federated, out var f))
                    {
                        federated.UnionWith(Values(f));
                    }
                }
            }

            return (wildcard, federated);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Values(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().Select(v => v.ToString()).ToList()
        : [e.ToString()];
}
