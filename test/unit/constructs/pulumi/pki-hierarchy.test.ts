import { PkiHierarchy } from "../../../../constructs/pulumi/pki-hierarchy";
import { registered, settle, useMocks, valueOf } from "./pulumi-harness";

describe("PkiHierarchy", () => {
  it("names children after the hierarchy and parents them to it", async () => {
    await useMocks();
    const pki = new PkiHierarchy("pki", {
      root: { mountPath: "root", commonName: "Root", ttl: "87600h" },
      intermediates: [
        {
          mountPath: "issuing",
          commonName: "I",
          ttl: "43800h",
          maxLeaseTtl: "8760h",
          roles: [{ roleName: "web", template: "server", ttl: "24h", allowAnyName: true }],
        },
      ],
    });
    await settle();
    expect(
      registered()
        .filter((r) => !r.custom)
        .map((r) => r.name),
    ).toEqual(["pki", "pki-root", "pki-issuing", "pki-issuing-role-web"]);
    expect(await valueOf(pki.root.urn)).toMatch(/vaultsmith:pki:PkiHierarchy\$vaultsmith:pki:RootCa::pki-root$/);
    expect([...pki.roles.keys()]).toEqual(["web"]);
  });

  it("refuses a role declared on two intermediates before registering anything", async () => {
    await useMocks();
    const role = { roleName: "web", template: "server" as const, ttl: "24h", allowAnyName: true };
    expect(
      () =>
        new PkiHierarchy("pki", {
          root: { mountPath: "root", commonName: "Root", ttl: "87600h" },
          intermediates: [
            { mountPath: "a", commonName: "A", ttl: "100h", maxLeaseTtl: "100h", roles: [role] },
            { mountPath: "b", commonName: "B", ttl: "100h", maxLeaseTtl: "100h", roles: [role] },
          ],
        }),
    ).toThrow('role "web" is declared on two intermediates');
    await settle();
    expect(registered()).toEqual([]);
  });
});
