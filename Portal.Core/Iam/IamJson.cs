using System.Text.Json.Serialization;

namespace Portal.Core.Iam;

/// <summary>Source-generated JSON for the small JSON columns (tags, lists).</summary>
[JsonSerializable(typeof(IReadOnlyList<Tag>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class IamJson : JsonSerializerContext;
