import { IntermediateCa } from "../../../../constructs/pulumi/intermediate-ca";
import { RootCa } from "../../../../constructs/pulumi/root-ca";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks, valueOf } from "./pulumi-harness";

describe("IntermediateCa", () => {
  it("is signed on the root's mount and issuer (Outputs of the root's resources) and sets its default issuer", async () => {
    await useMocks();
    const stack = new VaultStack("test", { target: { edition: "openbao", version: "2.6.1" } });
    const root = new RootCa("root", { mountPath: "pki-root", commonName: "Root", ttl: "87600h" }, { parent: stack });
    const ca = new IntermediateCa(
      "issuing",
      { root, mountPath: "pki", commonName: "Issuing", ttl: "43800h", maxLeaseTtl: "8760h" },
      { parent: stack },
    );
    const role = ca.addRole("role-web", { roleName: "web", template: "server", ttl: "24h", allowedDomains: ["example.com"] });
    await settle();
    const byName = new Map(registered().map((r) => [r.name, r]));
    expect(byName.get("issuing-signed")?.inputs).toMatchObject({
      backend: "ref:root-mount.path",
      issuerRef: "ref:root-cert.issuer_id",
      csr: "ref:issuing-csr.csr",
    });
    expect(byName.get("issuing-set-signed")?.inputs).toMatchObject({
      backend: "ref:issuing-mount.path",
      certificate: "ref:issuing-signed.certificate_bundle",
    });
    expect(byName.get("issuing-default-issuer")?.inputs).toMatchObject({ default: "ref:issuing-set-signed.imported_issuers[0]" });
    expect(byName.get("issuing-role-web-role")?.inputs).toMatchObject({
      backend: "ref:issuing-mount.path",
      issuerRef: "ref:issuing-set-signed.imported_issuers[0]",
    });
    // The mock monitor's URNs carry the parent's type only (the engine's carry the whole chain).
    expect(await valueOf(role.urn)).toMatch(/::vaultsmith:pki:IntermediateCa\$vaultsmith:pki:PkiRole::issuing-role-web$/);
    expect([ca.mountPath, ca.maxLeaseTtlSeconds, ca.ttlSeconds]).toEqual(["pki", 31536000, 157680000]);
  });
});
