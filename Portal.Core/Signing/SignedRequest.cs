namespace Portal.Core.Signing;

/// <summary>
/// A request exactly as received, independent of any web framework, for SigV4 verification (STS-SPEC §5).
/// </summary>
public sealed class SignedRequest
{
    private SignedRequest(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        ReadOnlyMemory<byte> body,
        string? payloadSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        ArgumentNullException.ThrowIfNull(rawQuery);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        RawPath = rawPath;

        // Tolerate a host adapter that hands over the '?' with the query.
        RawQuery = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        Headers = headers;
        Body = body;
        PayloadSha256Hex = payloadSha256Hex;
    }

    /// <summary>The HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The path as received, still percent-encoded.</summary>
    public string RawPath { get; }

    /// <summary>The query string as received, without the leading <c>?</c>.</summary>
    public string RawQuery { get; }

    /// <summary>The headers as received, in order; a name may occur more than once.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body bytes (empty when <see cref="PayloadSha256Hex"/> is given instead).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The lower-case hex SHA-256 of the body when the host hashed it already; otherwise null.</summary>
    public string? PayloadSha256Hex { get; }

    /// <summary>A request whose body the verifier hashes itself.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path as received, still percent-encoded.</param>
    /// <param name="rawQuery">The query as received, without <c>?</c>.</param>
    /// <param name="headers">The headers as received.</param>
    /// <param name="body">The body bytes.</param>
    /// <returns>The request.</returns>
    public static SignedRequest WithBody(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        ReadOnlyMemory<byte> body) => new(method, rawPath, rawQuery, headers, body, null);

    /// <summary>A request whose body was hashed by the host (e.g. while streaming it).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path as received, still percent-encoded.</param>
    /// <param name="rawQuery">The query as received, without <c>?</c>.</param>
    /// <param name="headers">The headers as received.</param>
    /// <param name="payloadSha256Hex">Lower-case hex SHA-256 of the body.</param>
    /// <returns>The request.</returns>
    public static SignedRequest WithPayloadHash(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string payloadSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(payloadSha256Hex);
        return new(method, rawPath, rawQuery, headers, ReadOnlyMemory<byte>.Empty, payloadSha256Hex);
    }
}
