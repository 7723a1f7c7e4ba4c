// Test-only OpenID Connect provider for Portal's browser end-to-end tests (oidc-provider 9.13.3).
// Two clients: "portal" (confidential, the portal's sign-in, code + PKCE) and "sts-cli" (public, code + PKCE, whose
// ID token the tests pass to AssumeRoleWithWebIdentity). Static users; a minimal login page of our own; consent is
// granted automatically (both clients are first-party).
//
// Environment:
//   OIDC_PORT                  listen port on 127.0.0.1 (the issuer is http://127.0.0.1:PORT)
//   OIDC_PORTAL_REDIRECT_URIS  comma-separated redirect URIs of the "portal" client
//   OIDC_STS_REDIRECT_URI      redirect URI of the "sts-cli" client
//   OIDC_JWKS_FILE             where the RS256 signing key is generated (a temporary directory; never committed)
//   OIDC_USER_SUFFIX           appended to display names, so two instances can be told apart on the /me page
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
};

const port = Number(required('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;
const portalRedirectUris = required('OIDC_PORTAL_REDIRECT_URIS').split(',');
const stsRedirectUri = required('OIDC_STS_REDIRECT_URI');
const jwksFile = required('OIDC_JWKS_FILE');
const suffix = process.env.OIDC_USER_SUFFIX ?? '';

if (!fs.existsSync(jwksFile)) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `e2e-${port}`, alg: 'RS256', use: 'sig' };
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
}

const users = {
  alice: {
    password: 'alice-pw',
    claims: { sub: 'e2e-user-alice', name: `Alice Admin${suffix}`, preferred_username: 'alice', email: 'alice@example.test', email_verified: true, groups: ['portal-admins', 'staff'] },
  },
  bob: {
    password: 'bob-pw',
    claims: { sub: 'e2e-user-bob', name: `Bob User${suffix}`, preferred_username: 'bob', email: 'bob@example.test', email_verified: true, groups: ['staff'] },
  },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'portal',
      client_secret: 'portal-e2e-secret',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: portalRedirectUris,
    },
    {
      client_id: 'sts-cli',
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [stsRedirectUri],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'email', 'groups'],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  jwks: JSON.parse(fs.readFileSync(jwksFile, 'utf8')),
  // The subject has at least 6 characters: AssumeRoleWithWebIdentity refuses shorter ones, as AWS does.
  async findAccount(ctx, id) {
    const user = Object.values(users).find((u) => u.claims.sub === id);
    return user ? { accountId: id, async claims() { return { ...user.claims }; } } : undefined;
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid, error) => `<!doctype html><html><head><title>E2E IdP sign-in</title></head><body>
<h1>E2E IdP sign-in (${escape(issuer)})</h1>${error ? `<p id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input id="username" name="username" autocomplete="off" autofocus></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="signin" type="submit">Sign in</button></form></body></html>`;

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) {
      callback(req, res);
      return;
    }
    const { uid, prompt, params, session, grantId } = await provider.interactionDetails(req, res);
    if (prompt.name === 'consent') {
      const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) {
        grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      }
      if (prompt.details.missingOIDCClaims) {
        grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      }
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      const user = users[form.get('username')];
      if (!user || user.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        res.end(loginPage(uid, 'Invalid username or password'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.claims.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(loginPage(uid));
  } catch (err) {
    console.error(err);
    res.writeHead(500);
    res.end(String(err?.message ?? err));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider ${issuer} listening`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
