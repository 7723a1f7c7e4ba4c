// Drives the AWS SDK for JavaScript v3 against a local Portal for the end-to-end client tests.
//
// Usage: /usr/bin/node driver.mjs <sts|iam> <Operation> [<params json>]
//
// Credentials: AWS_PROFILE set -> fromIni (role_arn/source_profile chains use the profile's endpoint_url for their
// inner STS client, RECIPE.md 3.2); otherwise the environment variables. The endpoint comes from PORTAL_ENDPOINT.
// JS does no client-side range checks (RECIPE.md 8.9), so whatever the test passes reaches the server.
// Prints one JSON object: {"ok": true, "result": ...} or {"ok": false, "code", "message", "status", "kind"}.
import * as sts from "@aws-sdk/client-sts";
import * as iam from "@aws-sdk/client-iam";
import { fromEnv, fromIni } from "@aws-sdk/credential-providers";

const [service, operation, paramsJson] = process.argv.slice(2);
const params = paramsJson ? JSON.parse(paramsJson) : {};
const modules = { sts: [sts, sts.STSClient], iam: [iam, iam.IAMClient] };
const [module, Client] = modules[service];
const Command = module[`${operation}Command`];
if (!Command) {
  throw new Error(`unknown operation ${service}:${operation}`);
}

const credentials = process.env.AWS_PROFILE ? fromIni({ profile: process.env.AWS_PROFILE }) : fromEnv();
const client = new Client({
  region: process.env.AWS_DEFAULT_REGION,
  endpoint: process.env.PORTAL_ENDPOINT,
  credentials,
  maxAttempts: 1,
});

try {
  const result = await client.send(new Command(params));
  delete result.$metadata;
  // Blobs (CreateVirtualMFADevice's Base32StringSeed) arrive as bytes; print them as the text they carry.
  console.log(JSON.stringify({ ok: true, result }, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : v)));
} catch (e) {
  if (e.$metadata === undefined) {
    throw e;
  }
  // e.Code is the wire code; e.name the modeled exception class (e.g. MalformedPolicyDocumentException).
  console.log(JSON.stringify({ ok: false, kind: "service", code: e.Code ?? e.name, exception: e.name, message: e.message, status: e.$metadata.httpStatusCode ?? null }));
}
