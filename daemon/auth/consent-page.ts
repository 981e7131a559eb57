/** The consent page for dynamically registered clients: who asks, where the code will go, approve or deny. */

export interface ConsentView {
  readonly clientName: string;
  readonly redirectUri: string;
  readonly provider: string;
  readonly consent: string;
  readonly action: string;
}

export function consentPage(view: ConsentView): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${e(view.clientName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}code{word-break:break-all}button{margin-right:1rem;padding:.5rem 1.5rem}</style>
</head><body>
<h1>Authorize access</h1>
<p>The application <strong>${e(view.clientName)}</strong> wants to use this MCP server on your behalf.</p>
<p>After you sign in with <strong>${e(view.provider)}</strong>, you will be sent back to <code>${e(view.redirectUri)}</code>.</p>
<p>Approve only if you started this and you trust that address.</p>
<form method="post" action="${e(view.action)}">
<input type="hidden" name="consent" value="${e(view.consent)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
