import t, { type Test } from "tap";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nkeys } from "@nats-io/nats-core";
import { ConfigError } from "@optout/core";
import { loadConfig, NATS_SECURITY_FIELDS } from "@optout/config";
import { natsSecurityOptions } from "@optout/bus";

const dir = await mkdtemp(join(tmpdir(), "optout-nats-security-"));
t.teardown(() => rm(dir, { recursive: true, force: true }));

const user = nkeys.createUser();
const seed = new TextDecoder().decode(user.getSeed());
const seedFile = join(dir, "seed");
await writeFile(seedFile, `${seed}\n`);
const credsFile = join(dir, "optout.creds");
await writeFile(
  credsFile,
  `-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig\n------END NATS USER JWT------\n\n` +
    `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`,
);
const pem = join(dir, "ca.pem");
await writeFile(pem, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

/** The ConfigError a configuration is refused with (fails the test when it is accepted). */
function refusal(t: Test, config: Parameters<typeof natsSecurityOptions>[0], servers?: string): string {
  try {
    natsSecurityOptions(config, servers);
  } catch (err) {
    t.ok(err instanceof ConfigError, "a ConfigError");
    return (err as Error).message;
  }
  t.fail("accepted");
  return "";
}

t.test("nothing set: no credentials, TLS only if the server asks", async (t) => {
  t.same(natsSecurityOptions({}, "nats://127.0.0.1:4222"), { auth: "none" });
  t.same(natsSecurityOptions(undefined), { auth: "none" });
});

t.test("user and password, token", async (t) => {
  t.same(natsSecurityOptions({ natsUser: "sms-inbound", natsPassword: "p" }), {
    auth: "user sms-inbound",
    user: "sms-inbound",
    pass: "p",
  });
  t.same(natsSecurityOptions({ natsToken: "tok" }), { auth: "token", token: "tok" });
  t.match(refusal(t, { natsUser: "sms-inbound" }), /NATS_USER=sms-inbound is set but NATS_PASSWORD is not/);
  const noUser = refusal(t, { natsPassword: "hunter2" });
  t.match(noUser, /NATS_PASSWORD is set but NATS_USER is not/);
  t.notMatch(noUser, /hunter2/, "the password is not echoed");
});

t.test("NKey seed, as a value or a file", async (t) => {
  const fromValue = natsSecurityOptions({ natsNkeySeed: seed });
  t.equal(fromValue.auth, "nkey");
  const signed = fromValue.authenticator?.("nonce") as { nkey?: string; sig?: string } | undefined;
  t.equal(signed?.nkey, user.getPublicKey(), "signs as the seed's public key");
  const fromFile = natsSecurityOptions({ natsNkeySeedFile: seedFile });
  t.equal((fromFile.authenticator?.("nonce") as { nkey?: string } | undefined)?.nkey, user.getPublicKey());
  const bad = refusal(t, { natsNkeySeed: "SUNOTASEED" });
  t.match(bad, /NATS_NKEY_SEED does not hold a valid NKey user seed/);
  t.notMatch(bad, /SUNOTASEED/, "the seed is not echoed");
  t.match(
    refusal(t, { natsNkeySeedFile: join(dir, "missing") }),
    /NATS_NKEY_SEED_FILE=.*missing cannot be read \(ENOENT\)/,
  );
});

t.test(".creds file", async (t) => {
  const creds = natsSecurityOptions({ natsCredsFile: credsFile });
  t.equal(creds.auth, "creds");
  const auth = creds.authenticator?.("nonce") as { jwt?: string; nkey?: string } | undefined;
  t.match(auth?.jwt, /^eyJ0eXAi/, "the JWT is sent");
  t.equal(auth?.nkey, user.getPublicKey());
  t.match(
    refusal(t, { natsCredsFile: join(dir, "nope.creds") }),
    /NATS_CREDS_FILE=.*nope\.creds cannot be read \(ENOENT\): mount the file there or fix the path/,
  );
  t.match(refusal(t, { natsCredsFile: seedFile }), /NATS_CREDS_FILE=.* is not a \.creds file/);
});

t.test("only one way to authenticate", async (t) => {
  t.match(
    refusal(t, { natsUser: "a", natsPassword: "b", natsCredsFile: credsFile }),
    /more than one way \(NATS_USER\/NATS_PASSWORD, NATS_CREDS_FILE\): set only one/,
  );
  t.match(refusal(t, { natsToken: "x", natsNkeySeed: seed }), /NATS_TOKEN, NATS_NKEY_SEED/);
});

t.test("TLS: files checked, tls:// requires TLS", async (t) => {
  t.same(natsSecurityOptions({}, "tls://nats.example:4222").tls, {}, "tls:// alone requires TLS");
  t.same(natsSecurityOptions({}, "nats://a:4222, TLS://b:4222").tls, {}, "any tls:// server");
  t.same(natsSecurityOptions({ natsTlsCaFile: pem }).tls, { caFile: pem });
  t.same(natsSecurityOptions({ natsTlsCaFile: pem, natsTlsCertFile: pem, natsTlsKeyFile: pem }).tls, {
    caFile: pem,
    certFile: pem,
    keyFile: pem,
  });
  t.match(
    refusal(t, { natsTlsCaFile: join(dir, "ca-missing.pem") }),
    /NATS_TLS_CA_FILE=.*ca-missing\.pem cannot be read/,
  );
  t.match(refusal(t, { natsTlsCertFile: pem }), /NATS_TLS_CERT_FILE is set but NATS_TLS_KEY_FILE is not/);
  t.match(refusal(t, { natsTlsKeyFile: pem }), /NATS_TLS_KEY_FILE is set but NATS_TLS_CERT_FILE is not/);
});

t.test("the variables load through @optout/config; secrets are never echoed", async (t) => {
  const config = loadConfig(["natsUrl", ...NATS_SECURITY_FIELDS], {
    NATS_URL: "tls://nats:4222",
    NATS_USER: "edge",
    NATS_PASSWORD: "s3cret",
    NATS_TLS_CA_FILE: pem,
  });
  t.same(config, {
    natsUrl: "tls://nats:4222",
    natsUser: "edge",
    natsPassword: "s3cret",
    natsTlsCaFile: pem,
  });
  t.same(natsSecurityOptions(config, config.natsUrl), {
    auth: "user edge",
    user: "edge",
    pass: "s3cret",
    tls: { caFile: pem },
  });
  t.throws(
    () => loadConfig(["natsNkeySeed"], { NATS_NKEY_SEED: "SUA-not-a-seed" }),
    /NATS_NKEY_SEED=<secret> is invalid/,
  );
});
