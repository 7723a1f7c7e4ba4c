namespace Portal.Core.Identity;

/// <summary>IAM unique-id and access-key prefixes (STS-SPEC §4.1, §4.4).</summary>
public static class IdPrefixes
{
    /// <summary>Long-term access key id.</summary>
    public const string LongTermAccessKey = "AKIA";

    /// <summary>Temporary (STS) access key id.</summary>
    public const string TemporaryAccessKey = "ASIA";

    /// <summary>IAM user unique id.</summary>
    public const string User = "AIDA";

    /// <summary>Role unique id.</summary>
    public const string Role = "AROA";

    /// <summary>Managed policy unique id.</summary>
    public const string ManagedPolicy = "ANPA";
}
