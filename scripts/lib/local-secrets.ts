/**
 * The secrets `npm start` generates (the admin token, EMAIL_TOKEN_SECRET, ERASURE_HASH_SECRET), kept
 * between runs in
 * an ignored local file: the email unsubscribe links already sent carry tokens signed with
 * EMAIL_TOKEN_SECRET, erased people are suppressed under a hash keyed with ERASURE_HASH_SECRET, and a new secret on every run would break every one of them (and a new
 * admin token every script and bookmark). The file is created with mode 0600, is listed in
 * .gitignore, and is read again on the next run; an environment variable still wins.
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Where the secrets are kept unless OPTOUT_LOCAL_SECRETS_FILE says otherwise: the repository root. */
export const DEFAULT_LOCAL_SECRETS_FILE = fileURLToPath(new URL("../../.optout-local.json", import.meta.url));

export interface LocalSecrets {
  adminToken: string;
  emailTokenSecret: string;
  erasureHashSecret: string;
}

/** What this run uses, and where each value came from. */
export interface ResolvedSecrets extends LocalSecrets {
  file: string;
  adminTokenFrom: "env" | "file" | "generated";
  emailTokenSecretFrom: "env" | "file" | "generated";
  erasureHashSecretFrom: "env" | "file" | "generated";
}

/** Every secret the file keeps. */
const SECRET_NAMES = ["adminToken", "emailTokenSecret", "erasureHashSecret"] as const;

async function readSecretsFile(file: string): Promise<Partial<LocalSecrets>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `${file} is not JSON: fix it, or delete it to generate new secrets (links already sent by email will stop working)`,
    );
  }
  const out: Partial<LocalSecrets> = {};
  const record = (parsed ?? {}) as Record<string, unknown>;
  // Only values the configuration would accept (16+ characters, no spaces).
  for (const name of SECRET_NAMES) {
    const value = record[name];
    if (typeof value === "string" && /^\S{16,}$/.test(value)) out[name] = value;
  }
  return out;
}

/** Write atomically (a temporary file renamed over it), readable by the owner only. */
async function writeSecretsFile(file: string, secrets: Partial<LocalSecrets>): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  // The mode is applied at creation, under the umask: set it exactly.
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

const GENERATORS: Record<keyof LocalSecrets, () => string> = {
  adminToken: () => randomBytes(24).toString("hex"),
  emailTokenSecret: () => randomBytes(32).toString("hex"),
  erasureHashSecret: () => randomBytes(32).toString("hex"),
};
const ENV_NAMES: Record<keyof LocalSecrets, string> = {
  adminToken: "OPTOUT_ADMIN_TOKEN",
  emailTokenSecret: "EMAIL_TOKEN_SECRET",
  erasureHashSecret: "ERASURE_HASH_SECRET",
};

/**
 * The secrets for this run: from the environment when set (never written to the file), else
 * from the file, else generated and added to the file for the next runs.
 */
export async function resolveLocalSecrets(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedSecrets> {
  const file = env.OPTOUT_LOCAL_SECRETS_FILE || DEFAULT_LOCAL_SECRETS_FILE;
  const stored = await readSecretsFile(file);
  const next: Partial<LocalSecrets> = { ...stored };
  const values = {} as LocalSecrets;
  const from = {} as Record<keyof LocalSecrets, ResolvedSecrets["adminTokenFrom"]>;
  for (const name of SECRET_NAMES) {
    const fromEnv = env[ENV_NAMES[name]];
    if (fromEnv) {
      values[name] = fromEnv;
      from[name] = "env";
    } else if (stored[name] !== undefined) {
      values[name] = stored[name];
      from[name] = "file";
    } else {
      values[name] = next[name] = GENERATORS[name]();
      from[name] = "generated";
    }
  }
  if (SECRET_NAMES.some((name) => from[name] === "generated")) await writeSecretsFile(file, next);
  return {
    file,
    ...values,
    adminTokenFrom: from.adminToken,
    emailTokenSecretFrom: from.emailTokenSecret,
    erasureHashSecretFrom: from.erasureHashSecret,
  };
}
