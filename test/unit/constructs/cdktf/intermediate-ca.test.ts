import { Testing } from "cdktf";
import { IntermediateCa } from "../../../../constructs/cdktf/intermediate-ca";
import { RootCa } from "../../../../constructs/cdktf/root-ca";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, logicalIdOf, onlyResource, resourcesOf, synth } from "./synth-helpers";

describe("IntermediateCa", () => {
  it("CSR → signed by the root object's mount and issuer → set-signed → default issuer", () => {
    const json = synth((stack) => {
      const root = new RootCa(stack, "root", { mountPath: "pki-root", commonName: "Root", ttl: "87600h" });
      new IntermediateCa(stack, "issuing", {
        root,
        mountPath: "pki",
        commonName: "Issuing",
        ttl: "43800h",
        maxLeaseTtl: "8760h",
        altNames: ["ca.example.com", "10.1.2.3"],
      });
    });
    const mounts = json.resource!.vault_mount;
    const rootMount = Object.keys(mounts).find((k) => mounts[k].path === "pki-root")!;
    const intMount = Object.keys(mounts).find((k) => mounts[k].path === "pki")!;
    expect(mounts[intMount]).toEqual({
      path: "pki",
      type: "pki",
      description: "intermediate CA Issuing",
      max_lease_ttl_seconds: 31_536_000,
    });
    const csrId = logicalIdOf(json, "vault_pki_secret_backend_intermediate_cert_request");
    expect(onlyResource(json, "vault_pki_secret_backend_intermediate_cert_request")).toEqual({
      backend: `\${vault_mount.${intMount}.path}`,
      type: "internal",
      common_name: "Issuing",
      key_type: "ec",
      key_bits: 256,
      alt_names: ["ca.example.com"],
      ip_sans: ["10.1.2.3"],
    });
    const rootCertId = logicalIdOf(json, "vault_pki_secret_backend_root_cert");
    const signId = logicalIdOf(json, "vault_pki_secret_backend_root_sign_intermediate");
    expect(onlyResource(json, "vault_pki_secret_backend_root_sign_intermediate")).toEqual({
      backend: `\${vault_mount.${rootMount}.path}`,
      issuer_ref: `\${vault_pki_secret_backend_root_cert.${rootCertId}.issuer_id}`,
      csr: `\${vault_pki_secret_backend_intermediate_cert_request.${csrId}.csr}`,
      common_name: "Issuing",
      ttl: "157680000",
      max_path_length: 0,
      use_csr_values: false,
      revoke: true,
      // With use_csr_values = false only the signature's own SANs reach the CA certificate.
      alt_names: ["ca.example.com"],
      ip_sans: ["10.1.2.3"],
    });
    const setSignedId = logicalIdOf(json, "vault_pki_secret_backend_intermediate_set_signed");
    expect(onlyResource(json, "vault_pki_secret_backend_intermediate_set_signed")).toEqual({
      backend: `\${vault_mount.${intMount}.path}`,
      // Signed certificate + root: the root is imported beside it so the issuer's chain reaches the root.
      certificate: `\${vault_pki_secret_backend_root_sign_intermediate.${signId}.certificate_bundle}`,
    });
    const defaults = resourcesOf(json, "vault_pki_secret_backend_config_issuers").map((r) => r.default);
    expect(defaults).toContain(`\${vault_pki_secret_backend_intermediate_set_signed.${setSignedId}.imported_issuers[0]}`);
  });

  it("an intermediate TTL above its root's is refused naming the field and both TTLs", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    const root = new RootCa(stack, "root", { mountPath: "pki-root", commonName: "Root", ttl: "8760h" });
    expect(
      () => new IntermediateCa(stack, "issuing", { root, mountPath: "pki", commonName: "I", ttl: "9000h", maxLeaseTtl: "9000h" }),
    ).toThrow("IntermediateCa(issuing).ttl: intermediate TTL 32400000s (9000h) exceeds the root TTL 31536000s (8760h)");
    expect(() => new IntermediateCa(stack, "same", { root, mountPath: "pki-root", commonName: "I", ttl: "1h", maxLeaseTtl: "1h" })).toThrow(
      /mount "pki-root" is used twice/,
    );
  });

  it("chains to an imported root by its literal path", () => {
    const json = synth((stack) => {
      const root = RootCa.fromMountPath(stack, "corp", { mountPath: "corp-root", issuerRef: "corp-2026" });
      new IntermediateCa(stack, "issuing", { root, mountPath: "pki", commonName: "I", ttl: "8760h", maxLeaseTtl: "8760h" });
    });
    expect(onlyResource(json, "vault_pki_secret_backend_root_sign_intermediate")).toMatchObject({
      backend: "corp-root",
      issuer_ref: "corp-2026",
    });
  });
});

describe("IntermediateCa across stacks", () => {
  it("chains to a root in another stack through a cross-stack reference", () => {
    const app = Testing.app();
    const rootStack = new VaultStack(app, "root-stack", { target: OPENBAO });
    const root = new RootCa(rootStack, "root", { mountPath: "pki-root", commonName: "Root", ttl: "87600h" });
    const issuingStack = new VaultStack(app, "issuing-stack", { target: OPENBAO });
    const ca = new IntermediateCa(issuingStack, "issuing", { root, mountPath: "pki", commonName: "I", ttl: "8760h", maxLeaseTtl: "8760h" });
    ca.addRole("server", { roleName: "server-cert", template: "server", ttl: "720h", allowedDomains: ["example.com"] });
    app.synth();
    const json = JSON.parse(Testing.synth(issuingStack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      data?: Record<string, unknown>;
    };
    const signed = Object.values(json.resource.vault_pki_secret_backend_root_sign_intermediate)[0];
    expect(signed.backend).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
    expect(signed.issuer_ref).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(Object.values(json.resource.vault_pki_secret_backend_role)[0].backend).toMatch(/^\$\{vault_mount\.issuing_mount_/);
  });
});
