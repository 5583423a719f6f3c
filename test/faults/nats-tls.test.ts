/**
 * NATS over TLS with the NATS_TLS_* variables: a throw-away nats-server that requires TLS and
 * verifies client certificates (a CA made for the test with openssl). A process with the CA and
 * its certificate connects; one without the CA, or without a client certificate, is refused at
 * start with a message that names the TLS variables.
 */
import t from "tap";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, NATS_SECURITY_FIELDS } from "@optout/config";
import { connectNats } from "@optout/bus";
import { DependencyUnavailableError } from "@optout/core";
import { freePort, waitFor, NATS_SERVER_BIN } from "@optout/testkit";

const dir = await mkdtemp(join(tmpdir(), "optout-nats-tls-"));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

openssl(
  "req",
  "-x509",
  ...ecKey,
  "-keyout",
  "ca.key",
  "-out",
  "ca.pem",
  "-days",
  "1",
  "-subj",
  "/CN=optout-test-ca",
);
async function issue(name: string, extensions: string): Promise<void> {
  await writeFile(file(`${name}.ext`), extensions);
  openssl("req", ...ecKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
  openssl(
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    "1",
    "-extfile",
    `${name}.ext`,
  );
}
await issue("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
await issue("client", "extendedKeyUsage=clientAuth\n");

const port = await freePort();
const monitorPort = await freePort();
await writeFile(
  file("nats.conf"),
  `tls {
  cert_file: ${JSON.stringify(file("server.pem"))}
  key_file: ${JSON.stringify(file("server.key"))}
  ca_file: ${JSON.stringify(file("ca.pem"))}
  verify: true
  timeout: 2
}
authorization { users: [ { user: "sms-inbound", password: "tls-test-password" } ] }
`,
);
const server = spawn(
  NATS_SERVER_BIN,
  ["-c", file("nats.conf"), "-a", "127.0.0.1", "-p", String(port), "-m", String(monitorPort)],
  {
    stdio: ["ignore", "pipe", "pipe"],
  },
);
let log = "";
for (const s of [server.stdout, server.stderr])
  s.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-10_000)));
const kill = () => server.kill("SIGKILL");
process.once("exit", kill);
t.teardown(async () => {
  kill();
  process.off("exit", kill);
  await rm(dir, { recursive: true, force: true });
});
await Promise.race([
  waitFor(
    "nats-server with TLS",
    async () => (await fetch(`http://127.0.0.1:${monitorPort}/healthz`)).ok,
    20_000,
    100,
  ),
  new Promise((_, reject) =>
    server.once("exit", (code) => reject(new Error(`nats-server exited with ${code}: ${log}`))),
  ),
]);

const env = {
  NATS_URL: `tls://127.0.0.1:${port}`,
  NATS_USER: "sms-inbound",
  NATS_PASSWORD: "tls-test-password",
  NATS_TLS_CA_FILE: file("ca.pem"),
  NATS_TLS_CERT_FILE: file("client.pem"),
  NATS_TLS_KEY_FILE: file("client.key"),
};
const connectWith = (vars: Record<string, string>) => {
  const config = loadConfig(["natsUrl", ...NATS_SECURITY_FIELDS], vars);
  return connectNats({ servers: config.natsUrl, name: "tls-test", security: config, timeoutMs: 3_000 });
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

t.test("with the CA and a client certificate: connected over TLS", async (t) => {
  const nc = await connectWith(env);
  t.teardown(() => nc.close());
  await nc.flush();
  const connz = (await (await fetch(`http://127.0.0.1:${monitorPort}/connz?auth=true`)).json()) as {
    connections: { name?: string; tls_version?: string; authorized_user?: string }[];
  };
  const mine = connz.connections.find((c) => c.name === "tls-test");
  t.match(mine?.tls_version, /^1\.[23]$/, `TLS ${mine?.tls_version}`);
  t.equal(mine?.authorized_user, "sms-inbound");
});

t.test("without the CA the server's certificate is not trusted", async (t) => {
  const { NATS_TLS_CA_FILE: _ca, ...rest } = env;
  const err = await failure(connectWith(rest));
  t.ok(err instanceof DependencyUnavailableError, `refused (${err?.message})`);
  t.match(err?.message, /NATS_TLS_CA_FILE/, "the message names the TLS variables");
});

t.test("without a client certificate the server refuses the connection", async (t) => {
  const { NATS_TLS_CERT_FILE: _c, NATS_TLS_KEY_FILE: _k, ...rest } = env;
  const err = await failure(connectWith(rest));
  t.ok(err, `refused (${err?.message})`);
});
