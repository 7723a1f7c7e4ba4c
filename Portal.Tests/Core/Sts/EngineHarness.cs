using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Persistence;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Sts;

/// <summary>
/// The whole issuance engine over an in-memory SQLite database, a frozen clock and in-memory credential stores: a valid
/// baseline that tests change in one place. Reusable by any test that needs real users, roles, sessions and audit.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    internal const string AccountA = "111122223333";
    internal const string AccountB = "444455556666";

    // Fixed master key (32 bytes, base64) so every run derives the same subkeys.
    internal const string MasterKeyBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    // 10 s into a 30 s TOTP step, so "now ± one step" never straddles a boundary by accident.
    internal static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 10, TimeSpan.Zero);

    internal static readonly TimeSpan TotpStep = TimeSpan.FromSeconds(30);

    private readonly SqliteConnection _connection;

    private EngineHarness(SqliteConnection connection)
    {
        _connection = connection;
        Time = new FakeTimeProvider(Start);
        DbFactory = new InMemoryDbFactory(connection);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [MasterKeyProvider.MasterKeyConfigKey] = MasterKeyBase64 })
            .Build();
        MasterKey = new MasterKeyProvider(configuration, Path.GetTempPath());
        Protector = new SecretProtector(MasterKey);
        Directory = new IamDirectory(DbFactory, Protector, Time);
        Policies = new PolicySource(DbFactory, Directory, Time);
        Ring = new TokenKeyRing(new InMemoryTokenKeyStore(), MasterKey, Time, Options.Create(new TokenKeyRingOptions()), NullLogger<TokenKeyRing>.Instance);
        Sealer = new SessionTokenSealer(Ring);
        Revocations = new RevocationList(new InMemoryRevocationStore(), Time, Options.Create(new RevocationListOptions()));
        Verifier = new SessionCredentialVerifier(Sealer, Ring, Revocations, Time);
        Mfa = new MfaService(new InMemoryMfaDeviceStore(), new ProtectorMfaSecretCodec(Protector), Options.Create(new MfaOptions()), Time);
        Messages = new AuthorizationMessageCodec(MasterKey);
        Engine = CreateEngine(Audit);
    }

    internal FakeTimeProvider Time { get; }

    internal IDbContextFactory<PortalDbContext> DbFactory { get; }

    internal MasterKeyProvider MasterKey { get; }

    internal SecretProtector Protector { get; }

    internal IamDirectory Directory { get; }

    internal PolicySource Policies { get; }

    internal TokenKeyRing Ring { get; }

    internal SessionTokenSealer Sealer { get; }

    internal RevocationList Revocations { get; }

    internal SessionCredentialVerifier Verifier { get; }

    internal MfaService Mfa { get; }

    internal AuthorizationMessageCodec Messages { get; }

    internal RecordingAuditSink Audit { get; } = new();

    internal FakeSamlValidator Saml { get; } = new();

    internal FakeWebIdentityValidator WebIdentity { get; } = new();

    /// <summary>The engine under test; <see cref="UseAuditSink"/> replaces it with one writing elsewhere.</summary>
    internal StsEngine Engine { get; private set; }

    /// <summary>Opens the database, creates the schema, initialises the key ring and creates accounts A and B.</summary>
    internal static async Task<EngineHarness> CreateAsync()
    {
        var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        var harness = new EngineHarness(connection);
        await using (var db = harness.DbFactory.CreateDbContext())
        {
            await db.Database.EnsureCreatedAsync();
        }

        await harness.Ring.EnsureInitializedAsync(CancellationToken.None);
        Ok(await harness.Directory.CreateAccountAsync(AccountA, "alpha"));
        Ok(await harness.Directory.CreateAccountAsync(AccountB, "beta"));
        return harness;
    }

    /// <summary>Rebuilds the engine over another audit sink (e.g. <see cref="ThrowingAuditSink"/>).</summary>
    internal void UseAuditSink(IAuditSink sink) => Engine = CreateEngine(sink);

    // ---- identities ------------------------------------------------------------------------------------------------

    internal static AccountId Account(string id) => AccountId.Parse(id);

    /// <summary>Creates a user with one access key and, when given, an inline policy; returns it with its caller.</summary>
    internal async Task<TestUser> CreateUserAsync(string name, string? policy = null, string account = AccountA, IReadOnlyList<Tag>? tags = null, string? path = null)
    {
        var user = Ok(await Directory.CreateUserAsync(Account(account), name, path, tags));
        var key = Ok(await Directory.CreateAccessKeyAsync(Account(account), user.Id));
        if (policy is not null)
        {
            Ok(await Directory.PutInlinePolicyAsync(user.Id, "inline", policy));
        }

        return new TestUser(user, key, Caller.ForUser(user, key.Key.AccessKeyId));
    }

    /// <summary>The root caller of an account, with a root access key.</summary>
    internal async Task<Caller> CreateRootCallerAsync(string account = AccountA)
    {
        var key = Ok(await Directory.CreateAccessKeyAsync(Account(account), null));
        return Caller.ForRoot(account, key.Key.AccessKeyId);
    }

    /// <summary>Creates a role with a trust policy and, when given, an inline permission policy.</summary>
    internal async Task<RoleInfo> CreateRoleAsync(string name, string trustPolicy, string? permissions = null, string account = AccountA, int? maxSessionDuration = null, string? path = null, IReadOnlyList<Tag>? tags = null)
    {
        var role = Ok(await Directory.CreateRoleAsync(Account(account), name, trustPolicy, path, null, maxSessionDuration, tags));
        if (permissions is not null)
        {
            Ok(await Directory.PutInlinePolicyAsync(role.Id, "permissions", permissions));
        }

        return role;
    }

    /// <summary>Verifies issued credentials as the SigV4 layer would and returns the verification.</summary>
    internal Task<SessionVerification> VerifyAsync(IssuedCredentials credentials) =>
        Verifier.VerifyAsync(credentials.AccessKeyId, credentials.SessionToken, CancellationToken.None);

    /// <summary>Turns issued credentials back into the caller that presents them (fails the test when they do not verify).</summary>
    internal async Task<Caller> CallerForAsync(IssuedCredentials credentials)
    {
        var verification = await VerifyAsync(credentials);
        Assert.True(verification.IsValid, $"credentials did not verify: {verification.Status}");
        return Caller.ForSession(verification.Claims);
    }

    /// <summary>The claims sealed inside issued credentials.</summary>
    internal async Task<SessionClaims> ClaimsOfAsync(IssuedCredentials credentials) => (await CallerForAsync(credentials)).Session!;

    // ---- MFA -------------------------------------------------------------------------------------------------------

    /// <summary>Creates and enables a virtual device for the user, then moves the clock on so its enable codes are history.</summary>
    internal async Task<VirtualMfaDevice> CreateEnabledMfaDeviceAsync(UserInfo user, string deviceName)
    {
        var device = Ok(await Mfa.CreateVirtualDeviceAsync(Account(user.AccountId), user.Id, "/", deviceName));
        Ok(await Mfa.EnableAsync(device.SerialNumber, user.Id, CodeAt(device, -1), CodeAt(device, 0)));
        Time.Advance(TimeSpan.FromMinutes(10));
        return device;
    }

    /// <summary>The code an authenticator app (Otp.NET) shows <paramref name="stepOffset"/> steps from now.</summary>
    internal string CodeAt(VirtualMfaDevice device, int stepOffset) =>
        new Totp(device.Secret.ToArray()).ComputeTotp((Time.GetUtcNow() + (stepOffset * TotpStep)).UtcDateTime);

    /// <summary>A well-formed code matching none of the steps now-1, now, now+1.</summary>
    internal string WrongCode(VirtualMfaDevice device)
    {
        var valid = new[] { CodeAt(device, -1), CodeAt(device, 0), CodeAt(device, 1) };
        var candidate = int.Parse(valid[1], CultureInfo.InvariantCulture);
        string code;
        do
        {
            candidate = (candidate + 1) % 1_000_000;
            code = candidate.ToString("D6", CultureInfo.InvariantCulture);
        }
        while (valid.Contains(code));

        return code;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Unwraps a successful outcome or fails the test with its error.</summary>
    internal static T Ok<T>(StsOutcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        return outcome.Value!;
    }

    /// <summary>Asserts a failure with the exact code, wire code and HTTP status; returns the error for message checks.</summary>
    internal static StsError Fails<T>(StsOutcome<T> outcome, StsErrorCode code)
    {
        Assert.False(outcome.Succeeded, "expected " + code + " but the call succeeded");
        Assert.Equal(code, outcome.Error.Code);
        Assert.Equal(StsErrors.WireCode(code), outcome.Error.WireCode);
        Assert.Equal(StsErrors.HttpStatus(code), outcome.Error.HttpStatus);
        return outcome.Error;
    }

    public async ValueTask DisposeAsync()
    {
        Ring.Dispose();
        Revocations.Dispose();
        await _connection.DisposeAsync();
    }

    private StsEngine CreateEngine(IAuditSink sink) =>
        new(Directory, Policies, Sealer, Mfa, sink, Saml, WebIdentity, Messages, Time, NullLogger<StsEngine>.Instance);

    /// <summary>One connection shared by every context, so the in-memory database lives as long as the harness.</summary>
    private sealed class InMemoryDbFactory(SqliteConnection connection) : IDbContextFactory<PortalDbContext>
    {
        private readonly DbContextOptions<SqlitePortalDbContext> _options =
            new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(connection).Options;

        public PortalDbContext CreateDbContext() => new SqlitePortalDbContext(_options);
    }
}

