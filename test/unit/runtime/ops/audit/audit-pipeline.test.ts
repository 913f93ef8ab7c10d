import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { AuditParseError, parseAuditLine } from "../../../../../runtime/ops/audit/audit-entry";
import { AuditStream } from "../../../../../runtime/ops/audit/audit-stream";
import { AuditCorrelator, AuditExchange, authMethodOf, mentionsHash } from "../../../../../runtime/ops/audit/audit-correlator";
import { AlertEngine } from "../../../../../runtime/ops/audit/audit-alerts";
import { AuditStore, DEFAULT_CONTROLS, matchesPolicyPath, policyPaths } from "../../../../../runtime/ops/audit/audit-reports";
import { AuditArchive, namespaceFolder } from "../../../../../runtime/ops/audit/audit-archive";
import { createAuditPipeline } from "../../../../../runtime/ops/audit/audit-pipeline";
import { renderAuditStanza } from "../../../../../runtime/ops/audit/audit-devices";

/** Entries in the shape OpenBao 2.6.1 writes (field names as in a real file device's log). */
function entry(
  type: "request" | "response",
  o: {
    id?: string;
    path?: string;
    op?: string;
    token?: string;
    policies?: string[];
    entity?: string;
    addr?: string;
    error?: string;
    ns?: string;
    time?: string;
    granting?: string[];
    display?: string;
  },
): string {
  return JSON.stringify({
    time: o.time ?? "2026-01-01T10:00:00.000Z",
    type,
    auth: {
      client_token: o.token ?? "hmac-sha256:t1",
      display_name: o.display ?? "userpass-alice",
      policies: o.policies ?? ["default", "app"],
      entity_id: o.entity,
      policy_results: { allowed: !o.error, granting_policies: (o.granting ?? ["app"]).map((name) => ({ name, type: "acl" })) },
    },
    request: {
      id: o.id ?? "r1",
      operation: o.op ?? "read",
      path: o.path ?? "secret/data/app/x",
      namespace: { id: "root", ...(o.ns ? { path: o.ns } : {}) },
      remote_address: o.addr ?? "10.0.0.1",
    },
    ...(type === "response" ? { response: { data: { value: "hmac-sha256:v" } } } : {}),
    ...(o.error ? { error: o.error } : {}),
  });
}

function exchange(o: Parameters<typeof entry>[1]): AuditExchange {
  const c = new AuditCorrelator();
  let out: AuditExchange | undefined;
  c.on("exchange", (e: AuditExchange) => (out = e));
  c.add(parseAuditLine(entry("request", o)));
  c.add(parseAuditLine(entry("response", o)));
  return out as AuditExchange;
}

describe("audit entries and the stream", () => {
  it("parses request and response entries into typed events", () => {
    const e = parseAuditLine(entry("response", { id: "abc", entity: "e1", ns: "tenant-a/" }));
    expect(e.type).toBe("response");
    expect(e.request).toMatchObject({
      id: "abc",
      operation: "read",
      path: "secret/data/app/x",
      namespace: { path: "tenant-a/" },
      remoteAddress: "10.0.0.1",
    });
    expect(e.auth).toMatchObject({ entityId: "e1", policies: ["default", "app"], allowed: true, grantingPolicies: ["app"] });
    expect(e.type === "response" && e.responseData).toEqual({ value: "hmac-sha256:v" });
  });

  it("types a truncated line, a non-JSON line and a non-entry, and the stream carries on", () => {
    const stream = new AuditStream();
    const events: string[] = [];
    const errors: AuditParseError[] = [];
    stream.on("event", (e: { request: { id: string } }) => events.push(e.request.id));
    stream.on("parse-error", (e: AuditParseError) => errors.push(e));
    const good = entry("request", { id: "a" });
    stream.push("f", `${good.slice(0, 40)}\n`);
    stream.push("f", "hello\n");
    stream.push("f", `${JSON.stringify({ type: "other", time: "2026-01-01T00:00:00Z", request: {} })}\n`);
    stream.push(
      "f",
      `${JSON.stringify({ type: "request", time: "nope", request: {} })}\n${JSON.stringify({ type: "request", time: "2026-01-01T00:00:00Z" })}\n`,
    );
    stream.push("f", entry("request", { id: "b" }).slice(0, 30));
    stream.push("g", `${entry("request", { id: "c" })}\n`);
    stream.push("f", `${entry("request", { id: "b" }).slice(30)}\n`);
    expect(events).toEqual(["c", "b"]);
    expect(errors.map((e) => e.reason)).toEqual(["truncated", "not-json", "not-an-entry", "not-an-entry", "not-an-entry"]);
    expect(errors[0].where).toBe("f:1");
    expect(errors[0]).toBeInstanceOf(AuditParseError);
    stream.push("f", entry("request", { id: "d" }).slice(0, 50));
    stream.end("f");
    expect(errors[5].reason).toBe("truncated");
    expect(stream.stats).toEqual({ events: 2, errors: 6 });
  });
});

