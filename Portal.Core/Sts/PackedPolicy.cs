using System.IO.Compression;
using System.Text;
using Portal.Core.Iam;

namespace Portal.Core.Sts;

/// <summary>
/// The packed size of session policies and tags as a percentage of the limit (STS-SPEC §1.0.5). AWS's packing is not
/// public; this is a deterministic estimate: the deflated size of the inline policy, the ARNs and the tags against a
/// 2048-byte budget, rounded up.
/// </summary>
internal static class PackedPolicy
{
    public const int BudgetBytes = 2048;

    public static int Percent(string? policy, IReadOnlyList<string> arns, IReadOnlyList<Tag> tags)
    {
        var sb = new StringBuilder();
        sb.Append(policy);
        foreach (var a in arns)
        {
            sb.Append('\n').Append(a);
        }

        foreach (var t in tags)
        {
            sb.Append('\n').Append(t.Key).Append('=').Append(t.Value);
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return (int)Math.Ceiling(100.0 * output.Length / BudgetBytes);
    }
}
