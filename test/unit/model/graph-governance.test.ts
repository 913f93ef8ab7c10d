import { AttrRef, toPlain } from "../../../model/graph";
import { aclPolicyDescriptor } from "../../../model/kinds/acl-policy";
import { auditDeviceDescriptor, auditDeviceSchema } from "../../../model/kinds/audit-device";
import { namespaceDescriptor, namespaceSchema } from "../../../model/kinds/namespace";
import {
  leaseCountQuotaDescriptor,
  rateLimitQuotaDescriptor,
  leaseCountQuotaSchema,
  rateLimitQuotaSchema,
} from "../../../model/kinds/quotas";
import { sentinelPolicyDescriptor, sentinelPolicySchema } from "../../../model/kinds/sentinel-policy";

describe("governance descriptors", () => {
  it("ACL policy HCL comes from the shared renderer, at synthesis time", () => {
    const rules = [{ path: "secret/data/app/*", capabilities: ["read" as const] }];
    const doc = { name: "app", rules };
    const d = aclPolicyDescriptor("app", () => doc, { owner: "policy-app" });
    rules.push({ path: "transit/encrypt/k", capabilities: ["read"] });
    expect(toPlain([d])[0].attributes).toEqual({
      name: "app",
      policy: 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n\npath "transit/encrypt/k" {\n  capabilities = ["read"]\n}\n',
    });
  });

  it("Sentinel: EGP with sorted paths, RGP without", () => {
    const egp = sentinelPolicySchema.parse({
      name: "business-hours",
      kind: "egp",
      paths: ["secret/*", "pki/issue/*"],
      enforcementLevel: "soft-mandatory",
      policy: "main = rule { true }",
    });
    expect(sentinelPolicyDescriptor(egp, { owner: "s" })).toEqual({
      type: "vault_egp_policy",
      id: "s.policy",
      attributes: {
        name: "business-hours",
        paths: ["pki/issue/*", "secret/*"],
        enforcement_level: "soft-mandatory",
        policy: "main = rule { true }",
      },
    });
    const rgp = sentinelPolicySchema.parse({
      name: "mfa",
      kind: "rgp",
      enforcementLevel: "hard-mandatory",
      policy: "main = rule { true }",
    });
    expect(sentinelPolicyDescriptor(rgp, { owner: "s" }).type).toBe("vault_rgp_policy");
    expect(sentinelPolicyDescriptor(rgp, { owner: "s" }).attributes.paths).toBeUndefined();
    expect(sentinelPolicySchema.safeParse({ ...rgp, enforcementLevel: "strict" }).success).toBe(false);
  });

  it("namespaces nest through the parent's path_fq", () => {
    const parent = namespaceDescriptor(namespaceSchema.parse({ path: "tenant-a" }), undefined, { owner: "ns-a" });
    const child = namespaceDescriptor(namespaceSchema.parse({ path: "team", customMetadata: { owner: "x" } }), parent.pathFq, {
      owner: "ns-a/ns-team",
    });
    expect(parent.resource.attributes).toEqual({ path: "tenant-a" });
    expect(child.resource.attributes).toEqual({
      path: "team",
      namespace: new AttrRef("ns-a.namespace", "path_fq"),
      custom_metadata: { owner: "x" },
    });
    expect(namespaceSchema.safeParse({ path: "a/b" }).success).toBe(false);
  });

  it("quotas in seconds", () => {
    expect(
      rateLimitQuotaDescriptor(rateLimitQuotaSchema.parse({ name: "global", rate: 100, interval: "1m", blockInterval: "5m" }), {
        owner: "q",
      }).attributes,
    ).toEqual({
      name: "global",
      path: "",
      rate: 100,
      interval: 60,
      block_interval: 300,
    });
    expect(
      leaseCountQuotaDescriptor(leaseCountQuotaSchema.parse({ name: "leases", path: "database/", maxLeases: 1000 }), { owner: "q" }),
    ).toEqual({
      type: "vault_quota_lease_count",
      id: "q.quota",
      attributes: { name: "leases", path: "database/", max_leases: 1000 },
    });
  });

  it("audit devices: file and socket options as strings", () => {
    expect(
      auditDeviceDescriptor(auditDeviceSchema.parse({ type: "file", filePath: "/var/log/vault/audit.log", mode: "0600" }), { owner: "a" })
        .attributes,
    ).toEqual({
      type: "file",
      path: "file",
      local: false,
      options: { file_path: "/var/log/vault/audit.log", mode: "0600", format: "json" },
    });
    expect(
      auditDeviceDescriptor(
        auditDeviceSchema.parse({
          type: "socket",
          path: "siem",
          address: "siem.example.com:9090",
          writeTimeout: "5s",
          hmacAccessor: false,
        }),
        { owner: "a" },
      ).attributes,
    ).toEqual({
      type: "socket",
      path: "siem",
      local: false,
      options: { address: "siem.example.com:9090", socket_type: "tcp", write_timeout: "5s", format: "json", hmac_accessor: "false" },
    });
    expect(auditDeviceSchema.safeParse({ type: "syslog" }).success).toBe(false);
  });
});
