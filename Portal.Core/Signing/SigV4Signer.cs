using System.Globalization;
using System.Text;

namespace Portal.Core.Signing;

/// <summary>Credentials for signing: key id, secret and, for temporary credentials, the session token.</summary>
internal sealed record SigV4Credentials(string AccessKeyId, string Secret, string? SessionToken = null);

/// <summary>
/// Signs requests the way botocore and the JS SDK do, signing every header it is given (STS-SPEC §5.3, §5.9).
/// For tests and load generation; it shares the canonicaliser with the verifier, so the verifier is also proven
/// against independently signed vectors (STS-SPEC §5.8, captured SDK requests).
/// </summary>
internal static class SigV4Signer
{
    /// <summary>
    /// Header form: returns the headers plus <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (temporary credentials),
    /// optionally <c>X-Amz-Content-SHA256</c>, and <c>Authorization</c>.
    /// </summary>
    public static List<KeyValuePair<string, string>> SignHeaders(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        SigV4Credentials credentials,
        string region,
        string service,
        DateTimeOffset time,
        bool includeContentSha256 = false)
    {
        var amzDate = time.UtcDateTime.ToString(SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture);
        var payloadHash = SigV4Crypto.Sha256Hex(body);
        var signed = new List<KeyValuePair<string, string>>(headers) { new("X-Amz-Date", amzDate) };
        if (credentials.SessionToken is not null)
        {
            signed.Add(new("X-Amz-Security-Token", credentials.SessionToken));
        }

        if (includeContentSha256)
        {
            signed.Add(new("X-Amz-Content-SHA256", payloadHash));
        }

        var signedHeaders = SignedHeaderNames(signed);
        var date = amzDate[..8];
        var signature = Sign(method, rawPath, rawQuery, signed, signedHeaders, payloadHash, presigned: false, credentials.Secret, amzDate, date, region, service);
        signed.Add(new(
            "Authorization",
            string.Create(
                CultureInfo.InvariantCulture,
                $"{SigV4Constants.Algorithm} Credential={credentials.AccessKeyId}/{SigV4Crypto.Scope(date, region, service)}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}")));
        return signed;
    }

    /// <summary>
    /// Query form (presigned URL, as botocore's <c>SigV4QueryAuth</c>): returns the raw query with the
    /// <c>X-Amz-*</c> parameters and the signature appended. Payload hash is that of the empty body (STS-SPEC §5.6).
    /// </summary>
    public static string Presign(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        SigV4Credentials credentials,
        string region,
        string service,
        DateTimeOffset time,
        int expiresSeconds)
    {
        var amzDate = time.UtcDateTime.ToString(SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var signedHeaders = SignedHeaderNames(headers);
        var query = new StringBuilder(rawQuery);
        void Add(string name, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(name).Append('=').Append(SigV4Encoding.Encode(value, keepSlash: false));
        }

        Add(SigV4Constants.AlgorithmParam, SigV4Constants.Algorithm);
        Add(SigV4Constants.CredentialParam, credentials.AccessKeyId + "/" + SigV4Crypto.Scope(date, region, service));
        Add(SigV4Constants.DateParam, amzDate);
        Add(SigV4Constants.ExpiresParam, expiresSeconds.ToString(CultureInfo.InvariantCulture));
        Add(SigV4Constants.SignedHeadersParam, string.Join(';', signedHeaders));
        if (credentials.SessionToken is not null)
        {
            Add(SigV4Constants.SecurityTokenParam, credentials.SessionToken);
        }

        var signature = Sign(method, rawPath, query.ToString(), headers, signedHeaders, SigV4Constants.EmptyPayloadHash, presigned: true, credentials.Secret, amzDate, date, region, service);
        Add(SigV4Constants.SignatureParam, signature);
        return query.ToString();
    }

    private static string Sign(
        string method,
        string rawPath,
        string rawQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string[] signedHeaders,
        string payloadHash,
        bool presigned,
        string secret,
        string amzDate,
        string date,
        string region,
        string service)
    {
        var query = new List<QueryParameter>();
        if (!SigV4Canonicalizer.TryParseQuery(rawQuery, query, out _))
        {
            throw new ArgumentException("The query is not validly percent-encoded.", nameof(rawQuery));
        }

        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(SigV4Canonicalizer.CanonicalUri(rawPath)).Append('\n')
            .Append(SigV4Canonicalizer.CanonicalQuery(query, presigned)).Append('\n');
        SigV4Canonicalizer.AppendCanonicalHeaders(canonical, headers, signedHeaders);
        canonical.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        var stringToSign = SigV4Crypto.StringToSign(amzDate, SigV4Crypto.Scope(date, region, service), canonical.ToString());
        return SigV4Crypto.SignHex(SigV4Crypto.DeriveSigningKey(secret, date, region, service), stringToSign);
    }

    private static string[] SignedHeaderNames(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var lower = new StringBuilder(header.Key.Length);
            foreach (var c in header.Key)
            {
                lower.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
            }

            names.Add(lower.ToString());
        }

        var result = new string[names.Count];
        names.CopyTo(result);
        return result;
    }
}
