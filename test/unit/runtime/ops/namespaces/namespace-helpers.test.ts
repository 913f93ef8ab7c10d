import {
  TenantSpecError,
  checkTenantSpec,
  tenantAdminPolicy,
  tenantReaderPolicy,
} from "../../../../../runtime/ops/namespaces/tenant-provision";
import { quotaName } from "../../../../../runtime/ops/namespaces/namespace-quotas";
import { parsePolicyRules } from "../../../../../runtime/ops/namespaces/policy-explain";
import { NAMESPACE_EXPORT_FORMAT, parseNamespaceExport } from "../../../../../runtime/ops/namespaces/namespace-migration";
import { KvBackupError, parseKvBackup } from "../../../../../runtime/ops/dr/kv-backup";
import { OpsInputError } from "../../../../../runtime/ops/ops-input-error";

describe("tenant specs", () => {
  it("accepts a valid spec and names the bad field otherwise", () => {
    expect(() =>
      checkTenantSpec({
        name: "acme",
        kvMount: "kv",
        transitKeys: ["orders"],
        kvMaxVersions: 0,
        requestsPerSecond: 5,
        appTokenTtlSeconds: 60,
      }),
    ).not.toThrow();
    const field = (spec: Parameters<typeof checkTenantSpec>[0]): string => {
      try {
        checkTenantSpec(spec);
      } catch (e) {
        return (e as TenantSpecError).field;
      }
      return "none";
    };
    expect(field({ name: "Acme" })).toBe("name");
    expect(field({ name: "acme", kvMount: "a/b" })).toBe("kvMount");
    expect(field({ name: "acme", transitKeys: ["Bad Key"] })).toBe("transitKeys");
    expect(field({ name: "acme", kvMaxVersions: -1 })).toBe("kvMaxVersions");
    expect(field({ name: "acme", kvMaxVersions: 1.5 })).toBe("kvMaxVersions");
    expect(field({ name: "acme", requestsPerSecond: 0 })).toBe("requestsPerSecond");
    expect(field({ name: "acme", appTokenTtlSeconds: 0 })).toBe("appTokenTtlSeconds");
  });

  it("renders the admin and reader policies for the tenant's mount and keys", () => {
    const admin = parsePolicyRules(tenantAdminPolicy({ name: "acme", kvMount: "kv", transitKeys: ["orders"] }));
    expect(admin.map((r) => r.path)).toEqual([
      "kv/data/*",
      "kv/metadata/*",
      "kv/delete/*",
      "kv/undelete/*",
      "kv/destroy/*",
      "transit/encrypt/orders",
      "transit/decrypt/orders",
    ]);
    expect(admin[0].capabilities).toEqual(["create", "read", "update", "patch", "delete"]);
    expect(parsePolicyRules(tenantReaderPolicy({ name: "acme" }))).toEqual([
      { path: "secret/data/*", capabilities: ["read"] },
      { path: "secret/metadata/*", capabilities: ["read", "list"] },
    ]);
  });

  it("names quotas per namespace", () => {
    expect(quotaName("acme")).toBe("acme-requests");
    expect(quotaName("org/team/")).toBe("org-team-requests");
  });
});

describe("documents read back from files", () => {
  it("parses a namespace export and refuses other documents", () => {
    const doc = {
      format: NAMESPACE_EXPORT_FORMAT,
      namespace: "a",
      exportedAt: "x",
      mounts: [],
      policies: [],
      inventory: { namespace: "a", entries: [], digest: "d" },
    };
    expect(parseNamespaceExport(doc)).toBe(doc);
    expect(() => parseNamespaceExport(null)).toThrow("not a JSON object");
    expect(() => parseNamespaceExport(null)).toThrow(OpsInputError);
    expect(() => parseNamespaceExport({ ...doc, format: "x" })).toThrow("expected");
    expect(() => parseNamespaceExport({ ...doc, mounts: undefined })).toThrow("required");
  });

  it("parses a KV backup and names the bad field", () => {
    const doc = {
      format: "vaultsmith-kv-backup/1",
      mount: "secret",
      namespace: "",
      transit: { mount: "transit", key: "k" },
      createdAt: "t",
      count: 1,
      payloadSha256: "s",
      ciphertext: "vault:v1:x",
    };
    expect(parseKvBackup(doc)).toBe(doc);
    expect(() => parseKvBackup("x", "f.json")).toThrow("f.json is not a JSON object");
    expect(() => parseKvBackup({ ...doc, format: "other" })).toThrow(KvBackupError);
    expect(() => parseKvBackup({ ...doc, ciphertext: 1 })).toThrow('"ciphertext"');
    expect(() => parseKvBackup({ ...doc, transit: { mount: "t" } })).toThrow('"transit"');
    expect(() => parseKvBackup({ ...doc, count: "1" })).toThrow('"count"');
  });
});
