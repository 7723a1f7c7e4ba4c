namespace Portal.Core.Downloads;

/// <summary>Customer-download settings (configuration section <c>Downloads</c>).</summary>
public sealed class CustomerDownloadOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Downloads";

    /// <summary>How long a single-use download link works (default 15 minutes).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
