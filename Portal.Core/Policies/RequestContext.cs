using System.Diagnostics.CodeAnalysis;

namespace Portal.Core.Policies;

/// <summary>
/// What a request asks for, as policies see it (STS-SPEC §7.6): action, resource, the calling principal
/// and the condition keys of §7.9. Key names are case-insensitive (§7.3); every key may hold several values.
/// </summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, IReadOnlyList<string>> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a context for <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public RequestContext(string action, string resource)
    {
        Action = action;
        Resource = resource;
    }

    /// <summary>The action, e.g. <c>sts:AssumeRole</c>. Settable so one context can check several actions (AssumeRole, then TagSession).</summary>
    public string Action { get; set; }

    /// <summary>The resource ARN, e.g. the role ARN for AssumeRole.</summary>
    public string Resource { get; set; }

    /// <summary>The caller, for Principal matching in resource and trust policies; null for anonymous callers.</summary>
    public PolicyPrincipal? Principal { get; set; }

    /// <summary>The names of the keys present.</summary>
    public IEnumerable<string> Keys => _keys.Keys;

    /// <summary>Sets a single-valued key, replacing any previous value.</summary>
    public RequestContext Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _keys[key] = [value];
        return this;
    }

    /// <summary>Sets a multivalued key such as <c>aws:TagKeys</c> (§7.4); an empty list is treated as absent by conditions.</summary>
    public RequestContext Set(string key, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _keys[key] = values.ToArray();
        return this;
    }

    /// <summary>Removes a key; true when it was present.</summary>
    public bool Remove(string key) => _keys.Remove(key);

    /// <summary>Looks a key up, ignoring case.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out IReadOnlyList<string>? values) => _keys.TryGetValue(key, out values);
}