describe("correlation and enrichment", () => {
  it("pairs by request id, keeps the unanswered pending and reports orphans", () => {
    const c = new AuditCorrelator();
    const out: AuditExchange[] = [];
    const orphans: unknown[] = [];
    c.on("exchange", (e: AuditExchange) => out.push(e));
    c.on("orphan", (e: unknown) => orphans.push(e));
    c.add(parseAuditLine(entry("request", { id: "1" })));
    c.add(parseAuditLine(entry("request", { id: "2" })));
    c.add(parseAuditLine(entry("response", { id: "2", time: "2026-01-01T10:00:00.250Z" })));
    c.add(parseAuditLine(entry("response", { id: "9" })));
    expect(out.map((e) => e.id)).toEqual(["2"]);
    expect(out[0].durationMs).toBe(250);
    expect(c.pending.map((r) => r.request.id)).toEqual(["1"]);
    expect(orphans).toHaveLength(1);
    expect(c.completed).toBe(1);
  });

  it("pairs entries without an id first-in first-out by path, operation and token", () => {
    const c = new AuditCorrelator();
    const out: AuditExchange[] = [];
    c.on("exchange", (e: AuditExchange) => out.push(e));
    const raw = (type: "request" | "response", path: string, time: string): string => {
      const o = JSON.parse(entry(type, { path, time })) as { request: { id?: string } };
      delete o.request.id;
      return JSON.stringify(o);
    };
    c.add(parseAuditLine(raw("request", "sys/mounts/a", "2026-01-01T10:00:00.000Z")));
    c.add(parseAuditLine(raw("request", "sys/mounts/b", "2026-01-01T10:00:00.100Z")));
    c.add(parseAuditLine(raw("response", "sys/mounts/b", "2026-01-01T10:00:00.200Z")));
    c.add(parseAuditLine(raw("response", "sys/mounts/a", "2026-01-01T10:00:00.300Z")));
    expect(out.map((e) => [e.path, e.durationMs])).toEqual([
      ["sys/mounts/b", 100],
      ["sys/mounts/a", 300],
    ]);
    expect(c.pending).toEqual([]);
  });

  it("enriches: namespace, auth method, denial; finds a hash anywhere", () => {
    const ex = exchange({ ns: "team/", error: "1 error occurred:\n\t* permission denied\n\n" });
    expect(ex.namespace).toBe("team");
    expect(ex.denied).toBe(true);
    expect(ex.authMethod).toBe("userpass");
    expect([authMethodOf("root"), authMethodOf("token"), authMethodOf("approle"), authMethodOf(undefined)]).toEqual([
      "token",
      "token",
      "approle",
      undefined,
    ]);
    expect(mentionsHash(ex, "hmac-sha256:v")).toBe(true);
    expect(mentionsHash(ex, "hmac-sha256:t1")).toBe(true);
    expect(mentionsHash(ex, "hmac-sha256:zz")).toBe(false);
  });
});

