import t from "tap";
import { ConfigError } from "@optout/core";
import { loadConfig } from "@optout/config";

t.test("defaults apply and values are typed and frozen", async (t) => {
  const c = loadConfig(["natsUrl", "apiPort", "webhookAllowPrivateNetworks", "bloomFalsePositiveRate"], {});
  t.same(c, {
    natsUrl: "nats://127.0.0.1:4222",
    apiPort: 3000,
    webhookAllowPrivateNetworks: false,
    bloomFalsePositiveRate: 0.001,
  });
  t.ok(Object.isFrozen(c));
  const d = loadConfig(["apiPort", "webhookAllowPrivateNetworks"], {
    API_PORT: "0",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
  });
  t.same(d, { apiPort: 0, webhookAllowPrivateNetworks: true });
});

t.test("every problem is reported at once, naming the variable and what to do", async (t) => {
  try {
    loadConfig(["adminToken", "apiPort", "databaseUrl", "namespace"], {
      API_PORT: "eighty",
      DATABASE_URL: "not a url",
      OPTOUT_NAMESPACE: "Bad.NS",
    });
    t.fail("should throw");
  } catch (err) {
    t.ok(err instanceof ConfigError);
    const message = (err as Error).message;
    t.match(message, /OPTOUT_ADMIN_TOKEN is not set: export it/);
    t.match(message, /API_PORT="eighty" is invalid/);
    t.match(message, /DATABASE_URL=<secret> is invalid \(is not a URL\)/, "secret values are not echoed");
    t.match(message, /OPTOUT_NAMESPACE="Bad.NS" is invalid/);
  }
});

t.test("out-of-range numbers are refused", async (t) => {
  t.throws(
    () => loadConfig(["apiPort"], { API_PORT: "70000" }),
    /API_PORT="70000" is invalid \(must be <= 65535\)/,
  );
});