/// <summary>An IAM user of the harness with its long-term key and the caller that key authenticates.</summary>
internal sealed record TestUser(UserInfo User, NewAccessKey Key, Caller Caller)
{
    public string Arn => User.Arn;
}

/// <summary>Seals TOTP seeds with the deployment's <see cref="SecretProtector"/>, as production does.</summary>
internal sealed class ProtectorMfaSecretCodec(ISecretProtector protector) : IMfaSecretCodec
{
    public byte[] Protect(byte[] secret) => protector.Protect(secret);

    public bool TryUnprotect(byte[] stored, out byte[] secret)
    {
        var result = protector.Unprotect(stored);
        secret = result.Succeeded ? result.Value : [];
        return result.Succeeded;
    }
}

/// <summary>Records every audit event in order.</summary>
internal sealed class RecordingAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public AuditRecord Last => Records[^1];

    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            _records.Add(record);
        }

        return Task.CompletedTask;
    }

    public void Clear()
    {
        lock (_records)
        {
            _records.Clear();
        }
    }
}

/// <summary>An audit store whose commits always fail, as when the database is unavailable.</summary>
internal sealed class ThrowingAuditSink : IAuditSink
{
    public int Attempts { get; private set; }

    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        Attempts++;
        throw new AuditCommitException("audit store unavailable", new InvalidOperationException("disk full"));
    }
}

