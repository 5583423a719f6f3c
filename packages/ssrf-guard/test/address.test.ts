import t from "tap";
import { request } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DependencyUnavailableError } from "@optout/core";
import {
  checkWebhookUrl,
  classifyAddress,
  pinnedLookup,
  resolveTarget,
  UrlRefusedError,
} from "../src/index.js";

t.test("IPv4 ranges", async (t) => {
  const cases: Array<[string, string]> = [
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["100.128.0.1", "public"],
    ["169.254.169.254", "link_local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    ["11.0.0.1", "public"],
  ];
  for (const [ip, kind] of cases) t.equal(classifyAddress(ip), kind, ip);
});

t.test("IPv6 ranges, including IPv4 addresses embedded in IPv6", async (t) => {
  const cases: Array<[string, string]> = [
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf::1", "link_local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["2002:c0a8:0101::1", "private"],
    ["2606:4700:4700::1111", "public"],
    ["2001:db8::1", "public"],
    ["[::1]", "loopback"],
    ["not-an-ip", "invalid"],
  ];
  for (const [ip, kind] of cases) t.equal(classifyAddress(ip), kind, ip);
});

t.test("resolveTarget refuses non-http schemes and private destinations unless allowed", async (t) => {
  const resolver = async (host: string) =>
    host === "internal.example"
      ? [{ address: "10.0.0.5", family: 4 }]
      : host === "mixed.example"
        ? [
            { address: "93.184.216.34", family: 4 },
            { address: "::1", family: 6 },
          ]
        : [{ address: "93.184.216.34", family: 4 }];
  for (const url of [
    "ftp://example.com/x",
    "file:///etc/passwd",
    "gopher://x",
    "javascript:alert(1)",
    "not a url",
  ]) {
    await t.rejects(resolveTarget(url, { allowPrivateNetworks: true, resolver }), UrlRefusedError, url);
  }
  for (const url of [
    "http://127.0.0.1:8080/h",
    "http://[::1]/h",
    "http://internal.example/h",
    "https://mixed.example/h",
    "http://169.254.169.254/latest/meta-data",
  ]) {
    await t.rejects(resolveTarget(url, { allowPrivateNetworks: false, resolver }), UrlRefusedError, url);
  }
  const ok = await resolveTarget("https://public.example/h", { allowPrivateNetworks: false, resolver });
  t.same(ok.addresses, [{ address: "93.184.216.34", family: 4 }]);
  t.equal(ok.hostname, "public.example");
  const allowed = await resolveTarget("http://internal.example/h", { allowPrivateNetworks: true, resolver });
  t.equal(allowed.addresses[0]?.address, "10.0.0.5", "allowed by configuration");
  await t.rejects(
    resolveTarget("https://nowhere.invalid/h", {
      allowPrivateNetworks: false,
      resolver: async () => Promise.reject(Object.assign(new Error("x"), { code: "ENOTFOUND" })),
    }),
    DependencyUnavailableError,
    "a DNS failure is transient",
  );
  const refused = await resolveTarget("http://127.0.0.1/", { allowPrivateNetworks: false }).catch(
    (e: UrlRefusedError) => e,
  );
  t.equal((refused as UrlRefusedError).reason, "loopback");
  t.match((refused as UrlRefusedError).message, /WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
});

t.test("checkWebhookUrl: refuses private and bad schemes, accepts what it cannot resolve", async (t) => {
  await t.rejects(
    checkWebhookUrl("http://localhost:9/x", { allowPrivateNetworks: false }),
    UrlRefusedError,
    "localhost resolves to loopback",
  );
  await t.rejects(checkWebhookUrl("ftp://example.com", { allowPrivateNetworks: true }), UrlRefusedError);
  await checkWebhookUrl("http://127.0.0.1/x", { allowPrivateNetworks: true });
  await checkWebhookUrl("https://unresolvable.invalid/x", {
    allowPrivateNetworks: false,
    resolver: async () => Promise.reject(Object.assign(new Error("x"), { code: "ENOTFOUND" })),
  });
  await checkWebhookUrl("https://slow.example/x", {
    allowPrivateNetworks: false,
    timeoutMs: 20,
    resolver: () => new Promise(() => undefined),
  });
  t.pass("unresolvable and slow hosts are accepted up front");
});

t.test("pinnedLookup: the connection goes to the checked address whatever the host name", async (t) => {
  const server = createServer((req, res) => res.end(`host=${req.headers.host}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as AddressInfo).port;
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: "rebinding.example",
        port,
        path: "/",
        lookup: pinnedLookup([{ address: "127.0.0.1", family: 4 }]),
      },
      (res) => {
        let data = "";
        res.on("data", (c: Buffer) => (data += c.toString()));
        res.on("end", () => resolve(data));
      },
    );
    req.on("error", reject);
    req.end();
  });
  t.equal(
    body,
    `host=rebinding.example:${port}`,
    "Host header keeps the name; the socket used the pinned address",
  );
});
