namespace Portal.Core.Persistence.Entities;

/// <summary>An inline permission policy embedded in a user or a role.</summary>
public sealed class InlinePolicyEntity
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>The unique id of the owning user ("AIDA…") or role ("AROA…").</summary>
    public required string OwnerId { get; set; }

    /// <summary>The policy name, unique per owner.</summary>
    public required string Name { get; set; }

    /// <summary>The policy document.</summary>
    public required string Document { get; set; }
}
