namespace Portal.Core.Policies;

/// <summary>
/// A minimal JSON tree that, unlike JsonDocument, keeps every duplicate key visible and the byte offset of
/// every token, so the validator can reject duplicates and point at the exact line and column.
/// </summary>
internal sealed class PolicyJsonNode
{
    public PolicyJsonNode(JsonNodeKind kind, int offset, string? text = null)
    {
        Kind = kind;
        Offset = offset;
        Text = text;
    }

    public JsonNodeKind Kind { get; }

    /// <summary>UTF-8 byte offset of the token's first byte.</summary>
    public int Offset { get; }

    /// <summary>String value, raw number text, or "true"/"false".</summary>
    public string? Text { get; }

    public List<PolicyJsonProperty> Properties { get; } = [];

    public List<PolicyJsonNode> Items { get; } = [];

    public bool IsScalar => Kind is JsonNodeKind.String or JsonNodeKind.Number or JsonNodeKind.True or JsonNodeKind.False;
}

/// <summary>One member of a JSON object, with the offset of its name.</summary>
internal sealed record PolicyJsonProperty(string Name, int Offset, PolicyJsonNode Value);

/// <summary>JSON token kinds kept by <see cref="PolicyJsonNode"/>.</summary>
internal enum JsonNodeKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}
