import { Testing } from "cdktf";
import { PkiHierarchy } from "../../../../constructs/cdktf/pki-hierarchy";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, resourcesOf, synth } from "./synth-helpers";

describe("PkiHierarchy", () => {
  it("root, intermediate and roles in one construct", () => {
    const json = synth((stack) => {
      const pki = new PkiHierarchy(stack, "pki", {
        root: { mountPath: "pki-root", commonName: "Root", ttl: "87600h" },
        intermediates: [
          {
            mountPath: "pki",
            commonName: "Issuing",
            ttl: "43800h",
            maxLeaseTtl: "8760h",
            roles: [
              { roleName: "server-cert", template: "server", ttl: "720h", allowedDomains: ["example.com"] },
              { roleName: "client-cert", template: "client", ttl: "720h", allowedDomains: ["example.com"] },
            ],
          },
        ],
      });
      expect([...pki.roles.keys()]).toEqual(["server-cert", "client-cert"]);
      expect(pki.intermediates.get("pki")?.ttlSeconds).toBe(157_680_000);
    });
    expect(resourcesOf(json, "vault_mount").map((m) => m.path)).toEqual(expect.arrayContaining(["pki", "pki-root"]));
    expect(resourcesOf(json, "vault_pki_secret_backend_role")).toHaveLength(2);
    expect(
      Object.keys(json.resource!.vault_pki_secret_backend_role).every((id) => /^pki_role-(server|client)-cert_role_[0-9A-F]+$/.test(id)),
    ).toBe(true);
  });

  it("validates the hierarchy as a whole, naming the hierarchy path", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(
      () =>
        new PkiHierarchy(stack, "pki", {
          root: { mountPath: "pki-root", commonName: "Root", ttl: "8760h" },
          intermediates: [
            {
              mountPath: "pki",
              commonName: "I",
              ttl: "9000h",
              maxLeaseTtl: "9000h",
              roles: [{ roleName: "r", template: "server", ttl: "9999h", allowAnyName: true }],
            },
          ],
        }),
    ).toThrow(
      /^3 problems:\n {2}- PkiHierarchy\(pki\)\.intermediates\[0\]\.ttl: intermediate TTL .*\n {2}- PkiHierarchy\(pki\)\.intermediates\[0\]\.roles\[0\]\.ttl: role TTL/,
    );
  });
});
