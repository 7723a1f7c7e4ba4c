using System.Globalization;
using Portal.Core.Sts;

namespace Portal.Sts;

/// <summary>
/// IAM <c>Marker</c>/<c>MaxItems</c> paging over an already ordered list. The marker is opaque to clients; here it is the
/// offset of the next item, which is enough for lists read whole from the directory on each call.
/// </summary>
internal static class IamPaging
{
    /// <summary>IAM's default page size.</summary>
    public const int DefaultMaxItems = 100;

    /// <summary>IAM maxItemsType upper bound.</summary>
    public const int MaxMaxItems = 1000;

    /// <summary>The page selected by <c>Marker</c> and <c>MaxItems</c>, and the marker of the next page when truncated.</summary>
    public static StsOutcome<(IReadOnlyList<T> Items, string? NextMarker)> Page<T>(IReadOnlyList<T> all, QueryParameters p)
    {
        var maxText = p["MaxItems"];
        var max = DefaultMaxItems;
        if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxMaxItems))
        {
            return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and {MaxMaxItems}");
        }

        var start = 0;
        if (p["Marker"] is { } marker
            && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            return new StsError(StsErrorCode.ValidationError, "Invalid Marker.");
        }

        var end = Math.Min(all.Count, start + max);
        var items = all.Skip(start).Take(end - start).ToList();
        return (items, end < all.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Writes <c>IsTruncated</c> and, when truncated, <c>Marker</c>.</summary>
    public static StsXml Truncation(this StsXml x, string? nextMarker) =>
        x.Element("IsTruncated", nextMarker is not null).Element("Marker", nextMarker);
}
