using System.Security.Cryptography;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// XML-DSig ECDSA (RFC 6931 §2.3.6, <c>xmldsig-more#ecdsa-sha256/384/512</c>), which SignedXml does not ship. The
/// signature value is r || s in fixed-size big-endian fields (RFC 4050 §3.3), which is .NET's IEEE P1363 format.
/// Only the key handed to <c>CheckSignature</c> is used, so the validator still verifies solely with registered
/// certificates (SECURITY-CASES 2–4); SHA-1 stays refused by the algorithm allow-list (case 16). Public only because
/// <see cref="CryptoConfig.AddAlgorithm"/> accepts nothing else.
/// </summary>
public abstract class EcdsaSignatureDescription : SignatureDescription
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Creates the description for one digest.</summary>
    protected EcdsaSignatureDescription(HashAlgorithmName hash)
    {
        Hash = hash;
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = hash.Name;
    }

    private HashAlgorithmName Hash { get; }

    /// <summary>Makes the three ECDSA methods known to SignedXml (process-wide, once).</summary>
    internal static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), SamlConstants.EcdsaSha256);
            CryptoConfig.AddAlgorithm(typeof(EcdsaSha384SignatureDescription), SamlConstants.EcdsaSha384);
            CryptoConfig.AddAlgorithm(typeof(EcdsaSha512SignatureDescription), SamlConstants.EcdsaSha512);
            _registered = true;
        }
    }

    /// <inheritdoc />
    public override HashAlgorithm CreateDigest() => Hash.Name switch
    {
        "SHA256" => SHA256.Create(),
        "SHA384" => SHA384.Create(),
        _ => SHA512.Create(),
    };

    /// <inheritdoc />
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key)
    {
        var formatter = new EcdsaSignatureFormatter();
        formatter.SetKey(key);
        return formatter;
    }

    /// <inheritdoc />
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key)
    {
        var deformatter = new EcdsaSignatureDeformatter();
        deformatter.SetKey(key);
        return deformatter;
    }

    private static ECDsa Ecdsa(AsymmetricAlgorithm? key) =>
        key as ECDsa ?? throw new CryptographicException("The key for an ECDSA signature method is not an EC key.");

    private sealed class EcdsaSignatureFormatter : AsymmetricSignatureFormatter
    {
        private ECDsa? _key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = Ecdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) => Ecdsa(_key).SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class EcdsaSignatureDeformatter : AsymmetricSignatureDeformatter
    {
        private ECDsa? _key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = Ecdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            Ecdsa(_key).VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

/// <summary><c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256</c>.</summary>
public sealed class EcdsaSha256SignatureDescription : EcdsaSignatureDescription
{
    /// <summary>Creates the description.</summary>
    public EcdsaSha256SignatureDescription()
        : base(HashAlgorithmName.SHA256)
    {
    }
}

/// <summary><c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384</c>.</summary>
public sealed class EcdsaSha384SignatureDescription : EcdsaSignatureDescription
{
    /// <summary>Creates the description.</summary>
    public EcdsaSha384SignatureDescription()
        : base(HashAlgorithmName.SHA384)
    {
    }
}

/// <summary><c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512</c>.</summary>
public sealed class EcdsaSha512SignatureDescription : EcdsaSignatureDescription
{
    /// <summary>Creates the description.</summary>
    public EcdsaSha512SignatureDescription()
        : base(HashAlgorithmName.SHA512)
    {
    }
}
