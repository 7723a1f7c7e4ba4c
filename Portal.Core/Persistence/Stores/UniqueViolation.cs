using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Core.Persistence.Stores;

/// <summary>Recognises an insert that lost a race on a primary key or unique index, for both providers.</summary>
internal static class UniqueViolation
{
    // SQLite extended result codes (https://www.sqlite.org/rescode.html): SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE.
    private const int SqliteConstraint = 19;
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    /// <summary>
    /// True only for a duplicate-key failure; any other constraint (foreign key, not null, check) or I/O error is not a
    /// lost race and must surface to the caller.
    /// </summary>
    public static bool Matches(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqlitePrimaryKey or SqliteUnique,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
