using Microsoft.AspNetCore.Authentication;
using Portal.Authentication.Saml2.Events;

namespace Portal.Authentication.Saml2;

/// <summary>
/// The SAML events: each is a settable <c>On…</c> delegate and a virtual method calling it (aspnetcore habit). The
/// default <see cref="RemoteAuthenticationEvents.OnRemoteFailure"/> writes the generic 400 "Sign-in failed" page.
/// </summary>
public class Saml2Events : RemoteAuthenticationEvents
{
    /// <summary>Creates the events with the generic failure page.</summary>
    public Saml2Events()
    {
        OnRemoteFailure = Saml2FailurePage.HandleAsync;
    }

    /// <summary>Invoked after the AuthnRequest is built, before it is sent.</summary>
    public Func<AuthnRequestGeneratedContext, Task> OnAuthnRequestGenerated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invoked when the response is valid and the principal is built.</summary>
    public Func<AssertionValidatedContext, Task> OnAssertionValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invoked after the AuthnRequest is built, before it is sent.</summary>
    public virtual Task AuthnRequestGenerated(AuthnRequestGeneratedContext context) => OnAuthnRequestGenerated(context);

    /// <summary>Invoked when the response is valid and the principal is built.</summary>
    public virtual Task AssertionValidated(AssertionValidatedContext context) => OnAssertionValidated(context);
}
