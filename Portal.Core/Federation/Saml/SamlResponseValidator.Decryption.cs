using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Portal.Core.Federation.Saml;

public sealed partial class SamlResponseValidator
{
    /// <summary>
    /// SAML Core §2.3.4 / XML-Enc: decrypts an EncryptedAssertion in place. Only inline CipherValue and inline
    /// EncryptedKey are read (no CipherReference, no RetrievalMethod: case 55), key transport is RSA-OAEP only and
    /// content is AES-GCM (AES-CBC only when enabled) (case 54). Every decryption failure reads the same (ENC_DECRYPT).
    /// The plaintext must be exactly one Assertion (case 56), which replaces the EncryptedAssertion in the one tree.
    /// </summary>
    private static XmlElement DecryptAssertion(XmlElement encryptedAssertion, SamlValidationParameters p)
    {
        var encryptedData = SamlXml.Children(encryptedAssertion, SamlConstants.XencNs, "EncryptedData");
        if (encryptedData.Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "EncryptedAssertion must hold one EncryptedData.");
        }

        var data = encryptedData[0];
        var contentAlgorithm = EncryptionAlgorithm(data);
        var keySize = contentAlgorithm switch
        {
            SamlConstants.Aes128Gcm or SamlConstants.Aes128Cbc => 16,
            SamlConstants.Aes192Gcm or SamlConstants.Aes192Cbc => 24,
            SamlConstants.Aes256Gcm or SamlConstants.Aes256Cbc => 32,
            _ => 0,
        };
        var isGcm = contentAlgorithm is SamlConstants.Aes128Gcm or SamlConstants.Aes192Gcm or SamlConstants.Aes256Gcm;
        if (keySize == 0 || (!isGcm && !p.AllowCbcContentEncryption))
        {
            throw new SamlRejectedException(SamlFailureReason.EncAlg, $"Content encryption '{contentAlgorithm}' is not allowed.");
        }

        var cipherText = CipherValue(data);
        var encryptedKeys = FindEncryptedKeys(encryptedAssertion, data);
        var key = UnwrapKey(encryptedKeys, keySize, p);
        var plaintext = isGcm ? DecryptGcm(key, cipherText) : DecryptCbc(key, cipherText);
        CryptographicOperations.ZeroMemory(key);

