using System.Security.Cryptography.Xml;
using System.Xml;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// A <see cref="SignedXml"/> whose ID resolution returns only the element the validator resolved itself by the
/// exact <c>ID</c> attribute after its uniqueness checks (SECURITY-CASES 8, 9); the default lookup tolerates
/// <c>Id</c>/<c>id</c> and per-name duplicates.
/// </summary>
internal sealed class StrictSignedXml : SignedXml
{
    private string? _id;
    private XmlElement? _target;

    static StrictSignedXml() => EcdsaSignatureDescription.Register();

    public StrictSignedXml(XmlDocument document)
        : base(document)
    {
        SafeCanonicalizationMethods.Clear();
        SafeCanonicalizationMethods.Add(SamlConstants.ExcC14n);
        SafeCanonicalizationMethods.Add(SamlConstants.ExcC14nWithComments);
    }

    public void BindReference(string id, XmlElement target)
    {
        _id = id;
        _target = target;
    }

    public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
        _id is not null && string.Equals(idValue, _id, StringComparison.Ordinal) ? _target : null;
}
