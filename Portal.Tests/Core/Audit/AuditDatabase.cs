using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Core.Audit;
using Portal.Core.Persistence;

namespace Portal.Tests.Core.Audit;

/// <summary>Shared arrangements of the audit tests: writers on a named chain, records, and raw access that bypasses the app.</summary>
internal static class AuditDatabase
{
    public static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static GroupCommitAuditWriter CreateWriter(PortalDbContextFactory factory, string chainId = "node-a") =>
        new(factory, NullLogger<GroupCommitAuditWriter>.Instance, Options.Create(new AuditOptions { ChainId = chainId }));

    public static AuditRecord CreateRecord(int i) => new()
    {
        Timestamp = Now.AddTicks(1234567 + i),
        Action = "sts:AssumeRole",
        Decision = AuditDecision.Allow,
        RequestId = "req-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Principal = "arn:aws:iam::123456789012:user/alice",
        Resource = "arn:aws:iam::123456789012:role/ops",
        Message = "line1\r\nline2 \u001b[31mred\u001b[0m \u202Egnp.exe",
    };

    /// <summary>Writes <paramref name="count"/> records on one chain and returns their ids, oldest first.</summary>
    public static async Task<IReadOnlyList<long>> WriteAsync(PortalDbContextFactory factory, int count, string chainId = "node-a")
    {
        await using (var writer = CreateWriter(factory, chainId))
        {
            for (var i = 0; i < count; i++)
            {
                await writer.WriteAsync(CreateRecord(i));
            }
        }

        await using var db = factory.CreateDbContext();
        return [.. Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.AuditEvents).Where(e => e.ChainId == chainId).OrderBy(e => e.Id).Select(e => e.Id)];
    }

    /// <summary>Runs SQL on a fresh connection of its own, as someone with the database file or server would.</summary>
    public static async Task<int> ExecuteRawAsync(PortalDbContextFactory factory, string sql)
    {
        await using DbConnection connection = factory.Provider == StorageProvider.Sqlite
            ? new SqliteConnection(factory.ConnectionString)
            : new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="statement"/> (an UPDATE … SET … or DELETE FROM …) on one row, behind the dropped triggers.</summary>
    public static async Task TamperAsync(PortalDbContextFactory factory, string statement, long id)
    {
        await DropTriggersAsync(factory);
        await ExecuteRawAsync(factory, statement + " WHERE \"Id\" = " + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Drops the append-only triggers, the way an attacker with the file or a superuser could.</summary>
    public static Task DropTriggersAsync(PortalDbContextFactory factory) =>
        ExecuteRawAsync(factory, factory.Provider == StorageProvider.Sqlite ? AuditAppendOnly.SqliteDrop : AuditAppendOnly.PostgresDrop);
}