/// <summary>Returns a configured validated assertion (or error) and records what it was asked.</summary>
internal sealed class FakeSamlValidator : ISamlAssertionValidator
{
    public StsOutcome<ValidatedSamlAssertion>? Result { get; set; }

    public string? LastPrincipalArn { get; private set; }

    public Task<StsOutcome<ValidatedSamlAssertion>> ValidateForStsAsync(string base64Response, string principalArn, CancellationToken cancellationToken)
    {
        LastPrincipalArn = principalArn;
        return Task.FromResult(Result ?? StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.InvalidIdentityToken, "No assertion configured."));
    }
}

/// <summary>Returns a configured validated token (or error) and records what it was asked.</summary>
internal sealed class FakeWebIdentityValidator : IWebIdentityTokenValidator
{
    public StsOutcome<ValidatedWebIdentityToken>? Result { get; set; }

    public string? LastAccountId { get; private set; }

    public Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, string accountId, CancellationToken cancellationToken)
    {
        LastAccountId = accountId;
        return Task.FromResult(Result ?? StsOutcome<ValidatedWebIdentityToken>.Failure(StsErrorCode.InvalidIdentityToken, "No token configured."));
    }
}

/// <summary>Policy JSON builders for tests.</summary>
internal static class PolicyJson
{
    /// <summary>An identity policy allowing <paramref name="actions"/> on <paramref name="resource"/>.</summary>
    public static string Allow(string resource, params string[] actions) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{Json(actions)}},"Resource":"{{resource}}"}]}""";

    /// <summary>An identity policy allowing everything.</summary>
    public static string AllowAll => Allow("*", "*");

    /// <summary>A trust policy allowing an AWS principal the given actions (sts:AssumeRole when none).</summary>
    public static string TrustAws(string principal, params string[] actions) =>
        TrustAwsWhen(principal, null, actions);

    /// <summary>A trust policy allowing an AWS principal under a condition block (raw JSON object text).</summary>
    public static string TrustAwsWhen(string principal, string? condition, params string[] actions)
    {
        var a = actions.Length == 0 ? ["sts:AssumeRole"] : actions;
        var c = condition is null ? string.Empty : ",\"Condition\":" + condition;
        return $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{principal}}"},"Action":{{Json(a)}}{{c}}}]}""";
    }

    /// <summary>A trust policy allowing a Federated principal under a condition block.</summary>
    public static string TrustFederated(string provider, string action, string? condition = null, params string[] extraActions)
    {
        var c = condition is null ? string.Empty : ",\"Condition\":" + condition;
        return $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{provider}}"},"Action":{{Json([action, .. extraActions])}}{{c}}}]}""";
    }

    private static string Json(IEnumerable<string> values) => "[" + string.Join(",", values.Select(v => "\"" + v + "\"")) + "]";
}
