using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// The HTTP-Redirect binding (SAML Bindings §3.4): DEFLATE + base64 encoding, and the query-string signature over the
/// exact encoded octets, built and verified here so every message type uses the same code (SECURITY-CASES 30, 58).
/// </summary>
public static class SamlRedirectBinding
{
    /// <summary>The algorithm the SP signs with.</summary>
    public const string RsaSha256 = SamlConstants.RsaSha256;

    /// <summary>Cap on an inflated message (SECURITY-CASES 19b: a compressed bomb must stop early).</summary>
    public const int DefaultMaxInflatedBytes = 64 * 1024;

    /// <summary>The parameter of a request message.</summary>
    public const string RequestParameter = "SAMLRequest";

    /// <summary>The parameter of a response message.</summary>
    public const string ResponseParameter = "SAMLResponse";

    private const string RelayStateParameter = "RelayState";
    private const string SigAlgParameter = "SigAlg";
    private const string SignatureParameter = "Signature";

    /// <summary>Raw DEFLATE (RFC 1951, no zlib header) then base64, as §3.4.4.1 requires.</summary>
    public static string Deflate(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>Inflates a base64 DEFLATE payload; null when it is not valid or grows beyond <paramref name="maxBytes"/>.</summary>
    public static string? Inflate(string base64, int maxBytes = DefaultMaxInflatedBytes)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }

