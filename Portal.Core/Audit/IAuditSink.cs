namespace Portal.Core.Audit;

/// <summary>Writes audit events durably.</summary>
public interface IAuditSink
{
    /// <summary>
    /// Completes only once the event (and its issued-session record) is durably committed; throws when the commit fails,
    /// in which case the caller must not hand out what the event describes (ARCHITECTURE key decision 3).
    /// </summary>
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default);
}
