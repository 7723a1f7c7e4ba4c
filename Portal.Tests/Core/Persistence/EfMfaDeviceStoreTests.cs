using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Persistence.Stores;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

public abstract class EfMfaDeviceStoreTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    private const string User = "AIDAEXAMPLEUSER00001";
    private const string OtherUser = "AIDAEXAMPLEUSER00002";
    private const long Step = 1000;
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    // ---- TryAddAsync / FindAsync / ListForUserAsync

    [Fact]
    public async Task TryAddAsync_NewDevice_ReturnsTrueAndFindRoundTripsEveryField()
    {
        // Arrange
        var store = CreateStore();
        var device = CreateEnabledDevice() with { FailedAttempts = 2, FirstFailureAt = Now.AddSeconds(-5), LockedUntil = Now.AddMinutes(-1) };

        // Act
        var added = await store.TryAddAsync(device);

        // Assert
        Assert.True(added);
        var found = await store.FindAsync(device.SerialNumber);
        Assert.NotNull(found);
        Assert.Equal(
            (device.SerialNumber, device.Account, device.Path, device.DeviceName, device.CreatedAt, device.UserId, device.Enabled, device.EnabledAt),
            (found.SerialNumber, found.Account, found.Path, found.DeviceName, found.CreatedAt, found.UserId, found.Enabled, found.EnabledAt));
        Assert.Equal(
            (device.LastAcceptedStep, device.FailedAttempts, device.FirstFailureAt, device.LockedUntil),
            (found.LastAcceptedStep, found.FailedAttempts, found.FirstFailureAt, found.LockedUntil));
        Assert.Equal(device.ProtectedSecret, found.ProtectedSecret);
        var code = Assert.Single(found.RecoveryCodes);
        Assert.Equal((device.RecoveryCodes[0].Id, (DateTimeOffset?)null), (code.Id, code.UsedAt));
        Assert.Equal(device.RecoveryCodes[0].Salt, code.Salt);
        Assert.Equal(device.RecoveryCodes[0].Hash, code.Hash);
    }

    [Fact]
    public async Task TryAddAsync_DuplicateSerialNumber_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var added = await store.TryAddAsync(device with { DeviceName = "other", RecoveryCodes = [] });

        // Assert
        Assert.False(added);
        Assert.Equal(device.DeviceName, (await store.FindAsync(device.SerialNumber))!.DeviceName);
    }

    [Fact]
    public async Task FindAsync_Missing_ReturnsNull()
    {
        // Arrange
        var store = CreateStore();

        // Act
        var found = await store.FindAsync(NewSerial());

        // Assert
        Assert.Null(found);
    }

    [Fact]
    public async Task ListForUserAsync_TwoUsers_ReturnsOnlyThatUsersDevices()
    {
        // Arrange
        var store = CreateStore();
        var user = "AIDA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var mine = await AddAsync(store, CreateEnabledDevice() with { UserId = user });
        await AddAsync(store, CreateEnabledDevice() with { UserId = OtherUser });

        // Act
        var list = await store.ListForUserAsync(user);

        // Assert
        Assert.Equal(mine.SerialNumber, Assert.Single(list).SerialNumber);
    }

    // ---- TryEnableAsync

    public static TheoryData<string, Func<MfaDeviceRecord, MfaDeviceRecord>> EnableConditionBreakers => new()
    {
        { "already enabled", d => d with { Enabled = true, EnabledAt = Now } },
        { "assigned to another user", d => d with { UserId = OtherUser } },
        { "step already accepted", d => d with { LastAcceptedStep = Step } },
        { "later step accepted", d => d with { LastAcceptedStep = Step + 1 } },
    };

    [Fact]
    public async Task TryEnableAsync_UnassignedDevice_EnablesAssignsAndClearsFailures()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateNewDevice() with { FailedAttempts = 3, FirstFailureAt = Now.AddSeconds(-10) });

        // Act
        var enabled = await store.TryEnableAsync(device.SerialNumber, User, Step, Now);

        // Assert
        Assert.True(enabled);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((true, User, Now, Step, 0, (DateTimeOffset?)null), (found.Enabled, found.UserId, found.EnabledAt!.Value, found.LastAcceptedStep, found.FailedAttempts, found.FirstFailureAt));
    }

    [Fact]
    public async Task TryEnableAsync_SelfEnrolledBySameUser_ReturnsTrue()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateNewDevice() with { UserId = User });

        // Act
        var enabled = await store.TryEnableAsync(device.SerialNumber, User, Step, Now);

        // Assert
        Assert.True(enabled);
    }

    [Theory]
    [MemberData(nameof(EnableConditionBreakers))]
    public async Task TryEnableAsync_ConditionFails_ReturnsFalseAndChangesNothing(string scenario, Func<MfaDeviceRecord, MfaDeviceRecord> breakCondition)
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, breakCondition(CreateNewDevice()));

        // Act
        var enabled = await store.TryEnableAsync(device.SerialNumber, User, Step, Now.AddHours(1));

        // Assert
        Assert.False(enabled, scenario);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((device.Enabled, device.UserId, device.EnabledAt, device.LastAcceptedStep), (found.Enabled, found.UserId, found.EnabledAt, found.LastAcceptedStep));
    }

    [Fact]
    public async Task TryEnableAsync_MissingDevice_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();

        // Act
        var enabled = await store.TryEnableAsync(NewSerial(), User, Step, Now);

        // Assert
        Assert.False(enabled);
    }

    // ---- TryAdvanceStepAsync

    public static TheoryData<string, Func<MfaDeviceRecord, MfaDeviceRecord>> AdvanceConditionBreakers => new()
    {
        { "not enabled", d => d with { Enabled = false } },
        { "owned by another user", d => d with { UserId = OtherUser } },
        { "unassigned", d => d with { UserId = null } },
        { "same step (replay)", d => d with { LastAcceptedStep = Step } },
        { "older step", d => d with { LastAcceptedStep = Step + 5 } },
        { "locked", d => d with { LockedUntil = Now.AddTicks(10) } },
    };

    [Fact]
    public async Task TryAdvanceStepAsync_NewerStep_AdvancesAndClearsFailures()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice() with { FailedAttempts = 2, FirstFailureAt = Now.AddSeconds(-5) });

        // Act
        var advanced = await store.TryAdvanceStepAsync(device.SerialNumber, User, Step, Now);

        // Assert
        Assert.True(advanced);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((Step, 0, (DateTimeOffset?)null), (found.LastAcceptedStep, found.FailedAttempts, found.FirstFailureAt));
    }

    [Fact]
    public async Task TryAdvanceStepAsync_LockExpiresExactlyNow_ReturnsTrue()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice() with { LockedUntil = Now });

        // Act
        var advanced = await store.TryAdvanceStepAsync(device.SerialNumber, User, Step, Now);

        // Assert
        Assert.True(advanced);
    }

    [Theory]
    [MemberData(nameof(AdvanceConditionBreakers))]
    public async Task TryAdvanceStepAsync_ConditionFails_ReturnsFalseAndKeepsTheStep(string scenario, Func<MfaDeviceRecord, MfaDeviceRecord> breakCondition)
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, breakCondition(CreateEnabledDevice()));

        // Act
        var advanced = await store.TryAdvanceStepAsync(device.SerialNumber, User, Step, Now);

        // Assert
        Assert.False(advanced, scenario);
        Assert.Equal(device.LastAcceptedStep, (await store.FindAsync(device.SerialNumber))!.LastAcceptedStep);
    }

    [Fact]
    public async Task TryAdvanceStepAsync_TwentyConcurrentCallsForOneStep_ExactlyOneWins()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => store.TryAdvanceStepAsync(device.SerialNumber, User, Step, Now))));

        // Assert
        Assert.Single(results, r => r);
        Assert.Equal(Step, (await store.FindAsync(device.SerialNumber))!.LastAcceptedStep);
    }

    // ---- RecordFailureAsync

    [Fact]
    public async Task RecordFailureAsync_NoRunYet_StartsARunAtOne()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var state = await store.RecordFailureAsync(device.SerialNumber, CreateFailure());

        // Assert
        Assert.Equal(new MfaFailureState(1, null), state);
        Assert.Equal(Now, (await store.FindAsync(device.SerialNumber))!.FirstFailureAt);
    }

    [Fact]
    public async Task RecordFailureAsync_RunInsideWindow_AddsOneAndKeepsTheRunStart()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice() with { FailedAttempts = 2, FirstFailureAt = Now.AddMinutes(-1) });

        // Act
        var state = await store.RecordFailureAsync(device.SerialNumber, CreateFailure());

        // Assert
        Assert.Equal(new MfaFailureState(3, null), state);
        Assert.Equal(Now.AddMinutes(-1), (await store.FindAsync(device.SerialNumber))!.FirstFailureAt);
    }

    [Fact]
    public async Task RecordFailureAsync_RunStartedAtWindowStart_RestartsAtOne()
    {
        // Arrange
        var store = CreateStore();
        var failure = CreateFailure();
        var device = await AddAsync(store, CreateEnabledDevice() with { FailedAttempts = 4, FirstFailureAt = failure.WindowStart });

        // Act
        var state = await store.RecordFailureAsync(device.SerialNumber, failure);

        // Assert
        Assert.Equal(new MfaFailureState(1, null), state);
        Assert.Equal(Now, (await store.FindAsync(device.SerialNumber))!.FirstFailureAt);
    }

    [Fact]
    public async Task RecordFailureAsync_ReachesThreshold_LocksAndClearsTheRun()
    {
        // Arrange
        var store = CreateStore();
        var failure = CreateFailure();
        var device = await AddAsync(store, CreateEnabledDevice() with { FailedAttempts = failure.Threshold - 1, FirstFailureAt = Now.AddMinutes(-1) });

        // Act
        var state = await store.RecordFailureAsync(device.SerialNumber, failure);

        // Assert
        Assert.Equal(new MfaFailureState(0, failure.LockUntil), state);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((0, (DateTimeOffset?)null, (DateTimeOffset?)failure.LockUntil), (found.FailedAttempts, found.FirstFailureAt, found.LockedUntil));
    }

    [Fact]
    public async Task RecordFailureAsync_MissingDevice_ReturnsNull()
    {
        // Arrange
        var store = CreateStore();

        // Act
        var state = await store.RecordFailureAsync(NewSerial(), CreateFailure());

        // Assert
        Assert.Null(state);
    }

    [Fact]
    public async Task RecordFailureAsync_TwentyConcurrentFailures_CountsEveryOne()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());
        var failure = CreateFailure() with { Threshold = 100 };

        // Act
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.RecordFailureAsync(device.SerialNumber, failure))));

        // Assert
        Assert.Equal(20, (await store.FindAsync(device.SerialNumber))!.FailedAttempts);
    }

    // ---- ReplaceRecoveryCodesAsync

    [Fact]
    public async Task ReplaceRecoveryCodesAsync_OwnedDevice_ReplacesTheWholeGeneration()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());
        MfaRecoveryCodeRecord[] next = [CreateCode(Guid.NewGuid()), CreateCode(Guid.NewGuid())];

        // Act
        var replaced = await store.ReplaceRecoveryCodesAsync(device.SerialNumber, User, next);

        // Assert
        Assert.True(replaced);
        var ids = (await store.FindAsync(device.SerialNumber))!.RecoveryCodes.Select(c => c.Id).Order();
        Assert.Equal(next.Select(c => c.Id).Order(), ids);
    }

    [Fact]
    public async Task ReplaceRecoveryCodesAsync_OtherUsersDevice_ReturnsFalseAndKeepsCodes()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var replaced = await store.ReplaceRecoveryCodesAsync(device.SerialNumber, OtherUser, [CreateCode(Guid.NewGuid())]);

        // Assert
        Assert.False(replaced);
        Assert.Equal(device.RecoveryCodes[0].Id, Assert.Single((await store.FindAsync(device.SerialNumber))!.RecoveryCodes).Id);
    }

    [Fact]
    public async Task ReplaceRecoveryCodesAsync_MissingDevice_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();

        // Act
        var replaced = await store.ReplaceRecoveryCodesAsync(NewSerial(), User, [CreateCode(Guid.NewGuid())]);

        // Assert
        Assert.False(replaced);
    }

    // ---- TryConsumeRecoveryCodeAsync

    public static TheoryData<string, Func<MfaDeviceRecord, MfaDeviceRecord>> ConsumeConditionBreakers => new()
    {
        { "code already used", d => d with { RecoveryCodes = [d.RecoveryCodes[0] with { UsedAt = Now.AddDays(-1) }] } },
        { "code unknown", d => d with { RecoveryCodes = [CreateCode(Guid.NewGuid())] } },
        { "not enabled", d => d with { Enabled = false } },
        { "owned by another user", d => d with { UserId = OtherUser } },
        { "locked", d => d with { LockedUntil = Now.AddMinutes(1) } },
    };

    [Fact]
    public async Task TryConsumeRecoveryCodeAsync_UnusedCode_MarksItUsedAndClearsFailures()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice() with { FailedAttempts = 3, FirstFailureAt = Now.AddSeconds(-3) });

        // Act
        var consumed = await store.TryConsumeRecoveryCodeAsync(device.SerialNumber, User, device.RecoveryCodes[0].Id, Now);

        // Assert
        Assert.True(consumed);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal(Now, Assert.Single(found.RecoveryCodes).UsedAt);
        Assert.Equal((0, (DateTimeOffset?)null), (found.FailedAttempts, found.FirstFailureAt));
    }

    [Fact]
    public async Task TryConsumeRecoveryCodeAsync_SecondUse_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());
        await store.TryConsumeRecoveryCodeAsync(device.SerialNumber, User, device.RecoveryCodes[0].Id, Now);

        // Act
        var consumedAgain = await store.TryConsumeRecoveryCodeAsync(device.SerialNumber, User, device.RecoveryCodes[0].Id, Now.AddMinutes(1));

        // Assert
        Assert.False(consumedAgain);
        Assert.Equal(Now, Assert.Single((await store.FindAsync(device.SerialNumber))!.RecoveryCodes).UsedAt);
    }

    [Fact]
    public async Task TryConsumeRecoveryCodeAsync_CodeOfAnotherDevice_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();
        var owner = await AddAsync(store, CreateEnabledDevice() with { RecoveryCodes = [CreateCode(Guid.NewGuid())] });
        var other = await AddAsync(store, CreateEnabledDevice() with { RecoveryCodes = [] });

        // Act
        var consumed = await store.TryConsumeRecoveryCodeAsync(other.SerialNumber, User, owner.RecoveryCodes[0].Id, Now);

        // Assert
        Assert.False(consumed);
        Assert.Null(Assert.Single((await store.FindAsync(owner.SerialNumber))!.RecoveryCodes).UsedAt);
    }

    [Theory]
    [MemberData(nameof(ConsumeConditionBreakers))]
    public async Task TryConsumeRecoveryCodeAsync_ConditionFails_ReturnsFalse(string scenario, Func<MfaDeviceRecord, MfaDeviceRecord> breakCondition)
    {
        // Arrange
        var store = CreateStore();
        var baseline = CreateEnabledDevice();
        var device = await AddAsync(store, breakCondition(baseline));

        // Act
        var consumed = await store.TryConsumeRecoveryCodeAsync(device.SerialNumber, User, baseline.RecoveryCodes[0].Id, Now);

        // Assert
        Assert.False(consumed, scenario);
        var codes = (await store.FindAsync(device.SerialNumber))!.RecoveryCodes;
        Assert.Equal(device.RecoveryCodes.Select(c => c.UsedAt), codes.Select(c => c.UsedAt));
    }

    [Fact]
    public async Task TryConsumeRecoveryCodeAsync_TwentyConcurrentUsesOfOneCode_ExactlyOneWins()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => store.TryConsumeRecoveryCodeAsync(device.SerialNumber, User, device.RecoveryCodes[0].Id, Now))));

        // Assert
        Assert.Single(results, r => r);
    }

    // ---- TryDeactivateAsync / TryDeleteAsync

    [Fact]
    public async Task TryDeactivateAsync_OwnedDevice_DisablesUnassignsAndDropsCodes()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var deactivated = await store.TryDeactivateAsync(device.SerialNumber, User);

        // Assert
        Assert.True(deactivated);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((false, (string?)null, (DateTimeOffset?)null), (found.Enabled, found.UserId, found.EnabledAt));
        Assert.Empty(found.RecoveryCodes);
    }

    [Fact]
    public async Task TryDeactivateAsync_OtherUsersDevice_ReturnsFalseAndChangesNothing()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var deactivated = await store.TryDeactivateAsync(device.SerialNumber, OtherUser);

        // Assert
        Assert.False(deactivated);
        var found = (await store.FindAsync(device.SerialNumber))!;
        Assert.Equal((true, User), (found.Enabled, found.UserId));
        Assert.Single(found.RecoveryCodes);
    }

    [Fact]
    public async Task TryDeleteAsync_DisabledDevice_DeletesItAndItsCodes()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateNewDevice() with { UserId = User });

        // Act
        var deleted = await store.TryDeleteAsync(device.SerialNumber);

        // Assert
        Assert.True(deleted);
        Assert.Null(await store.FindAsync(device.SerialNumber));
        await using var db = Db.CreateDbContext();
        Assert.False(await db.MfaRecoveryCodes.AnyAsync(c => c.SerialNumber == device.SerialNumber));
    }

    [Fact]
    public async Task TryDeleteAsync_EnabledDevice_ReturnsFalseAndKeepsIt()
    {
        // Arrange
        var store = CreateStore();
        var device = await AddAsync(store, CreateEnabledDevice());

        // Act
        var deleted = await store.TryDeleteAsync(device.SerialNumber);

        // Assert
        Assert.False(deleted);
        Assert.NotNull(await store.FindAsync(device.SerialNumber));
    }

    [Fact]
    public async Task TryDeleteAsync_MissingDevice_ReturnsFalse()
    {
        // Arrange
        var store = CreateStore();

        // Act
        var deleted = await store.TryDeleteAsync(NewSerial());

        // Assert
        Assert.False(deleted);
    }

    private EfMfaDeviceStore CreateStore() => new(Db);

    private static async Task<MfaDeviceRecord> AddAsync(EfMfaDeviceStore store, MfaDeviceRecord device)
    {
        Assert.True(await store.TryAddAsync(device));
        return device;
    }

    private static string NewSerial() => "arn:aws:iam::123456789012:mfa/ops/" + Guid.NewGuid().ToString("N");

    /// <summary>A device as created, before enabling: unassigned, step 0, one unused recovery code.</summary>
    private static MfaDeviceRecord CreateNewDevice()
    {
        var serial = NewSerial();
        return new MfaDeviceRecord
        {
            SerialNumber = serial,
            Account = AccountId.Parse("123456789012"),
            Path = "/ops/",
            DeviceName = serial[(serial.LastIndexOf('/') + 1)..],
            ProtectedSecret = [0xC0, 1, 2, 3, 4, 5],
            CreatedAt = Now.AddDays(-1),
            LastAcceptedStep = Step - 10,
            RecoveryCodes = [CreateCode(Guid.NewGuid())],
        };
    }

    /// <summary>The valid baseline for verification: enabled, owned by <see cref="User"/>, not locked, older step accepted.</summary>
    private static MfaDeviceRecord CreateEnabledDevice() =>
        CreateNewDevice() with { UserId = User, Enabled = true, EnabledAt = Now.AddHours(-1) };

    private static MfaRecoveryCodeRecord CreateCode(Guid id) => new(id, [1, 2, 3, 4], [5, 6, 7, 8], null);

    private static MfaFailureUpdate CreateFailure() => new(Now, Now.AddMinutes(-5), 5, Now.AddMinutes(15));
}

[Collection(PostgresTests.Name)]
public sealed class PostgresEfMfaDeviceStoreTests(PostgresServer server) : EfMfaDeviceStoreTests(server);

public sealed class SqliteEfMfaDeviceStoreTests(SqliteDatabases server) : EfMfaDeviceStoreTests(server), IClassFixture<SqliteDatabases>;