        try
        {
            using var deflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            var output = new byte[maxBytes + 1];
            var total = 0;
            int read;
            while ((read = deflate.Read(output, total, output.Length - total)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }
            }

            return new UTF8Encoding(false, true).GetString(output, 0, total);
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// The query string (without <c>?</c>) carrying <paramref name="messageXml"/> in <paramref name="parameter"/>. With a
    /// key, it is signed rsa-sha256 over <c>SAMLxxx=…&amp;RelayState=…&amp;SigAlg=…</c> exactly as encoded (§3.4.4.1).
    /// </summary>
    /// <param name="parameter"><see cref="RequestParameter"/> or <see cref="ResponseParameter"/>.</param>
    /// <param name="messageXml">The protocol message, without any XML signature.</param>
    /// <param name="relayState">The RelayState, or null.</param>
    /// <param name="signingCertificate">The signer with its RSA private key, or null to leave the query unsigned.</param>
    public static string EncodeQuery(string parameter, string messageXml, string? relayState, X509Certificate2? signingCertificate)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(messageXml);
        var query = new StringBuilder(parameter).Append('=').Append(Uri.EscapeDataString(Deflate(messageXml)));
        if (relayState is not null)
        {
            query.Append('&').Append(RelayStateParameter).Append('=').Append(Uri.EscapeDataString(relayState));
        }

        if (signingCertificate is not null)
        {
            using var key = signingCertificate.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("The signing certificate has no RSA private key.");
            query.Append('&').Append(SigAlgParameter).Append('=').Append(Uri.EscapeDataString(RsaSha256));
            var signature = key.SignData(Encoding.ASCII.GetBytes(query.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            query.Append('&').Append(SignatureParameter).Append('=').Append(Uri.EscapeDataString(Convert.ToBase64String(signature)));
        }

        return query.ToString();
    }

    /// <summary>
    /// Splits a received query without trusting it: exactly one SAMLRequest or SAMLResponse, at most one of each
    /// binding parameter, no ambiguous <c>=</c> (SECURITY-CASES 58a, 58b); the message is inflated with a cap.
    /// </summary>
    /// <param name="rawQuery">The query string exactly as received (with or without the leading <c>?</c>).</param>
    public static SamlOutcome<SamlRedirectMessage> Parse(string? rawQuery)
    {
        var query = (rawQuery ?? string.Empty).TrimStart('?');
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (name is not (RequestParameter or ResponseParameter or RelayStateParameter or SigAlgParameter or SignatureParameter))
            {
                continue;
            }

            // Case 58a/58b: a second value or a stray '=' means the signed octets and the read values could differ.
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            if (value.Contains('=', StringComparison.Ordinal) || !raw.TryAdd(name, value))
            {
                return SamlOutcome<SamlRedirectMessage>.Fail(SamlFailureReason.BindingSig, $"Parameter {name} is repeated or contains a raw '='.");
            }
        }

        var hasRequest = raw.TryGetValue(RequestParameter, out var request);
        var hasResponse = raw.TryGetValue(ResponseParameter, out var response);
        if (hasRequest == hasResponse)
        {
            return SamlOutcome<SamlRedirectMessage>.Fail(SamlFailureReason.XmlMalformed, "Exactly one of SAMLRequest and SAMLResponse is required.");
        }

        var parameter = hasRequest ? RequestParameter : ResponseParameter;
        var encoded = hasRequest ? request! : response!;
        var xml = Inflate(WebUtility.UrlDecode(encoded));
        if (xml is null)
        {
            return SamlOutcome<SamlRedirectMessage>.Fail(SamlFailureReason.XmlTooLarge, "The message is not DEFLATE data within the size cap.");
        }

        var signedOctets = new StringBuilder(parameter).Append('=').Append(encoded);
        string? relayState = null;
        if (raw.TryGetValue(RelayStateParameter, out var rawRelayState))
        {
            relayState = WebUtility.UrlDecode(rawRelayState);
            signedOctets.Append('&').Append(RelayStateParameter).Append('=').Append(rawRelayState);
        }

        string? sigAlg = null;
        if (raw.TryGetValue(SigAlgParameter, out var rawSigAlg))
        {
            sigAlg = WebUtility.UrlDecode(rawSigAlg);
            signedOctets.Append('&').Append(SigAlgParameter).Append('=').Append(rawSigAlg);
        }

        var signature = raw.TryGetValue(SignatureParameter, out var rawSignature) ? WebUtility.UrlDecode(rawSignature) : null;
        return SamlOutcome<SamlRedirectMessage>.Ok(new SamlRedirectMessage(parameter == RequestParameter, xml, relayState, sigAlg, signature, signedOctets.ToString()));
    }

    /// <summary>
    /// Verifies the query signature with the IdP's registered certificates only (never a key from the message,
    /// SECURITY-CASES 2–4), after checking SigAlg against the allow-list (no SHA-1: cases 16, 58d).
    /// </summary>
    public static SamlOutcome<bool> Verify(SamlRedirectMessage message, IReadOnlyList<X509Certificate2> trustedCertificates)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(trustedCertificates);
        if (message.SigAlg is null || message.Signature is null)
        {
            return SamlOutcome<bool>.Fail(SamlFailureReason.SigMissing, "The redirect message carries no SigAlg/Signature.");
        }

        if (!SamlConstants.AllowedSignatureMethods.Contains(message.SigAlg))
        {
            return SamlOutcome<bool>.Fail(SamlFailureReason.BindingSig, $"SigAlg {message.SigAlg} is not allowed.");
        }

        var signature = new byte[message.Signature.Length];
        if (!Convert.TryFromBase64String(message.Signature, signature, out var length))
        {
            return SamlOutcome<bool>.Fail(SamlFailureReason.SigInvalid, "The Signature is not base64.");
        }

        var data = Encoding.UTF8.GetBytes(message.SignedOctets);
        var hash = message.SigAlg switch
        {
            SamlConstants.RsaSha384 or SamlConstants.EcdsaSha384 => HashAlgorithmName.SHA384,
            SamlConstants.RsaSha512 or SamlConstants.EcdsaSha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        var isRsa = message.SigAlg.Contains("#rsa-", StringComparison.Ordinal);
        foreach (var certificate in trustedCertificates)
        {
            try
            {
                if (isRsa && certificate.GetRSAPublicKey() is { } rsa)
                {
                    using (rsa)
                    {
                        if (rsa.VerifyData(data, signature.AsSpan(0, length), hash, RSASignaturePadding.Pkcs1))
                        {
                            return SamlOutcome<bool>.Ok(true);
                        }
                    }
                }
                else if (!isRsa && certificate.GetECDsaPublicKey() is { } ecdsa)
                {
                    using (ecdsa)
                    {
                        if (ecdsa.VerifyData(data, signature.AsSpan(0, length), hash))
                        {
                            return SamlOutcome<bool>.Ok(true);
                        }
                    }
                }
            }
            catch (CryptographicException)
            {
                // A malformed signature value for this key type: try the next key; none verifying is SIG_INVALID.
            }
        }

        return SamlOutcome<bool>.Fail(SamlFailureReason.SigInvalid, "The query signature does not verify with any registered key.");
    }
}

/// <summary>An HTTP-Redirect message as received, before any trust decision.</summary>
/// <param name="IsRequest">True for <c>SAMLRequest</c>, false for <c>SAMLResponse</c>.</param>
/// <param name="Xml">The inflated protocol message.</param>
/// <param name="RelayState">The decoded RelayState, or null; use it only after <see cref="SamlRedirectBinding.Verify"/>.</param>
/// <param name="SigAlg">The decoded SigAlg, or null.</param>
/// <param name="Signature">The decoded base64 Signature, or null.</param>
/// <param name="SignedOctets">What the signature covers, rebuilt from the raw encoded values (§3.4.4.1).</param>
public sealed record SamlRedirectMessage(bool IsRequest, string Xml, string? RelayState, string? SigAlg, string? Signature, string SignedOctets);

/// <summary>A value, or a reason code with an internal detail for logs (never shown to a browser).</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class SamlOutcome<T>
{
    private SamlOutcome(T? value, SamlFailureReason? reason, string? detail)
    {
        Value = value;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The value when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>Why it failed.</summary>
    public SamlFailureReason? Reason { get; }

    /// <summary>The audit reason code, or null on success.</summary>
    public string? ReasonCode => Reason?.ToCode();

    /// <summary>Internal diagnostic text for logs only.</summary>
    public string? Detail { get; }

    /// <summary>True on success.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Reason), nameof(Detail))]
    public bool Succeeded => Reason is null;

    /// <summary>A success.</summary>
    public static SamlOutcome<T> Ok(T value) => new(value, null, null);

    /// <summary>A failure.</summary>
    public static SamlOutcome<T> Fail(SamlFailureReason reason, string detail) => new(default, reason, detail);
}
