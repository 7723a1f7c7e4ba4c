using BenchmarkDotNet.Attributes;
using Portal.Core.Policies;

namespace Portal.Bench;

/// <summary>
/// Evaluating a realistic trust policy and an identity policy with conditions, against a baseline of matching the
/// action and resource of one statement by plain string comparison (the least any evaluator does).
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private const string Trust = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Deny","Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringLike":{"aws:PrincipalTag/blocked":"yes*"}}},
          {"Sid":"Devs","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/alice","arn:aws:iam::123456789012:user/bob"]},"Action":["sts:AssumeRole","sts:TagSession"],
           "Condition":{"StringEquals":{"sts:ExternalId":"Ext-123"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16","127.0.0.0/8"]}}}]}
        """;

    private const string Identity = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::bucket-${aws:username}/*","arn:aws:s3:::shared/*"]},
          {"Effect":"Deny","NotAction":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}},
          {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/dev-*"}]}
        """;

    private NamedPolicy[] _trust = null!;
    private NamedPolicy[] _identity = null!;
    private RequestContext _trustContext = null!;
    private RequestContext _identityContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trust = [new NamedPolicy("trust", PolicyDocument.Parse(Trust, PolicyKind.Trust).Document!)];
        _identity = [new NamedPolicy("identity", PolicyDocument.Parse(Identity, PolicyKind.Identity).Document!)];
        _trustContext = new RequestContext("sts:AssumeRole", "arn:aws:iam::123456789012:role/dev-admin")
        {
            Principal = PolicyPrincipal.Aws("123456789012", "arn:aws:iam::123456789012:user/alice", "AIDAEXAMPLEUSERID0001"),
        };
        _trustContext.Set("sts:ExternalId", "Ext-123").Set("aws:SecureTransport", "true").Set("aws:SourceIp", "127.0.0.1").Set("aws:MultiFactorAuthPresent", "true");
        _identityContext = new RequestContext("s3:GetObject", "arn:aws:s3:::bucket-alice/reports/2026.csv");
        _identityContext.Set("aws:username", "alice").Set("aws:CurrentTime", "2026-11-26T12:00:00Z");
    }

    [Benchmark(Baseline = true, Description = "string compare action+resource (baseline)")]
    public bool Baseline() =>
        string.Equals(_identityContext.Action, "s3:GetObject", StringComparison.OrdinalIgnoreCase)
        && string.Equals(_identityContext.Resource, "arn:aws:s3:::bucket-alice/reports/2026.csv", StringComparison.Ordinal);

    [Benchmark(Description = "trust policy with conditions")]
    public PolicyEffect TrustPolicy() => PolicyEvaluator.Evaluate(_trust, _trustContext).Effect;

    [Benchmark(Description = "identity policy with variables")]
    public PolicyEffect IdentityPolicy() => PolicyEvaluator.Evaluate(_identity, _identityContext).Effect;

    [Benchmark(Description = "parse trust policy")]
    public bool Parse() => PolicyDocument.Parse(Trust, PolicyKind.Trust).Succeeded;
}
