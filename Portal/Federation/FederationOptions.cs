namespace Portal.Federation;

/// <summary>Console federation settings, bound from the <c>Federation</c> section.</summary>
public sealed class FederationOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Federation";

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, nothing else) that <c>Destination</c> and <c>Issuer</c> may point at besides
    /// this portal's own paths; matched exactly on scheme, host and port (SECURITY-CASES 98).
    /// </summary>
    public IList<string> AllowedDestinations { get; } = [];

    /// <summary>The parsed origins; throws when an entry is not a bare http(s) origin (validated at start-up).</summary>
    internal IReadOnlyList<Uri> ParseAllowedOrigins()
    {
        var origins = new List<Uri>(AllowedDestinations.Count);
        foreach (var entry in AllowedDestinations)
        {
            if (!FederationRedirects.TryParseOrigin(entry, out var origin))
            {
                throw new InvalidOperationException($"Federation:AllowedDestinations entry '{entry}' must be an http or https origin such as https://console.example.com (no path, query or user info).");
            }

            origins.Add(origin);
        }

        return origins;
    }
}
