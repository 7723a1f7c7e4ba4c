namespace Portal.Core.Persistence.Entities;

/// <summary>An account (12-digit id); several may live in one installation.</summary>
public sealed class AccountEntity
{
    /// <summary>The 12-digit account id.</summary>
    public required string Id { get; set; }

    /// <summary>A friendly alias shown in the portal.</summary>
    public string? Alias { get; set; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
