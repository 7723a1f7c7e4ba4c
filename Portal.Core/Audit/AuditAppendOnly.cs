namespace Portal.Core.Audit;

/// <summary>
/// The database triggers that make the audit table append-only (SECURITY-CASES 104h (1)): UPDATE, DELETE (and on PostgreSQL
/// TRUNCATE, which skips row triggers) abort, whoever issues them, the application's own connection included. The
/// AuditIntegrity migrations create them. There is deliberately no retention job: removing audit rows takes an operator who
/// drops the triggers by hand (README, "Audit log integrity"), and the hash chain then shows where rows are missing.
/// Note for future migrations: a SQLite table rebuild of AuditEvents drops its triggers; re-create them with these statements
/// (the append-only tests fail otherwise). The AuditIntegrity migrations reference these texts: never edit them, add new ones.
/// </summary>
internal static class AuditAppendOnly
{
    /// <summary>The error text both providers raise.</summary>
    public const string Message = "AuditEvents is append-only (SECURITY-CASES 104h)";

    /// <summary>SQLite: creates the two triggers.</summary>
    public const string SqliteCreate =
        """
        CREATE TRIGGER "AuditEvents_no_update" BEFORE UPDATE ON "AuditEvents"
        BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only (SECURITY-CASES 104h)'); END;
        CREATE TRIGGER "AuditEvents_no_delete" BEFORE DELETE ON "AuditEvents"
        BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only (SECURITY-CASES 104h)'); END;
        """;

    /// <summary>SQLite: drops them.</summary>
    public const string SqliteDrop =
        """
        DROP TRIGGER IF EXISTS "AuditEvents_no_update";
        DROP TRIGGER IF EXISTS "AuditEvents_no_delete";
        """;

    /// <summary>PostgreSQL: the raising function and its row and statement triggers.</summary>
    public const string PostgresCreate =
        """
        CREATE OR REPLACE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'AuditEvents is append-only (SECURITY-CASES 104h)' USING ERRCODE = 'integrity_constraint_violation';
        END
        $$;
        CREATE TRIGGER "AuditEvents_append_only" BEFORE UPDATE OR DELETE ON "AuditEvents"
            FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
        CREATE TRIGGER "AuditEvents_no_truncate" BEFORE TRUNCATE ON "AuditEvents"
            FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
        """;

    /// <summary>PostgreSQL: drops the triggers and the function.</summary>
    public const string PostgresDrop =
        """
        DROP TRIGGER IF EXISTS "AuditEvents_append_only" ON "AuditEvents";
        DROP TRIGGER IF EXISTS "AuditEvents_no_truncate" ON "AuditEvents";
        DROP FUNCTION IF EXISTS "audit_events_append_only"();
        """;
}