describe("alert rules", () => {
  it("counts denials per token within the window, then starts over", () => {
    const engine = new AlertEngine({ permissionDenied: { threshold: 3, windowMs: 1000 }, rootTokenUse: false, newAddress: false });
    const deny = (ms: number, token = "hmac-sha256:t1") =>
      engine.evaluate(
        exchange({
          id: `d${ms}${token}`,
          token,
          error: "permission denied",
          time: new Date(Date.parse("2026-01-01T10:00:00Z") + ms).toISOString(),
        }),
      );
    expect(deny(0)).toEqual([]);
    expect(deny(100)).toEqual([]);
    expect(deny(1500)).toEqual([]); // the first two fell out of the window
    expect(deny(1600, "hmac-sha256:other")).toEqual([]);
    expect(deny(1700)).toEqual([]);
    expect(deny(1800).map((a) => a.rule)).toEqual(["repeated-permission-denied"]);
    expect(deny(1900)).toEqual([]);
    expect(() => new AlertEngine({ permissionDenied: { threshold: 0, windowMs: 1 } })).toThrow(RangeError);
  });

  it("fires nothing for an ordinary request and each rule for its case", () => {
    const engine = new AlertEngine({ knownEntities: ["e1"], breakGlass: { displayNames: ["emergency"], tokenHashes: ["hmac-sha256:bg"] } });
    expect(engine.evaluate(exchange({ entity: "e1" }))).toEqual([]);
    expect(engine.evaluate(exchange({ entity: "e1", addr: "10.0.0.9" })).map((a) => a.rule)).toEqual(["new-address"]);
    expect(engine.evaluate(exchange({ entity: "e2", token: "hmac-sha256:t2" })).map((a) => a.rule)).toEqual(["unknown-entity"]);
    expect(engine.evaluate(exchange({ token: "hmac-sha256:bg" })).map((a) => a.rule)).toEqual(["break-glass-use"]);
    expect(engine.evaluate(exchange({ token: "hmac-sha256:t3", display: "emergency" })).map((a) => a.rule)).toEqual(["break-glass-use"]);
    expect(
      engine
        .evaluate(exchange({ token: "hmac-sha256:t4", policies: ["root"], path: "sys/policies/acl/x", op: "update" }))
        .map((a) => a.rule),
    ).toEqual(["root-token-use", "policy-write"]);
    expect(engine.evaluate(exchange({ token: "hmac-sha256:t4", path: "sys/policies/acl/x", op: "read" }))).toEqual([]);
    expect(
      engine.evaluate(exchange({ token: "hmac-sha256:t4", path: "sys/policies/acl/y", op: "delete", error: "permission denied" })),
    ).toEqual([]);
  });

  it("forgets the least recently seen tokens beyond maxTrackedTokens", () => {
    const engine = new AlertEngine({ maxTrackedTokens: 1 });
    engine.evaluate(exchange({ token: "hmac-sha256:a", addr: "1.1.1.1" }));
    engine.evaluate(exchange({ token: "hmac-sha256:b", addr: "1.1.1.1" }));
    // a was forgotten: its next address is a first sighting, not a new address.
    expect(engine.evaluate(exchange({ token: "hmac-sha256:a", addr: "2.2.2.2" }))).toEqual([]);
    expect(engine.evaluate(exchange({ token: "hmac-sha256:a", addr: "3.3.3.3" })).map((a) => a.rule)).toEqual(["new-address"]);
  });
});

describe("reports", () => {
  it("matches policy path globs", () => {
    expect(matchesPolicyPath("secret/data/app/*", "secret/data/app/x/y")).toBe(true);
    expect(matchesPolicyPath("secret/data/+/config", "secret/data/a/config")).toBe(true);
    expect(matchesPolicyPath("secret/data/+/config", "secret/data/a/b/config")).toBe(false);
    expect(matchesPolicyPath("secret/data/app", "secret/data/app/x")).toBe(false);
    expect(matchesPolicyPath("a.b", "axb")).toBe(false);
    expect(policyPaths('path "a/*" { }\npath  "b" {}')).toEqual(["a/*", "b"]);
  });

  it("searches by entity, path, namespace, time; maps usage and compliance", () => {
    const store = new AuditStore(3);
    store.add(exchange({ id: "0", entity: "e0" }));
    store.add(exchange({ id: "1", entity: "e1", time: "2026-01-01T09:00:00Z" }));
    store.add(exchange({ id: "2", entity: "e2", ns: "t/", path: "sys/policies/acl/p", op: "update", granting: ["admin"] }));
    store.add(exchange({ id: "3", entity: "e1", policies: ["root"], error: "permission denied", path: "secret/data/other" }));
    expect(store.size).toBe(3);
    expect(store.search({ entityId: "e0" })).toEqual([]);
    expect(store.byRequestId("3")?.path).toBe("secret/data/other");
    expect(store.byRequestId("0")).toBeUndefined();
    expect(store.search({ entityId: "e1" }).map((e) => e.id)).toEqual(["1", "3"]);
    expect(store.search({ namespace: "t" }).map((e) => e.id)).toEqual(["2"]);
    expect(store.search({ from: new Date("2026-01-01T09:30:00Z") }).map((e) => e.id)).toEqual(["2", "3"]);
    expect(store.search({ to: new Date("2026-01-01T09:30:00Z") }).map((e) => e.id)).toEqual(["1"]);
    expect(store.search({ failed: true }).map((e) => e.id)).toEqual(["3"]);
    expect(store.search({ path: "secret/*", operations: ["read"] }).map((e) => e.id)).toEqual(["1", "3"]);
    const usage = store.usage({ app: 'path "secret/data/app/*" {}\npath "secret/data/unused/*" {}' });
    expect(usage.map((u) => [u.path, u.requests])).toEqual([
      ["secret/data/app/*", 1],
      ["secret/data/unused/*", 0],
    ]);
    expect(usage[1].lastUsed).toBeUndefined();
    const findings = store.compliance(DEFAULT_CONTROLS);
    const byId = Object.fromEntries(findings.map((f) => [f.control, f]));
    expect(byId["AC-root-use"]).toMatchObject({ evidenceCount: 1, satisfied: false, sampleRequestIds: ["3"] });
    expect(byId["AC-policy-change"]).toMatchObject({ evidenceCount: 1, satisfied: true });
    expect(byId["AU-audit-config"]).toMatchObject({ evidenceCount: 0, satisfied: true });
  });
});

