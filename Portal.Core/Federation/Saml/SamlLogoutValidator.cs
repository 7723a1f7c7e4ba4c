using System.Xml;

namespace Portal.Core.Federation.Saml;

/// <summary>A SAML NameID with its qualifiers: the session identity a LogoutRequest must name (SAML Core §2.2.2, §3.7.1).</summary>
/// <param name="Value">The full NameID text.</param>
/// <param name="Format">The Format, or null.</param>
/// <param name="NameQualifier">The NameQualifier, or null.</param>
/// <param name="SpNameQualifier">The SPNameQualifier, or null.</param>
public sealed record SamlNameId(string Value, string? Format, string? NameQualifier, string? SpNameQualifier);

/// <summary>What a validated LogoutRequest asks for.</summary>
/// <param name="Id">The request ID (the InResponseTo of our answer).</param>
/// <param name="NameId">The principal to sign out.</param>
/// <param name="SessionIndexes">The sessions named; empty means every session of the principal.</param>
public sealed record SamlLogoutRequestData(string Id, SamlNameId NameId, IReadOnlyList<string> SessionIndexes);

/// <summary>What a logout message must match.</summary>
public sealed record SamlLogoutParameters
{
    /// <summary>The IdP whose registered certificates alone may verify the message.</summary>
    public required SamlIdentityProvider IdentityProvider { get; init; }

    /// <summary>The SP's SingleLogoutService URL; the signed Destination must equal it (SAML Bindings §3.4.5.2).</summary>
    public required string ExpectedDestination { get; init; }

    /// <summary>Allowed clock skew.</summary>
    public TimeSpan ClockSkew { get; init; } = SamlValidationParameters.DefaultClockSkew;

    /// <summary>How old an IssueInstant may be (SECURITY-CASES 47).</summary>
    public TimeSpan MaxIssueInstantAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// Validates Single Logout messages received over HTTP-Redirect (SAML Core §3.7, Profiles §4.4): the query signature
/// with the IdP's registered keys first, then the one hardened parse and exact checks of Issuer, Destination, time and
/// InResponseTo/NameID. A redirect message carries no XML signature (Bindings §3.4.4.1), so any <c>ds:Signature</c> or
/// embedded Assertion is a wrapping attempt (SECURITY-CASES 30).
/// </summary>
public static class SamlLogoutValidator
{
    /// <summary>The Issuer of a parsed message, read without trust: it only chooses whose keys to verify with.</summary>
    public static string? PeekIssuer(SamlRedirectMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var root = SamlXml.Load(message.Xml, SamlRedirectBinding.DefaultMaxInflatedBytes).DocumentElement!;
            var issuers = SamlXml.Children(root, SamlConstants.AssertionNs, "Issuer");
            return issuers.Count == 1 ? SamlXml.StrictText(issuers[0])?.Trim() : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>Validates an IdP's LogoutRequest.</summary>
    public static SamlOutcome<SamlLogoutRequestData> ValidateRequest(SamlRedirectMessage message, SamlLogoutParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(parameters);
        try
        {
            var root = VerifyAndParse(message, parameters, "LogoutRequest");
            var now = parameters.TimeProvider.GetUtcNow();
            if (SamlDateTime.ReadOptional(root, "NotOnOrAfter") is { } notOnOrAfter && notOnOrAfter <= now - parameters.ClockSkew)
            {
                throw new SamlRejectedException(SamlFailureReason.Expired, "The LogoutRequest NotOnOrAfter has passed.");
            }

            // SAML Core §3.7.1: Issuer?, Signature?, Extensions?, (BaseID | NameID | EncryptedID), NotOnOrAfter, SessionIndex*.
            var nameIds = SamlXml.Children(root, SamlConstants.AssertionNs, "NameID");
            var children = SamlXml.ElementChildren(root);
            if (nameIds.Count != 1 || children.Any(c => !IsLogoutRequestChild(c)))
            {
                throw new SamlRejectedException(SamlFailureReason.NameId, "The LogoutRequest must name exactly one plain NameID.");
            }

            var nameId = nameIds[0];
            var value = SamlXml.StrictText(nameId);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new SamlRejectedException(SamlFailureReason.NameId, "The NameID is empty or holds more than text.");
            }

            var sessionIndexes = new List<string>();
            foreach (var index in SamlXml.Children(root, SamlConstants.ProtocolNs, "SessionIndex"))
            {
                sessionIndexes.Add(SamlXml.StrictText(index)
                    ?? throw new SamlRejectedException(SamlFailureReason.SessionIndex, "A SessionIndex holds more than text."));
            }

            var data = new SamlLogoutRequestData(
                SamlXml.Attr(root, "ID")!,
                new SamlNameId(value, SamlXml.Attr(nameId, "Format"), SamlXml.Attr(nameId, "NameQualifier"), SamlXml.Attr(nameId, "SPNameQualifier")),
                sessionIndexes);
            return SamlOutcome<SamlLogoutRequestData>.Ok(data);
        }
        catch (SamlRejectedException ex)
        {
            return SamlOutcome<SamlLogoutRequestData>.Fail(ex.Reason, ex.Message);
        }
    }

