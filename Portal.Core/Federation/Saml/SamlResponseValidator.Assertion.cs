using System.Xml;

namespace Portal.Core.Federation.Saml;

public sealed partial class SamlResponseValidator
{
    /// <summary>
    /// SAML Core §2.3–2.7 and Profiles §4.1.4: reads the verified assertion element (never another copy) and checks
    /// Version, Issuer, Subject, bearer confirmation, Conditions, AuthnStatement and attributes.
    /// </summary>
    private static SamlAssertionData ReadAndValidateAssertion(
        XmlElement assertion, XmlElement response, bool responseSigned, DateTimeOffset now, SamlValidationParameters p)
    {
        if (SamlXml.Attr(assertion, "Version") != "2.0")
        {
            throw new SamlRejectedException(SamlFailureReason.Version, "Assertion Version is not 2.0.");
        }

        var assertionId = SamlXml.Attr(assertion, "ID");
        if (string.IsNullOrEmpty(assertionId))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The Assertion has no ID.");
        }

        ValidateIssueInstant(assertion, now, p);
        var issuers = SamlXml.Children(assertion, SamlConstants.AssertionNs, "Issuer");
        if (issuers.Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.Issuer, "The Assertion must have exactly one Issuer.");
        }

        ValidateIssuerElement(issuers[0], p.IdentityProvider, "Assertion");

        var subject = SingleChild(assertion, "Subject", SamlFailureReason.NameId);
        var nameId = ReadNameId(subject);
        var confirmation = ValidateSubjectConfirmation(subject, now, p);
        var inResponseTo = ValidateInResponseTo(response, responseSigned, confirmation.InResponseTo, p);
        var conditions = ValidateConditions(assertion, now, p);
        var authn = ReadAuthnStatement(assertion);
        var attributes = ReadAttributes(assertion);

        return new SamlAssertionData
        {
            ResponseId = SamlXml.Attr(response, "ID")!,
            AssertionId = assertionId,
            Issuer = p.IdentityProvider.EntityId,
            NameId = nameId.Value,
            NameIdFormat = SamlXml.Attr(nameId.Element, "Format"),
            NameQualifier = SamlXml.Attr(nameId.Element, "NameQualifier"),
            SpNameQualifier = SamlXml.Attr(nameId.Element, "SPNameQualifier"),
            SessionIndex = authn.SessionIndex,
            AuthnInstant = authn.AuthnInstant,
            AuthnContextClassRef = authn.ClassRef,
            SessionNotOnOrAfter = authn.SessionNotOnOrAfter,
            Recipient = confirmation.Recipient,
            SubjectConfirmationNotOnOrAfter = confirmation.NotOnOrAfter,
            NotBefore = conditions.NotBefore,
            NotOnOrAfter = conditions.NotOnOrAfter,
            Audiences = conditions.Audiences,
            Attributes = attributes,
            InResponseTo = inResponseTo,
            OneTimeUse = conditions.OneTimeUse,
        };
    }

    /// <summary>
    /// SAML Core §2.2.3 / cases 32, 33, 36, 37: exactly one plain-text NameID (by namespace URI, case 34); no
    /// EncryptedID or BaseID, no comments or CDATA, not empty or whitespace.
    /// </summary>
    private static (XmlElement Element, string Value) ReadNameId(XmlElement subject)
    {
        if (SamlXml.Children(subject, SamlConstants.AssertionNs, "EncryptedID").Count != 0
            || SamlXml.Children(subject, SamlConstants.AssertionNs, "BaseID").Count != 0)
        {
            throw new SamlRejectedException(SamlFailureReason.NameId, "NameID not found (EncryptedID/BaseID is not supported).");
        }

        var nameIds = SamlXml.Children(subject, SamlConstants.AssertionNs, "NameID");
        if (nameIds.Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.NameId, "NameID not found or multiple.");
        }

        var value = SamlXml.StrictText(nameIds[0])
            ?? throw new SamlRejectedException(SamlFailureReason.NameId, "NameID contains comments, CDATA or elements.");
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SamlRejectedException(SamlFailureReason.NameId, "An empty NameID value found.");
        }

        return (nameIds[0], value);
    }

    /// <summary>
    /// SAML Profiles §4.1.4.2, AWS (STS-SPEC §1.2), cases 43–46: exactly one SubjectConfirmation, bearer, with
    /// SubjectConfirmationData carrying an exactly matching Recipient and a NotOnOrAfter that has not passed.
    /// </summary>
    private static (string Recipient, DateTimeOffset NotOnOrAfter, string? InResponseTo) ValidateSubjectConfirmation(
        XmlElement subject, DateTimeOffset now, SamlValidationParameters p)
    {
        var confirmations = SamlXml.Children(subject, SamlConstants.AssertionNs, "SubjectConfirmation");
        if (confirmations.Count != 1 || SamlXml.Attr(confirmations[0], "Method") != SamlConstants.BearerMethod)
        {
            throw new SamlRejectedException(SamlFailureReason.SubjectConfirmation, "Expected exactly one bearer SubjectConfirmation.");
        }

        var data = SamlXml.Children(confirmations[0], SamlConstants.AssertionNs, "SubjectConfirmationData");
        if (data.Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.SubjectConfirmation, "The bearer SubjectConfirmation has no SubjectConfirmationData.");
        }

        var recipient = SamlXml.Attr(data[0], "Recipient");
        if (recipient is null || !p.ExpectedDestinations.Contains(recipient, StringComparer.Ordinal))
        {
            throw new SamlRejectedException(SamlFailureReason.Recipient, $"Recipient '{recipient}' is not this endpoint.");
        }

        var notOnOrAfter = SamlDateTime.ReadOptional(data[0], "NotOnOrAfter")
            ?? throw new SamlRejectedException(SamlFailureReason.Expired, "The bearer SubjectConfirmationData has no NotOnOrAfter.");
        var notBefore = SamlDateTime.ReadOptional(data[0], "NotBefore");
        ValidateWindow(notBefore, notOnOrAfter, now, p.ClockSkew, "SubjectConfirmationData");
        return (recipient, notOnOrAfter, SamlXml.Attr(data[0], "InResponseTo"));
    }

    /// <summary>
    /// Cases 49, 50: InResponseTo is taken from signed content only (the assertion's SubjectConfirmationData, or a
    /// signed Response); unsolicited responses only where the IdP allows them, and then without any InResponseTo.
    /// </summary>
    private static string? ValidateInResponseTo(XmlElement response, bool responseSigned, string? confirmationValue, SamlValidationParameters p)
    {
        var responseValue = SamlXml.Attr(response, "InResponseTo");
        if (p.IgnoreInResponseTo)
        {
            return confirmationValue ?? (responseSigned ? responseValue : null);
        }

        var expected = p.ExpectedInResponseTo;
        if (expected is null)
        {
            if (!p.IdentityProvider.AllowIdpInitiated)
            {
                throw new SamlRejectedException(SamlFailureReason.Unsolicited, "Unsolicited responses are not allowed for this IdP.");
            }

            if (responseValue is not null || confirmationValue is not null)
            {
                throw new SamlRejectedException(SamlFailureReason.InResponseTo, "An unsolicited response carries an InResponseTo.");
            }

            return null;
        }

        var fromSigned = confirmationValue ?? (responseSigned ? responseValue : null);
        if (!string.Equals(fromSigned, expected, StringComparison.Ordinal)
            || (responseValue is not null && !string.Equals(responseValue, expected, StringComparison.Ordinal)))
        {
            throw new SamlRejectedException(SamlFailureReason.InResponseTo, "InResponseTo does not match the pending request.");
        }

        return expected;
    }

    /// <summary>
    /// SAML Core §2.5.1: time window, AudienceRestriction (required; every one must name us), OneTimeUse and
    /// ProxyRestriction understood, anything else is Indeterminate and refused (case 48).
    /// </summary>
    private static (DateTimeOffset? NotBefore, DateTimeOffset? NotOnOrAfter, List<string> Audiences, bool OneTimeUse) ValidateConditions(
        XmlElement assertion, DateTimeOffset now, SamlValidationParameters p)
    {
        var all = SamlXml.Children(assertion, SamlConstants.AssertionNs, "Conditions");
        if (all.Count != 1)
        {
            throw new SamlRejectedException(SamlFailureReason.Audience, "The assertion must have one Conditions element with an AudienceRestriction.");
        }

        var conditions = all[0];
        var notBefore = SamlDateTime.ReadOptional(conditions, "NotBefore");
        var notOnOrAfter = SamlDateTime.ReadOptional(conditions, "NotOnOrAfter");
        ValidateWindow(notBefore, notOnOrAfter, now, p.ClockSkew, "Conditions");

        var audiences = new List<string>();
        var restrictions = 0;
        var oneTimeUse = 0;
        var proxyRestrictions = 0;
        foreach (var child in SamlXml.ElementChildren(conditions))
        {
            if (SamlXml.Is(child, SamlConstants.AssertionNs, "AudienceRestriction"))
            {
                restrictions++;
                var values = SamlXml.Children(child, SamlConstants.AssertionNs, "Audience").Select(a => SamlXml.StrictText(a) ?? string.Empty).ToList();
                if (!values.Any(v => p.ExpectedAudiences.Contains(v, StringComparer.Ordinal)))
                {
                    throw new SamlRejectedException(SamlFailureReason.Audience, "An AudienceRestriction does not name this service provider.");
                }

                audiences.AddRange(values);
            }
            else if (SamlXml.Is(child, SamlConstants.AssertionNs, "OneTimeUse"))
            {
                oneTimeUse++;
            }
            else if (SamlXml.Is(child, SamlConstants.AssertionNs, "ProxyRestriction"))
            {
                proxyRestrictions++;
            }
            else
            {
                throw new SamlRejectedException(SamlFailureReason.ConditionUnknown, $"Unknown condition {child.NamespaceURI}:{child.LocalName}.");
            }
        }

        // SAML Core §2.5.1.5, §2.5.1.6: at most one OneTimeUse and one ProxyRestriction.
        if (oneTimeUse > 1 || proxyRestrictions > 1)
        {
            throw new SamlRejectedException(SamlFailureReason.ConditionUnknown, "Repeated OneTimeUse or ProxyRestriction.");
        }

        if (restrictions == 0)
        {
            throw new SamlRejectedException(SamlFailureReason.Audience, "The assertion has no AudienceRestriction.");
        }

        return (notBefore, notOnOrAfter, audiences, oneTimeUse == 1);
    }

    /// <summary>SAML Core §2.5.1.2 / case 45: skew applied once, NotOnOrAfter exclusive, empty windows refused.</summary>
    private static void ValidateWindow(DateTimeOffset? notBefore, DateTimeOffset? notOnOrAfter, DateTimeOffset now, TimeSpan skew, string where)
    {
        if (notBefore is { } nb && notOnOrAfter is { } na && nb >= na)
        {
            throw new SamlRejectedException(SamlFailureReason.TimeFormat, $"{where} NotBefore is not before NotOnOrAfter.");
        }

        if (notBefore is { } start && now + skew < start)
        {
            throw new SamlRejectedException(SamlFailureReason.NotYetValid, $"{where} is not yet valid.");
        }

        if (notOnOrAfter is { } end && now - skew >= end)
        {
            throw new SamlRejectedException(SamlFailureReason.Expired, $"{where} has expired.");
        }
    }

    /// <summary>Profiles §4.1.4.2: a bearer SSO assertion has an AuthnStatement; one is read.</summary>
    private static (string? SessionIndex, DateTimeOffset? AuthnInstant, string? ClassRef, DateTimeOffset? SessionNotOnOrAfter) ReadAuthnStatement(XmlElement assertion)
    {
        var statement = SingleChild(assertion, "AuthnStatement", SamlFailureReason.XmlMalformed);
        var authnInstant = SamlDateTime.ReadOptional(statement, "AuthnInstant")
            ?? throw new SamlRejectedException(SamlFailureReason.TimeFormat, "AuthnStatement has no AuthnInstant.");
        var sessionNotOnOrAfter = SamlDateTime.ReadOptional(statement, "SessionNotOnOrAfter");
        string? classRef = null;
        foreach (var context in SamlXml.Children(statement, SamlConstants.AssertionNs, "AuthnContext"))
        {
            foreach (var reference in SamlXml.Children(context, SamlConstants.AssertionNs, "AuthnContextClassRef"))
            {
                classRef = SamlXml.StrictText(reference)?.Trim()
                    ?? throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "AuthnContextClassRef contains markup.");
            }
        }

        return (SamlXml.Attr(statement, "SessionIndex"), authnInstant, classRef, sessionNotOnOrAfter);
    }

    /// <summary>
    /// SAML Core §2.7.3 / cases 32, 35, 36: attributes by Name with their full text values; duplicate Name or
    /// FriendlyName is ambiguous (ATTR_DUPLICATE); EncryptedAttribute is not supported.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadAttributes(XmlElement assertion)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var friendlyNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in SamlXml.Children(assertion, SamlConstants.AssertionNs, "AttributeStatement"))
        {
            if (SamlXml.Children(statement, SamlConstants.AssertionNs, "EncryptedAttribute").Count != 0)
            {
                throw new SamlRejectedException(SamlFailureReason.EncUnexpected, "There is an EncryptedAttribute in the assertion; it is not supported.");
            }

            foreach (var attribute in SamlXml.Children(statement, SamlConstants.AssertionNs, "Attribute"))
            {
                var name = SamlXml.Attr(attribute, "Name");
                if (string.IsNullOrEmpty(name))
                {
                    throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "An Attribute has no Name.");
                }

                if (result.ContainsKey(name)
                    || (SamlXml.Attr(attribute, "FriendlyName") is { Length: > 0 } friendly && !friendlyNames.Add(friendly)))
                {
                    throw new SamlRejectedException(SamlFailureReason.AttrDuplicate, $"Found an Attribute element with duplicated Name '{name}'.");
                }

                var values = new List<string>();
                foreach (var value in SamlXml.Children(attribute, SamlConstants.AssertionNs, "AttributeValue"))
                {
                    if (SamlXml.Descendants(value).Any(HasMarkupText))
                    {
                        throw new SamlRejectedException(SamlFailureReason.AttrValue, $"AttributeValue of '{name}' contains comments, CDATA or processing instructions.");
                    }

                    values.Add(value.InnerText);
                }

                result[name] = values;
            }
        }

        return result;

        static bool HasMarkupText(XmlElement element)
        {
            for (var child = element.FirstChild; child is not null; child = child.NextSibling)
            {
                if (child.NodeType is XmlNodeType.Comment or XmlNodeType.CDATA or XmlNodeType.ProcessingInstruction or XmlNodeType.EntityReference)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static XmlElement SingleChild(XmlElement parent, string localName, SamlFailureReason reason)
    {
        var children = SamlXml.Children(parent, SamlConstants.AssertionNs, localName);
        return children.Count == 1
            ? children[0]
            : throw new SamlRejectedException(reason, $"Expected exactly one {localName} in {parent.LocalName}, found {children.Count}.");
    }
}
