using Portal.Core.Sts;

namespace Portal.Core.Signing;

/// <summary>The authentication data of a request, in either form, before any check (STS-SPEC §5.1).</summary>
internal sealed class SigV4Authorization
{
    public required bool IsPresigned { get; init; }

    public required string Credential { get; init; }

    public required string SignedHeaders { get; init; }

    public required string Signature { get; init; }

    /// <summary>The presigned <c>X-Amz-Date</c>; null for the header form (the date then comes from headers).</summary>
    public string? QueryDate { get; init; }

    /// <summary>The presigned <c>X-Amz-Expires</c>, unparsed.</summary>
    public string? Expires { get; init; }
}

/// <summary>Parses the <c>Authorization</c> header or the presigned query parameters (STS-SPEC §5.1).</summary>
internal static class SigV4AuthorizationParser
{
    private const string CredentialKey = "Credential";
    private const string SignedHeadersKey = "SignedHeaders";
    private const string SignatureKey = "Signature";

    /// <summary>
    /// <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c>: the algorithm, one or more spaces, then
    /// comma-separated <c>key=value</c> items with optional whitespace around them.
    /// </summary>
    public static StsOutcome<SigV4Authorization> ParseHeader(string header, bool hasDate)
    {
        var span = header.AsSpan().Trim(" \t");
        var space = span.IndexOfAny(' ', '\t');
        var algorithm = space < 0 ? span : span[..space];
        if (!algorithm.SequenceEqual(SigV4Constants.Algorithm))
        {
            // SigV2 ("AWS key:sig"), SigV4a ("AWS4-ECDSA-P256-SHA256") and anything else (STS-SPEC §5.7).
            return Incomplete(SigV4Messages.UnsupportedAlgorithm(algorithm.ToString()));
        }

        string? credential = null;
        string? signedHeaders = null;
        string? signature = null;
        var rest = space < 0 ? ReadOnlySpan<char>.Empty : span[space..].Trim(" \t");
        if (!rest.IsEmpty)
        {
            foreach (var range in rest.Split(','))
            {
                var item = rest[range].Trim(" \t");
                var eq = item.IndexOf('=');
                if (eq <= 0)
                {
                    return Incomplete(SigV4Messages.NotKeyValuePair(item.ToString(), header));
                }

                var key = item[..eq].Trim(" \t");
                var value = item[(eq + 1)..].Trim(" \t").ToString();
                if (key.SequenceEqual(CredentialKey))
                {
                    if (credential is not null)
                    {
                        return Incomplete(SigV4Messages.DuplicateAuthorizationParameter(CredentialKey));
                    }

                    credential = value;
                }
                else if (key.SequenceEqual(SignedHeadersKey))
                {
                    if (signedHeaders is not null)
                    {
                        return Incomplete(SigV4Messages.DuplicateAuthorizationParameter(SignedHeadersKey));
                    }

                    signedHeaders = value;
                }
                else if (key.SequenceEqual(SignatureKey))
                {
                    if (signature is not null)
                    {
                        return Incomplete(SigV4Messages.DuplicateAuthorizationParameter(SignatureKey));
                    }

                    signature = value;
                }

                // Other keys are ignored, as unknown parameters are elsewhere in SigV4.
            }
        }

        if (credential is null || signedHeaders is null || signature is null || !hasDate)
        {
            // AWS lists every missing piece, then echoes the header (STS-SPEC §2.3, observed).
            var parts = new List<string>(5);
            if (credential is null)
            {
                parts.Add(SigV4Messages.AuthorizationHeaderRequires(CredentialKey));
            }

            if (signature is null)
            {
                parts.Add(SigV4Messages.AuthorizationHeaderRequires(SignatureKey));
            }

            if (signedHeaders is null)
            {
                parts.Add(SigV4Messages.AuthorizationHeaderRequires(SignedHeadersKey));
            }

            if (!hasDate)
            {
                parts.Add(SigV4Messages.AuthorizationHeaderRequiresDate);
            }

            parts.Add("Authorization=" + header);
            return Incomplete(string.Join(' ', parts));
        }

        return new SigV4Authorization
        {
            IsPresigned = false,
            Credential = credential,
            SignedHeaders = signedHeaders,
            Signature = signature,
        };
    }

    /// <summary>The presigned form: every <c>X-Amz-*</c> authentication parameter exactly once (STS-SPEC §5.1).</summary>
    public static StsOutcome<SigV4Authorization> ParseQuery(List<QueryParameter> parameters)
    {
        string? algorithm = null;
        string? credential = null;
        string? date = null;
        string? expires = null;
        string? signedHeaders = null;
        string? signature = null;
        foreach (var parameter in parameters)
        {
            ref var slot = ref Slot(parameter.Name, ref algorithm, ref credential, ref date, ref expires, ref signedHeaders, ref signature, out var known);
            if (!known)
            {
                continue;
            }

            if (slot is not null)
            {
                // Two values would let the canonicaliser and the reader disagree (SECURITY-CASES 85c).
                return Incomplete(SigV4Messages.DuplicateQueryParameter(parameter.Name));
            }

            slot = parameter.Value;
        }

        if (algorithm is null || credential is null || date is null || expires is null || signedHeaders is null || signature is null)
        {
            var parts = new List<string>(7);
            AddIfMissing(parts, algorithm, SigV4Constants.AlgorithmParam);
            AddIfMissing(parts, credential, SigV4Constants.CredentialParam);
            AddIfMissing(parts, signature, SigV4Constants.SignatureParam);
            AddIfMissing(parts, date, SigV4Constants.DateParam);
            AddIfMissing(parts, signedHeaders, SigV4Constants.SignedHeadersParam);
            AddIfMissing(parts, expires, SigV4Constants.ExpiresParam);
            parts.Add(SigV4Messages.ReexamineQuery);
            return Incomplete(string.Join(' ', parts));
        }

        if (algorithm != SigV4Constants.Algorithm)
        {
            return Incomplete(SigV4Messages.UnsupportedQueryAlgorithm);
        }

        return new SigV4Authorization
        {
            IsPresigned = true,
            Credential = credential,
            SignedHeaders = signedHeaders,
            Signature = signature,
            QueryDate = date,
            Expires = expires,
        };
    }

    private static ref string? Slot(
        string name,
        ref string? algorithm,
        ref string? credential,
        ref string? date,
        ref string? expires,
        ref string? signedHeaders,
        ref string? signature,
        out bool known)
    {
        known = true;
        switch (name)
        {
            case SigV4Constants.AlgorithmParam:
                return ref algorithm;
            case SigV4Constants.CredentialParam:
                return ref credential;
            case SigV4Constants.DateParam:
                return ref date;
            case SigV4Constants.ExpiresParam:
                return ref expires;
            case SigV4Constants.SignedHeadersParam:
                return ref signedHeaders;
            case SigV4Constants.SignatureParam:
                return ref signature;
            default:
                known = false;
                return ref algorithm;
        }
    }

    private static void AddIfMissing(List<string> parts, string? value, string name)
    {
        if (value is null)
        {
            parts.Add(SigV4Messages.QueryRequires(name));
        }
    }

    private static StsError Incomplete(string message) => new(StsErrorCode.IncompleteSignature, message);
}
