namespace Portal.Core.Audit;

/// <summary>Audit settings (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audit";

    /// <summary>
    /// The hash chain this node appends to. Each node should have its own (the default is the machine name) so that nodes do
    /// not contend for one chain head; nodes that share an id still produce one correct chain, by retrying on a sequence clash.
    /// </summary>
    public string? ChainId { get; set; }
}
