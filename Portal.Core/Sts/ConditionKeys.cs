using System.Globalization;
using Portal.Core.Credentials;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

/// <summary>Populates the global and STS condition keys of STS-SPEC §7.9 from a caller and its request.</summary>
internal static class ConditionKeys
{
    public static void AddPrincipalKeys(RequestContext ctx, Caller caller, DateTimeOffset now)
    {
        ctx.Set("aws:PrincipalAccount", caller.AccountId);
        switch (caller.Kind)
        {
            case CallerKind.Root:
                ctx.Set("aws:PrincipalArn", caller.Arn);
                ctx.Set("aws:PrincipalType", "Account");
                ctx.Set("aws:userid", caller.AccountId);
                break;
            case CallerKind.User:
                ctx.Set("aws:PrincipalArn", caller.Arn);
                ctx.Set("aws:PrincipalType", "User");
                ctx.Set("aws:userid", caller.UserId!);
                ctx.Set("aws:username", caller.UserName!);
                foreach (var t in caller.UserTags)
                {
                    ctx.Set("aws:PrincipalTag/" + t.Key, t.Value);
                }

                break;
            default:
                AddSessionKeys(ctx, caller.Session!, now);
                break;
        }
    }

    public static void AddSessionKeys(RequestContext ctx, SessionClaims s, DateTimeOffset now)
    {
        switch (s.Kind)
        {
            case SessionKind.AssumedRole:
                // STS-SPEC §4.8: for role sessions aws:PrincipalArn is the role's ARN, not the session's.
                ctx.Set("aws:PrincipalArn", s.SourcePrincipalArn);
                ctx.Set("aws:PrincipalType", "AssumedRole");
                ctx.Set("aws:userid", s.PrincipalId);
                break;
            case SessionKind.FederatedUser:
                ctx.Set("aws:PrincipalArn", s.Arn);
                ctx.Set("aws:PrincipalType", "FederatedUser");
                ctx.Set("aws:userid", s.PrincipalId);
                break;
            default:
                ctx.Set("aws:PrincipalArn", s.SourcePrincipalArn);
                ctx.Set("aws:PrincipalType", s.SourcePrincipalArn.EndsWith(":root", StringComparison.Ordinal) ? "Account" : "User");
                ctx.Set("aws:userid", s.SourcePrincipalId);
                if (!s.SourcePrincipalArn.EndsWith(":root", StringComparison.Ordinal))
                {
                    ctx.Set("aws:username", s.SourcePrincipalArn[(s.SourcePrincipalArn.LastIndexOf('/') + 1)..]);
                }

                break;
        }

        // Present only for temporary credentials (STS-SPEC §7.9).
        ctx.Set("aws:MultiFactorAuthPresent", s.MfaAuthenticatedAt is null ? "false" : "true");
        if (s.MfaAuthenticatedAt is { } mfaAt)
        {
            ctx.Set("aws:MultiFactorAuthAge", ((long)(now - mfaAt).TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        ctx.Set("aws:TokenIssueTime", s.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (s.SourceIdentity is not null)
        {
            ctx.Set("aws:SourceIdentity", s.SourceIdentity);
        }

        if (s.FederatedProvider is not null)
        {
            ctx.Set("aws:FederatedProvider", s.FederatedProvider);
        }

        foreach (var t in s.Tags)
        {
            ctx.Set("aws:PrincipalTag/" + t.Key, t.Value);
        }

        foreach (var (key, values) in s.FederationKeys)
        {
            ctx.Set(key, values);
        }
    }

    public static void AddRequestKeys(RequestContext ctx, RequestInfo info, DateTimeOffset now)
    {
        ctx.Set("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        ctx.Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        ctx.Set("aws:SecureTransport", info.SecureTransport ? "true" : "false");
        if (info.SourceIp is not null)
        {
            ctx.Set("aws:SourceIp", info.SourceIp);
        }

        if (info.UserAgent is not null)
        {
            ctx.Set("aws:UserAgent", info.UserAgent);
        }

        if (info.Region is not null)
        {
            ctx.Set("aws:RequestedRegion", info.Region);
        }
    }
}
