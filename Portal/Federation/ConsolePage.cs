using System.Globalization;
using System.Net;
using System.Text;
using Portal.Core.Credentials;
using Portal.Core.Policies;

namespace Portal.Federation;

/// <summary>The server-rendered console landing page (the Blazor console replaces it later). Every value is HTML-encoded.</summary>
internal static class ConsolePage
{
    /// <summary>One evaluated action.</summary>
    /// <param name="Action">The action.</param>
    /// <param name="Resource">The resource.</param>
    /// <param name="Decision">The engine's decision.</param>
    public sealed record Evaluation(string Action, string Resource, AuthorizationDecision Decision);

    public static string Render(SessionClaims session, DateTimeOffset expiresAt, string? issuer, IReadOnlyList<Evaluation> overview, Evaluation? simulated, string? action, string? resource)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Portal console</title>
            <style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;line-height:1.5}code{background:#f3f3f3;padding:0 .25rem}
            table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}.allowed{color:#176117}.denied{color:#a11}</style></head>
            <body>
            <h1>Portal console</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>Signed in as <code id=\"arn\">{E(session.Arn)}</code> (account <code>{E(session.AccountId)}</code>).</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Session valid until <time id=\"expires\">{E(expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))}</time>.</p>");
        if (issuer is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(issuer)}\" rel=\"noreferrer\">Back to your identity broker</a></p>");
        }

        html.Append("<h2>What you may do</h2><table><thead><tr><th>Action</th><th>Resource</th><th>Decision</th><th>Deciding statement</th></tr></thead><tbody>");
        foreach (var evaluation in overview)
        {
            AppendRow(html, evaluation);
        }

        html.Append("</tbody></table>");
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Policy simulator</h2>
            <form method="get" action="/console">
            <label>Action <input name="action" value="{E(action ?? string.Empty)}" placeholder="s3:GetObject" required></label>
            <label>Resource <input name="resource" value="{E(resource ?? string.Empty)}" placeholder="arn:aws:s3:::bucket/key or *"></label>
            <button type="submit">Evaluate</button>
            </form>
            """);
        if (simulated is not null)
        {
            html.Append("<table id=\"simulation\"><tbody>");
            AppendRow(html, simulated);
            html.Append("</tbody></table>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendRow(StringBuilder html, Evaluation evaluation)
    {
        var decision = evaluation.Decision;
        var (cssClass, verdict) = decision.Allowed ? ("allowed", "allowed") : ("denied", decision.Effect == PolicyEffect.ExplicitDeny ? "denied (explicit deny)" : "denied");
        html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(evaluation.Action)}</code></td><td><code>{E(evaluation.Resource)}</code></td>");
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"{cssClass}\">{verdict}</td><td>{E(Describe(decision))}</td></tr>");
    }

    private static string Describe(AuthorizationDecision decision) => decision.DecidingStatement is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s.PolicySource}, statement {s.StatementIndex}{(s.Sid is null ? string.Empty : " (Sid " + s.Sid + ")")}")
        : "no statement matched (" + decision.Reason + ")";

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
