using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Core.Credentials;

namespace Portal.Bench;

/// <summary>
/// Sealing and unsealing a typical role-session token, against a baseline of one raw AES-256-GCM encryption of a
/// payload of the same size (the floor any AEAD token format pays).
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private SessionTokenSealer _sealer = null!;
    private SessionClaims _claims = null!;
    private string _token = null!;
    private byte[] _payload = null!;
    private byte[] _cipher = null!;
    private byte[] _tag = null!;
    private AesGcm _aes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();
        var master = new MasterKeyProvider(config, Path.GetTempPath());
        var ring = new TokenKeyRing(new InMemoryTokenKeyStore(), master, TimeProvider.System, Options.Create(new TokenKeyRingOptions()), NullLogger<TokenKeyRing>.Instance);
        ring.EnsureInitializedAsync(CancellationToken.None).GetAwaiter().GetResult();
        _sealer = new SessionTokenSealer(ring);
        var now = DateTimeOffset.UtcNow;
        _claims = new SessionClaims
        {
            SessionId = UniqueIds.NewSessionId(),
            AccessKeyId = "ASIAY34FZKBOKMUTVV7A",
            SecretAccessKey = SecretKeys.New(),
            Kind = SessionKind.AssumedRole,
            AccountId = "123456789012",
            Arn = "arn:aws:sts::123456789012:assumed-role/Developer/alice@example.com",
            PrincipalId = "AROAEXAMPLEROLEID0001:alice@example.com",
            SourcePrincipalArn = "arn:aws:iam::123456789012:role/Developer",
            SourcePrincipalId = "AROAEXAMPLEROLEID0001",
            SessionName = "alice@example.com",
            SourceIdentity = "alice@example.com",
            Tags = [new SessionTag("team", "payments")],
            IssuedAt = now,
            ExpiresAt = now.AddHours(1),
        };
        _token = _sealer.Seal(_claims);
        _payload = Encoding.UTF8.GetBytes(new string('x', Convert.FromBase64String(_token).Length - 38));
        _cipher = new byte[_payload.Length];
        _tag = new byte[16];
        _aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true, Description = "raw AES-GCM encrypt (baseline)")]
    public byte[] RawAesGcm()
    {
        Span<byte> nonce = stackalloc byte[12];
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, _payload, _cipher, _tag);
        return _cipher;
    }

    [Benchmark(Description = "seal session token")]
    public string Seal() => _sealer.Seal(_claims);

    [Benchmark(Description = "unseal session token")]
    public bool Unseal() => _sealer.TryUnseal(_token, out _);
}