        return ReplaceWithPlaintext(encryptedAssertion, plaintext, p.MaxMessageBytes);
    }

    private static string EncryptionAlgorithm(XmlElement element)
    {
        var methods = SamlXml.Children(element, SamlConstants.XencNs, "EncryptionMethod");
        return methods.Count == 1 && SamlXml.Attr(methods[0], "Algorithm") is { } algorithm
            ? algorithm
            : throw new SamlRejectedException(SamlFailureReason.EncAlg, $"{element.LocalName} has no single EncryptionMethod.");
    }

    private static byte[] CipherValue(XmlElement element)
    {
        var cipherData = SamlXml.Children(element, SamlConstants.XencNs, "CipherData");
        if (cipherData.Count != 1 || SamlXml.Children(cipherData[0], SamlConstants.XencNs, "CipherReference").Count != 0)
        {
            throw new SamlRejectedException(SamlFailureReason.EncAlg, "Only an inline CipherValue is accepted.");
        }

        var values = SamlXml.Children(cipherData[0], SamlConstants.XencNs, "CipherValue");
        if (values.Count != 1 || SamlXml.StrictText(values[0]) is not { } text)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "CipherData must hold one CipherValue.");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "CipherValue is not base64.");
        }
    }

    private static List<XmlElement> FindEncryptedKeys(XmlElement encryptedAssertion, XmlElement data)
    {
        var keys = SamlXml.Children(encryptedAssertion, SamlConstants.XencNs, "EncryptedKey");
        foreach (var keyInfo in SamlXml.Children(data, SamlConstants.DsigNs, "KeyInfo"))
        {
            if (SamlXml.Children(keyInfo, SamlConstants.DsigNs, "RetrievalMethod").Count != 0)
            {
                throw new SamlRejectedException(SamlFailureReason.EncAlg, "KeyInfo RetrievalMethod is not followed.");
            }

            keys.AddRange(SamlXml.Children(keyInfo, SamlConstants.XencNs, "EncryptedKey"));
        }

        // A few keys (one per SP certificate) are normal; more is a resource-exhaustion attempt (case 55).
        if (keys.Count is 0 or > 4)
        {
            throw new SamlRejectedException(SamlFailureReason.EncAlg, $"Expected one to four EncryptedKey elements, found {keys.Count}.");
        }

        return keys;
    }

    private static byte[] UnwrapKey(List<XmlElement> encryptedKeys, int keySize, SamlValidationParameters p)
    {
        foreach (var encryptedKey in encryptedKeys)
        {
            var padding = KeyTransportPadding(encryptedKey);
            var wrapped = CipherValue(encryptedKey);
            foreach (var certificate in p.DecryptionCertificates)
            {
                using var rsa = certificate.GetRSAPrivateKey();
                if (rsa is null)
                {
                    continue;
                }

                try
                {
                    var key = rsa.Decrypt(wrapped, padding);
                    if (key.Length == keySize)
                    {
                        return key;
                    }
                }
                catch (CryptographicException)
                {
                    // Try the next certificate; the outcome is reported once, uniformly.
                }
            }
        }

        throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "The encrypted assertion cannot be decrypted.");
    }

    /// <summary>RSA-OAEP with SHA-1 (mgf1p, xmlenc11 default) or SHA-256 with MGF1-SHA-256; RSA1_5 is refused (case 54a).</summary>
    private static RSAEncryptionPadding KeyTransportPadding(XmlElement encryptedKey)
    {
        var algorithm = EncryptionAlgorithm(encryptedKey);
        var method = SamlXml.Children(encryptedKey, SamlConstants.XencNs, "EncryptionMethod");
        var digest = SamlXml.Children(method[0], SamlConstants.DsigNs, "DigestMethod").Select(d => SamlXml.Attr(d, "Algorithm")).SingleOrDefault();
        var mgf = SamlXml.Children(method[0], SamlConstants.Xenc11Ns, "MGF").Select(m => SamlXml.Attr(m, "Algorithm")).SingleOrDefault();
        if (SamlXml.Children(method[0], SamlConstants.XencNs, "OAEPparams").Count != 0)
        {
            throw new SamlRejectedException(SamlFailureReason.EncAlg, "OAEPparams are not supported.");
        }

        return algorithm switch
        {
            SamlConstants.RsaOaepMgf1p when digest is null or SamlConstants.Sha1 => RSAEncryptionPadding.OaepSHA1,
            SamlConstants.RsaOaep11 when (digest is null or SamlConstants.Sha1) && mgf is null => RSAEncryptionPadding.OaepSHA1,
            SamlConstants.RsaOaep11 when digest == SamlConstants.Sha256 && mgf == SamlConstants.Mgf1Sha256 => RSAEncryptionPadding.OaepSHA256,
            _ => throw new SamlRejectedException(SamlFailureReason.EncAlg, $"Key transport '{algorithm}' is not allowed."),
        };
    }

    /// <summary>XML-Enc 1.1 §5.2.4: IV (12 bytes) || ciphertext || tag (16 bytes).</summary>
    private static byte[] DecryptGcm(byte[] key, byte[] data)
    {
        const int nonceSize = 12;
        const int tagSize = 16;
        if (data.Length < nonceSize + tagSize)
        {
            throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "The encrypted assertion cannot be decrypted.");
        }

        var plaintext = new byte[data.Length - nonceSize - tagSize];
        try
        {
            using var aes = new AesGcm(key, tagSize);
            aes.Decrypt(data.AsSpan(0, nonceSize), data.AsSpan(nonceSize, plaintext.Length), data.AsSpan(data.Length - tagSize), plaintext);
            return plaintext;
        }
        catch (CryptographicException)
        {
            throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "The encrypted assertion cannot be decrypted.");
        }
    }

    /// <summary>XML-Enc §5.2: IV (16 bytes) || ciphertext; the last plaintext byte is the padding length (1..16).</summary>
    private static byte[] DecryptCbc(byte[] key, byte[] data)
    {
        const int block = 16;
        if (data.Length < 2 * block || data.Length % block != 0)
        {
            throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "The encrypted assertion cannot be decrypted.");
        }

        using var aes = Aes.Create();
        aes.Key = key;
        var padded = aes.DecryptCbc(data.AsSpan(block), data.AsSpan(0, block), PaddingMode.None);
        var pad = padded[^1];
        if (pad is 0 or > block)
        {
            throw new SamlRejectedException(SamlFailureReason.EncDecrypt, "The encrypted assertion cannot be decrypted.");
        }

        return padded[..^pad];
    }

    /// <summary>
    /// Parses the plaintext with the same hardened settings, in the namespace context of the EncryptedAssertion,
    /// into the response's own document, and swaps it in (single tree; cases 31, 56).
    /// </summary>
    private static XmlElement ReplaceWithPlaintext(XmlElement encryptedAssertion, byte[] plaintext, int maxBytes)
    {
        if (plaintext.Length > maxBytes)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlTooLarge, "The decrypted assertion exceeds the cap.");
        }

        var document = encryptedAssertion.OwnerDocument;
        var text = new UTF8Encoding(false, true).GetString(plaintext);
        var namespaces = new XmlNamespaceManager(document.NameTable);
        foreach (var (prefix, uri) in InScopeNamespaces(encryptedAssertion))
        {
            namespaces.AddNamespace(prefix, uri);
        }

        var settings = SamlXml.CreateReaderSettings(maxBytes);
        settings.ConformanceLevel = ConformanceLevel.Fragment;
        var fragment = document.CreateDocumentFragment();
        try
        {
            using var stringReader = new StringReader(text);
            using var reader = XmlReader.Create(stringReader, settings, new XmlParserContext(document.NameTable, namespaces, null, XmlSpace.None));
            reader.Read();
            while (!reader.EOF)
            {
                var node = document.ReadNode(reader);
                if (node is null)
                {
                    break;
                }

                fragment.AppendChild(node);
            }
        }
        catch (XmlException ex)
        {
            throw new SamlRejectedException(
                SamlXml.LooksLikeDtd(text) ? SamlFailureReason.XmlDtd : SamlFailureReason.XmlMalformed, "Decrypted XML parse failed: " + ex.Message);
        }

        var elements = new List<XmlElement>();
        for (var node = fragment.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is XmlElement element)
            {
                elements.Add(element);
            }
            else if (node.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.XmlDeclaration))
            {
                throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "Decrypted content holds more than an element.");
            }
        }

        if (elements.Count != 1 || !SamlXml.Is(elements[0], SamlConstants.AssertionNs, "Assertion"))
        {
            throw new SamlRejectedException(SamlFailureReason.AssertionCount, $"The encrypted content holds {elements.Count} elements, not one Assertion.");
        }

        encryptedAssertion.ParentNode!.ReplaceChild(elements[0], encryptedAssertion);
        return elements[0];
    }

    private static Dictionary<string, string> InScopeNamespaces(XmlElement element)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (XmlNode? node = element; node is XmlElement e; node = node.ParentNode)
        {
            foreach (XmlAttribute attribute in e.Attributes)
            {
                if (attribute.NamespaceURI == "http://www.w3.org/2000/xmlns/")
                {
                    var prefix = attribute.Prefix == "xmlns" ? attribute.LocalName : string.Empty;
                    result.TryAdd(prefix, attribute.Value);
                }
            }
        }

        return result;
    }
}
