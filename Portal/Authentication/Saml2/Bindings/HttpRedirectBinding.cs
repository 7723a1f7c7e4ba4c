using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Authentication.Saml2.Bindings;

/// <summary>The HTTP-Redirect binding (SAML Bindings §3.4): DEFLATE, base64, URL-encode, optional query signature.</summary>
public static class HttpRedirectBinding
{
    /// <summary>The only signature algorithm the SP uses (SECURITY-CASES 16, 58).</summary>
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    /// <summary>Cap on an inflated message (SECURITY-CASES 19: a compressed bomb must stop early).</summary>
    public const int DefaultMaxInflatedBytes = 64 * 1024;

    /// <summary>
    /// The redirect URL carrying <paramref name="messageXml"/> as <c>SAMLRequest</c>. With a key, the query is signed over
    /// the exact encoded octets <c>SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…</c> (SAML Bindings §3.4.4.1).
    /// </summary>
    public static string BuildRequestUrl(string destination, string messageXml, string? relayState, X509Certificate2? signingCertificate)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(messageXml);
        var query = new StringBuilder("SAMLRequest=").Append(Uri.EscapeDataString(Deflate(messageXml)));
        if (relayState is not null)
        {
            query.Append("&RelayState=").Append(Uri.EscapeDataString(relayState));
        }

        if (signingCertificate is not null)
        {
            using var key = signingCertificate.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("The SP signing certificate has no RSA private key.");
            query.Append("&SigAlg=").Append(Uri.EscapeDataString(RsaSha256));
            var signature = key.SignData(Encoding.ASCII.GetBytes(query.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            query.Append("&Signature=").Append(Uri.EscapeDataString(Convert.ToBase64String(signature)));
        }

        return destination + (destination.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

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

            return Encoding.UTF8.GetString(output, 0, total);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