describe("archive and segregation", () => {
  it("writes gzip files per namespace and hour (0600), prunes past retention", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultsmith-archive-"));
    try {
      const archive = new AuditArchive({ dir, retentionMs: 3600_000, flushEvery: 2 });
      await archive.add(exchange({ id: "a", ns: "team-a/", time: "2026-01-01T10:05:00Z" }));
      await archive.add(exchange({ id: "b", time: "2026-01-01T10:06:00Z" }));
      await archive.add(exchange({ id: "c", ns: "team-a/", time: "2026-01-01T12:00:00Z" }));
      await archive.flush();
      expect(readdirSync(dir).sort()).toEqual(["_root", "team-a"]);
      expect(readdirSync(join(dir, "team-a")).sort()).toEqual(["audit-2026010110.jsonl.gz", "audit-2026010112.jsonl.gz"]);
      const file = join(dir, "team-a", "audit-2026010110.jsonl.gz");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const lines = gunzipSync(readFileSync(file)).toString().trim().split("\n");
      expect(lines.map((l) => (JSON.parse(l) as { request: { request: { id: string } } }).request.request.id)).toEqual(["a"]);
      expect(readFileSync(join(dir, "_root", "audit-2026010110.jsonl.gz")).length).toBeGreaterThan(0);
      const deleted = await archive.prune(Date.parse("2026-01-01T12:30:00Z"));
      expect(deleted.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
        "_root/audit-2026010110.jsonl.gz",
        "team-a/audit-2026010110.jsonl.gz",
      ]);
      expect(readdirSync(join(dir, "team-a"))).toEqual(["audit-2026010112.jsonl.gz"]);
      utimesSync(dir, new Date(), new Date());
      expect(namespaceFolder("a/b/")).toBe("a__b");
      expect(() => new AuditArchive({ dir, retentionMs: 0 })).toThrow(RangeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("segregates a pipeline to its namespaces", () => {
    const p = createAuditPipeline({ namespaces: ["team-a"] });
    for (const [id, ns] of [
      ["1", "team-a/"],
      ["2", "team-b/"],
      ["3", ""],
    ] as const) {
      p.stream.push("s", `${entry("request", { id, ns })}\n${entry("response", { id, ns })}\n`);
    }
    expect(p.store?.search({}).map((e) => e.id)).toEqual(["1"]);
  });

  it("renders OpenBao's declarative audit stanza and refuses bad specs", () => {
    expect(
      renderAuditStanza({
        type: "socket",
        path: "siem",
        description: "to the SIEM",
        options: { address: "10.0.0.5:9090", socket_type: "tcp" },
      }),
    ).toBe(
      'audit "socket" "siem" {\n  description = "to the SIEM"\n  options {\n    address = "10.0.0.5:9090"\n    socket_type = "tcp"\n  }\n}\n',
    );
    expect(() => renderAuditStanza({ type: "file", path: "f", options: {} })).toThrow("file_path");
    expect(() => renderAuditStanza({ type: "socket", path: "s", options: {} })).toThrow("address");
    expect(() => renderAuditStanza({ type: "file", path: "a b", options: { file_path: "/x" } })).toThrow("path");
    expect(() => renderAuditStanza({ type: "syslog" as "file", path: "a", options: {} })).toThrow("type");
    expect(() => renderAuditStanza({ type: "file", path: "a", options: { file_path: "/x", 'x" = 1': "y" } })).toThrow("option name");
  });
});
