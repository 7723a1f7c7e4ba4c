using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Credentials;
using Portal.Core.Identity;

namespace Portal.Tests.Core.Credentials;

/// <summary>A master key held in memory.</summary>
internal sealed class FixedMasterKey(byte[] key) : IMasterKeySource
{
    public ReadOnlyMemory<byte> GetMasterKey() => key;

    public static FixedMasterKey CreateRandom() => new(RandomNumberGenerator.GetBytes(32));
}

/// <summary>One deployment: a key store, a master key, a frozen clock, and the ring/sealer/revocations over them.</summary>
internal sealed class TestDeployment : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestDeployment(InMemoryTokenKeyStore? store = null, IMasterKeySource? masterKey = null, FakeTimeProvider? time = null, InMemoryRevocationStore? revocationStore = null)
    {
        Store = store ?? new InMemoryTokenKeyStore();
        MasterKey = masterKey ?? FixedMasterKey.CreateRandom();
        Time = time ?? new FakeTimeProvider(Start);
        RevocationStore = revocationStore ?? new InMemoryRevocationStore();
        Ring = new TokenKeyRing(Store, MasterKey, Time, Options.Create(RingOptions), NullLogger<TokenKeyRing>.Instance);
        Sealer = new SessionTokenSealer(Ring);
        Revocations = new RevocationList(RevocationStore, Time, Options.Create(new RevocationListOptions()));
        Verifier = new SessionCredentialVerifier(Sealer, Ring, Revocations, Time);
    }

    public TokenKeyRingOptions RingOptions { get; } = new();

    public InMemoryTokenKeyStore Store { get; }

    public IMasterKeySource MasterKey { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryRevocationStore RevocationStore { get; }

    public TokenKeyRing Ring { get; }

    public SessionTokenSealer Sealer { get; }

    public RevocationList Revocations { get; }

    public SessionCredentialVerifier Verifier { get; }

    public static async Task<TestDeployment> StartAsync()
    {
        var deployment = new TestDeployment();
        await deployment.Ring.EnsureInitializedAsync(CancellationToken.None);
        return deployment;
    }

    /// <summary>A second node sharing this deployment's stores, master key and clock.</summary>
    public TestDeployment CreateNode() => new(Store, MasterKey, Time, RevocationStore);

    public void Dispose()
    {
        Ring.Dispose();
        Revocations.Dispose();
    }
}

internal static class CredentialsTestData
{
    public static readonly AccountId Account = AccountId.Parse("123456789012");

    /// <summary>A role session issued now for one hour, with every optional field set.</summary>
    public static SessionClaims CreateRoleSession(TimeProvider time) => CreateRoleSession(time.GetUtcNow());

    public static SessionClaims CreateRoleSession(DateTimeOffset issuedAt) => new()
    {
        SessionId = UniqueIds.NewSessionId(),
        AccessKeyId = AccessKeyIds.NewTemporary(Account),
        SecretAccessKey = SecretKeys.New(),
        Kind = SessionKind.AssumedRole,
        AccountId = Account.Value,
        Arn = "arn:aws:sts::123456789012:assumed-role/Admin/alice",
        PrincipalId = "AROA3XFRBF535PLBIFPI4:alice",
        SourcePrincipalArn = "arn:aws:iam::123456789012:role/ops/Admin",
        SourcePrincipalId = "AROA3XFRBF535PLBIFPI4",
        SessionName = "alice",
        SessionPolicyArns = ["arn:aws:iam::123456789012:policy/ReadOnly"],
        Tags = [new SessionTag("Project", "Blue"), new SessionTag("cost-center", "42")],
        TransitiveTagKeys = ["Project"],
        SourceIdentity = "alice@example.test",
        MfaAuthenticatedAt = issuedAt.AddMinutes(-3),
        IssuedAt = issuedAt,
        ExpiresAt = issuedAt.AddHours(1),
        IsRoleChain = true,
        FederatedProvider = "arn:aws:iam::123456789012:saml-provider/Corp",
        FederationKeys = new Dictionary<string, IReadOnlyList<string>>
        {
            ["saml:sub"] = ["alice"],
            ["saml:aud"] = ["https://signin.aws.amazon.com/saml"],
        },
        RequestId = "c6104cbe-af31-11e0-8154-cbc7ccf896c7",
    };
}
