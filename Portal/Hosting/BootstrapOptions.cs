namespace Portal.Hosting;

/// <summary>First-run settings, bound from the <c>Bootstrap</c> section (so also <c>Bootstrap__AccountId</c> … in the environment).</summary>
public sealed class BootstrapOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Bootstrap";

    /// <summary>The default account's 12-digit id; generated when absent.</summary>
    public string? AccountId { get; set; }

    /// <summary>The default account's alias shown in the portal.</summary>
    public string? AccountAlias { get; set; }

    /// <summary>The root access key id (AKIA…); generated with its secret when absent.</summary>
    public string? RootAccessKeyId { get; set; }

    /// <summary>The root secret access key; required when <see cref="RootAccessKeyId"/> is set.</summary>
    public string? RootSecretAccessKey { get; set; }

    /// <summary>The console password of the bootstrap IAM user <c>admin</c>; generated and printed once when absent.</summary>
    public string? AdminPassword { get; set; }
}
