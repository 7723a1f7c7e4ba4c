using System.Globalization;
using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Sts;

public sealed partial class StsApi
{
    private static readonly HashSet<string> StsActions = new(StringComparer.Ordinal)
    {
        "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken",
        "GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage",
    };

    /// <summary>True for the STS actions this service implements.</summary>
    public static bool IsKnownStsAction(string action) => StsActions.Contains(action);

    /// <summary>AssumeRoleWithSAML and AssumeRoleWithWebIdentity are sent unsigned (STS-SPEC §0.2).</summary>
    public static bool IsUnsignedAction(string action) => action is "AssumeRoleWithSAML" or "AssumeRoleWithWebIdentity";

    private async Task<StsOutcome<string>> DispatchUnsignedAsync(string action, QueryParameters p, RequestInfo info, CancellationToken ct)
    {
        var duration = ReadInt(p, "DurationSeconds", "durationSeconds");
        if (!duration.Succeeded)
        {
            return duration.Error;
        }

        var policyArns = ReadPolicyArns(p);
        if (!policyArns.Succeeded)
        {
            return policyArns.Error;
        }

        if (action == "AssumeRoleWithSAML")
        {
            var result = await _engine.AssumeRoleWithSamlAsync(
                new AssumeRoleWithSamlRequest
                {
                    RoleArn = p["RoleArn"],
                    PrincipalArn = p["PrincipalArn"],
                    SamlAssertion = p["SAMLAssertion"],
                    DurationSeconds = duration.Value,
                    Policy = p["Policy"],
                    PolicyArns = policyArns.Value,
                },
                info,
                ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return result.Error;
            }

            var r = result.Value;
            using var xml = StsXml.Begin(action, info.RequestId);
            return xml.Credentials(r.Credentials)
                .AssumedRoleUser(r.AssumedRoleUser)
                .Element("PackedPolicySize", r.PackedPolicySize)
                .Element("Subject", r.Subject)
                .Element("SubjectType", r.SubjectType)
                .Element("Issuer", r.Issuer)
                .Element("Audience", r.Audience)
                .Element("NameQualifier", r.NameQualifier)
                .Element("SourceIdentity", r.SourceIdentity)
                .End();
        }

        var web = await _engine.AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = p["RoleArn"],
                RoleSessionName = p["RoleSessionName"],
                WebIdentityToken = p["WebIdentityToken"],
                ProviderId = p["ProviderId"],
                DurationSeconds = duration.Value,
                Policy = p["Policy"],
                PolicyArns = policyArns.Value,
            },
            info,
            ct).ConfigureAwait(false);
        if (!web.Succeeded)
        {
            return web.Error;
        }

        var w = web.Value;
        using var wx = StsXml.Begin(action, info.RequestId);
        return wx.Credentials(w.Credentials)
            .Element("SubjectFromWebIdentityToken", w.SubjectFromWebIdentityToken)
            .AssumedRoleUser(w.AssumedRoleUser)
            .Element("PackedPolicySize", w.PackedPolicySize)
            .Element("Provider", w.Provider)
            .Element("Audience", w.Audience)
            .Element("SourceIdentity", w.SourceIdentity)
            .End();
    }

    private async Task<StsOutcome<string>> DispatchSignedAsync(string action, QueryParameters p, Caller caller, RequestInfo info, CancellationToken ct)
    {
        switch (action)
        {
            case "GetCallerIdentity":
            {
                var id = StsEngine.GetCallerIdentity(caller);
                using var xml = StsXml.Begin(action, info.RequestId);
                return xml.Element("Arn", id.Arn).Element("UserId", id.UserId).Element("Account", id.Account).End();
            }

            case "AssumeRole":
                return await AssumeRoleAsync(p, caller, info, ct).ConfigureAwait(false);

            case "GetSessionToken":
            {
                var duration = ReadInt(p, "DurationSeconds", "durationSeconds");
                if (!duration.Succeeded)
                {
                    return duration.Error;
                }

                var result = await _engine.GetSessionTokenAsync(caller, new GetSessionTokenRequest { DurationSeconds = duration.Value, SerialNumber = p["SerialNumber"], TokenCode = p["TokenCode"] }, info, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return result.Error;
                }

                using var xml = StsXml.Begin(action, info.RequestId);
                return xml.Credentials(result.Value).End();
            }

            case "GetFederationToken":
            {
                var duration = ReadInt(p, "DurationSeconds", "durationSeconds");
                var arns = ReadPolicyArns(p);
                var tags = ReadTags(p);
                if (!duration.Succeeded || !arns.Succeeded || !tags.Succeeded)
                {
                    return duration.Error ?? arns.Error ?? tags.Error!;
                }

                var result = await _engine.GetFederationTokenAsync(
                    caller,
                    new GetFederationTokenRequest { Name = p["Name"], Policy = p["Policy"], PolicyArns = arns.Value, DurationSeconds = duration.Value, Tags = tags.Value },
                    info,
                    ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return result.Error;
                }

                var r = result.Value;
                using var xml = StsXml.Begin(action, info.RequestId);
                return xml.Credentials(r.Credentials)
                    .Open("FederatedUser").Element("FederatedUserId", r.FederatedUser.FederatedUserId).Element("Arn", r.FederatedUser.Arn).Close()
                    .Element("PackedPolicySize", r.PackedPolicySize)
                    .End();
            }

            case "GetAccessKeyInfo":
            {
                var result = await _engine.GetAccessKeyInfoAsync(caller, p["AccessKeyId"], info, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return result.Error;
                }

                using var xml = StsXml.Begin(action, info.RequestId);
                return xml.Element("Account", result.Value).End();
            }

            case "DecodeAuthorizationMessage":
            {
                var result = await _engine.DecodeAuthorizationMessageAsync(caller, p["EncodedMessage"], info, ct).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return result.Error;
                }

                using var xml = StsXml.Begin(action, info.RequestId);
                return xml.Element("DecodedMessage", result.Value).End();
            }

            default:
                return new StsError(StsErrorCode.InvalidAction, $"Could not find operation {action} for version {StsVersion}");
        }
    }

    private async Task<StsOutcome<string>> AssumeRoleAsync(QueryParameters p, Caller caller, RequestInfo info, CancellationToken ct)
    {
        var duration = ReadInt(p, "DurationSeconds", "durationSeconds");
        var arns = ReadPolicyArns(p);
        var tags = ReadTags(p);
        var transitive = p.List("TransitiveTagKeys");
        var contexts = p.List("ProvidedContexts");
        if (!duration.Succeeded || !arns.Succeeded || !tags.Succeeded || !transitive.Succeeded || !contexts.Succeeded)
        {
            return duration.Error ?? arns.Error ?? tags.Error ?? transitive.Error ?? contexts.Error!;
        }

        var result = await _engine.AssumeRoleAsync(
            caller,
            new AssumeRoleRequest
            {
                RoleArn = p["RoleArn"],
                RoleSessionName = p["RoleSessionName"],
                DurationSeconds = duration.Value,
                ExternalId = p["ExternalId"],
                SerialNumber = p["SerialNumber"],
                TokenCode = p["TokenCode"],
                Policy = p["Policy"],
                PolicyArns = arns.Value,
                Tags = tags.Value,
                TransitiveTagKeys = transitive.Value.Select(m => m.GetValueOrDefault(string.Empty) ?? string.Empty).ToList(),
                SourceIdentity = p["SourceIdentity"],
                ProvidedContextCount = contexts.Value.Count,
            },
            info,
            ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return result.Error;
        }

        var r = result.Value;
        using var xml = StsXml.Begin("AssumeRole", info.RequestId);
        return xml.Credentials(r.Credentials)
            .AssumedRoleUser(r.AssumedRoleUser)
            .Element("PackedPolicySize", r.PackedPolicySize)
            .Element("SourceIdentity", r.SourceIdentity)
            .End();
    }

    /// <summary>Reads an optional integer parameter; a non-integer is a ValidationError.</summary>
    internal static StsOutcome<int?> ReadInt(QueryParameters p, string name, string member)
    {
        var text = p[name];
        if (text is null)
        {
            return (int?)null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return (int?)value;
        }

        return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{text}' at '{member}' failed to satisfy constraint: Member must be an integer");
    }

    /// <summary>Reads <c>PolicyArns.member.N.arn</c>.</summary>
    internal static StsOutcome<IReadOnlyList<string>> ReadPolicyArns(QueryParameters p)
    {
        var list = p.List("PolicyArns");
        if (!list.Succeeded)
        {
            return list.Error;
        }

        return list.Value.Select(m => m.GetValueOrDefault("arn") ?? string.Empty).ToList();
    }

    /// <summary>Reads <c>Tags.member.N.Key</c> / <c>.Value</c>.</summary>
    internal static StsOutcome<IReadOnlyList<Tag>> ReadTags(QueryParameters p)
    {
        var list = p.List("Tags");
        if (!list.Succeeded)
        {
            return list.Error;
        }

        var tags = new List<Tag>(list.Value.Count);
        for (var i = 0; i < list.Value.Count; i++)
        {
            var m = list.Value[i];
            if (!m.TryGetValue("Key", out var key) || !m.TryGetValue("Value", out var value))
            {
                return new StsError(StsErrorCode.ValidationError, string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value null at 'tags.{i + 1}.member.{(m.ContainsKey("Key") ? "value" : "key")}' failed to satisfy constraint: Member must not be null"));
            }

            tags.Add(new Tag(key, value));
        }

        return tags;
    }
}