    /// <summary>Validates the IdP's LogoutResponse to our LogoutRequest <paramref name="expectedInResponseTo"/>.</summary>
    public static SamlOutcome<string> ValidateResponse(SamlRedirectMessage message, SamlLogoutParameters parameters, string expectedInResponseTo)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrEmpty(expectedInResponseTo);
        try
        {
            var root = VerifyAndParse(message, parameters, "LogoutResponse");
            if (!string.Equals(SamlXml.Attr(root, "InResponseTo"), expectedInResponseTo, StringComparison.Ordinal))
            {
                throw new SamlRejectedException(SamlFailureReason.InResponseTo, "InResponseTo is not the pending LogoutRequest.");
            }

            // SAML Core §3.2.2.2: only a top-level Success means the IdP ended the session (PartialLogout is second-level).
            var status = SamlXml.Children(root, SamlConstants.ProtocolNs, "Status");
            var code = status.Count == 1 ? SamlXml.Children(status[0], SamlConstants.ProtocolNs, "StatusCode") : [];
            if (code.Count != 1 || SamlXml.Attr(code[0], "Value") != SamlConstants.StatusSuccess)
            {
                throw new SamlRejectedException(SamlFailureReason.Status, "The LogoutResponse status is not Success.");
            }

            return SamlOutcome<string>.Ok(SamlXml.Attr(root, "ID")!);
        }
        catch (SamlRejectedException ex)
        {
            return SamlOutcome<string>.Fail(ex.Reason, ex.Message);
        }
    }

    /// <summary>
    /// The checks both message types share, in trust order: the query signature over the exact octets received, then
    /// the parse, the wrapping guard, the envelope (root, Version, ID, IssueInstant), Destination and Issuer.
    /// </summary>
    private static XmlElement VerifyAndParse(SamlRedirectMessage message, SamlLogoutParameters p, string rootName)
    {
        var signature = SamlRedirectBinding.Verify(message, p.IdentityProvider.SigningCertificates);
        if (!signature.Succeeded)
        {
            throw new SamlRejectedException(signature.Reason.Value, signature.Detail);
        }

        XmlDocument document;
        try
        {
            document = SamlXml.Load(message.Xml, SamlRedirectBinding.DefaultMaxInflatedBytes);
        }
        catch (XmlException ex)
        {
            throw new SamlRejectedException(SamlXml.LooksLikeDtd(message.Xml) ? SamlFailureReason.XmlDtd : SamlFailureReason.XmlMalformed, ex.Message);
        }

        if (SamlXml.MeasureDepth(document) > SamlXml.MaxDepth)
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The message nests elements too deeply.");
        }

        // SECURITY-CASES 30: the query signature covers the whole message; an embedded signature or assertion can only
        // be a captured, validly signed child meant to lend its trust to the unsigned parent.
        if (SamlXml.Descendants(document).Any(e => SamlXml.Is(e, SamlConstants.DsigNs, "Signature") || SamlXml.Is(e, SamlConstants.AssertionNs, "Assertion")))
        {
            throw new SamlRejectedException(SamlFailureReason.SigRefNotParent, "A redirect-binding message carries an embedded signature or assertion.");
        }

        var root = document.DocumentElement!;
        if (!SamlXml.Is(root, SamlConstants.ProtocolNs, rootName) || message.IsRequest != (rootName == "LogoutRequest"))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, $"The root element is not samlp:{rootName} in the matching parameter.");
        }

        if (SamlXml.Attr(root, "Version") != "2.0")
        {
            throw new SamlRejectedException(SamlFailureReason.Version, "Version is not 2.0.");
        }

        if (SamlXml.Attr(root, "ID") is not { Length: > 0 } id || !SamlXml.IsNcName(id))
        {
            throw new SamlRejectedException(SamlFailureReason.XmlMalformed, "The ID is missing or not an NCName.");
        }

        var now = p.TimeProvider.GetUtcNow();
        var issueInstant = SamlDateTime.ReadOptional(root, "IssueInstant")
            ?? throw new SamlRejectedException(SamlFailureReason.TimeFormat, "IssueInstant is missing.");
        if (issueInstant > now + p.ClockSkew)
        {
            throw new SamlRejectedException(SamlFailureReason.NotYetValid, "IssueInstant is in the future.");
        }

        if (issueInstant + p.MaxIssueInstantAge <= now - p.ClockSkew)
        {
            throw new SamlRejectedException(SamlFailureReason.Expired, "IssueInstant is too old.");
        }

        // SAML Bindings §3.4.5.2: a signed message must carry the Destination it was sent to.
        if (!string.Equals(SamlXml.Attr(root, "Destination"), p.ExpectedDestination, StringComparison.Ordinal))
        {
            throw new SamlRejectedException(SamlFailureReason.Destination, "Destination is missing or not this SLO endpoint.");
        }

        // SAML Profiles §4.4.4: the Issuer is required and must be the IdP, in entity format (SECURITY-CASES 40).
        var issuers = SamlXml.Children(root, SamlConstants.AssertionNs, "Issuer");
        if (issuers.Count != 1 || SamlXml.StrictText(issuers[0])?.Trim() != p.IdentityProvider.EntityId
            || SamlXml.Attr(issuers[0], "Format") is { } format && format != SamlConstants.EntityFormat)
        {
            throw new SamlRejectedException(SamlFailureReason.Issuer, "The Issuer is missing or not the IdP.");
        }

        return root;
    }

    private static bool IsLogoutRequestChild(XmlElement child) =>
        SamlXml.Is(child, SamlConstants.AssertionNs, "Issuer")
        || SamlXml.Is(child, SamlConstants.ProtocolNs, "Extensions")
        || SamlXml.Is(child, SamlConstants.AssertionNs, "NameID")
        || SamlXml.Is(child, SamlConstants.ProtocolNs, "SessionIndex");
}
