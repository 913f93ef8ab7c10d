import { AttrRef, toPlain } from "../../../../model/graph";
import * as pkiKind from "../../../../model/kinds/pki";
import {
  intermediateCaFragment,
  pkiRoleDescriptor,
  rootCaFragment,
  canonicalizePki,
  pkiSchema,
  pkiRoleSchema,
} from "../../../../model/kinds/pki";

const pki = canonicalizePki(
  pkiSchema.parse({
    root: {
      mount: "pki-root",
      commonName: "Root CA",
      ttl: "87600h",
      urls: { crlDistribution: ["http://crl.example.com"], ocspServers: ["http://ocsp.example.com"] },
    },
    intermediates: [
      {
        mount: "pki",
        commonName: "Issuing CA",
        ttl: "43800h",
        maxLeaseTtl: "8760h",
        issuerName: "issuing-2026",
        altNames: ["ca.example.com", "10.0.0.1"],
        crl: { expiry: "72h", autoRebuild: true },
        roles: [
          { name: "server-cert", template: "server", ttl: "720h", allowedDomains: ["z.example.com", "example.com"], allowSubdomains: true },
        ],
      },
    ],
  }),
);

describe("PKI fragments", () => {
  const root = rootCaFragment(pki.root, { owner: "pki-root" });
  const int = intermediateCaFragment(pki.intermediates[0], root.outputs, { owner: "pki-pki" });

  it("root: mount with max TTL ≥ root TTL, internal key, protected certificate, explicit default issuer, URLs", () => {
    expect(toPlain(root.resources)).toEqual([
      {
        type: "vault_mount",
        id: "pki-root.mount",
        protect: false,
        attributes: { path: "pki-root", type: "pki", description: "root CA Root CA", max_lease_ttl_seconds: 315_360_000 },
      },
      {
        type: "vault_pki_secret_backend_root_cert",
        id: "pki-root.cert",
        protect: true,
        attributes: {
          backend: "${pki-root.mount.path}",
          type: "internal",
          common_name: "Root CA",
          ttl: "315360000",
          key_type: "ec",
          key_bits: 256,
          max_path_length: -1,
        },
      },
      {
        type: "vault_pki_secret_backend_config_issuers",
        id: "pki-root.default-issuer",
        protect: false,
        attributes: { backend: "${pki-root.mount.path}", default: "${pki-root.cert.issuer_id}", default_follows_latest_issuer: false },
      },
      {
        type: "vault_pki_secret_backend_config_urls",
        id: "pki-root.urls",
        protect: false,
        attributes: {
          backend: "${pki-root.mount.path}",
          issuing_certificates: [],
          crl_distribution_points: ["http://crl.example.com"],
          ocsp_servers: ["http://ocsp.example.com"],
        },
      },
    ]);
  });

  it("intermediate: CSR → signed by the root's mount and issuer → set-signed → named issuer → default issuer → CRL → roles", () => {
    const plain = toPlain(int.resources);
    expect(plain.map((d) => `${d.type} ${d.id}`)).toEqual([
      "vault_mount pki-pki.mount",
      "vault_pki_secret_backend_intermediate_cert_request pki-pki.csr",
      "vault_pki_secret_backend_root_sign_intermediate pki-pki.signed",
      "vault_pki_secret_backend_intermediate_set_signed pki-pki.set-signed",
      "vault_pki_secret_backend_issuer pki-pki.issuer",
      "vault_pki_secret_backend_config_issuers pki-pki.default-issuer",
      "vault_pki_secret_backend_crl_config pki-pki.crl",
      "vault_pki_secret_backend_role pki-pki/role-server-cert.role",
    ]);
    expect(plain[1].attributes).toEqual({
      backend: "${pki-pki.mount.path}",
      type: "internal",
      common_name: "Issuing CA",
      key_type: "ec",
      key_bits: 256,
      alt_names: ["ca.example.com"],
      ip_sans: ["10.0.0.1"],
    });
    expect(plain[2].attributes).toEqual({
      backend: "${pki-root.mount.path}",
      issuer_ref: "${pki-root.cert.issuer_id}",
      csr: "${pki-pki.csr.csr}",
      common_name: "Issuing CA",
      ttl: "157680000",
      max_path_length: 0,
      use_csr_values: false,
      revoke: true,
      alt_names: ["ca.example.com"],
      ip_sans: ["10.0.0.1"],
    });
    expect(plain[3].attributes).toEqual({ backend: "${pki-pki.mount.path}", certificate: "${pki-pki.signed.certificate_bundle}" });
    expect(plain[4].attributes).toEqual({
      backend: "${pki-pki.mount.path}",
      issuer_ref: "${pki-pki.set-signed.imported_issuers[0]}",
      issuer_name: "issuing-2026",
    });
    expect(plain[5].attributes).toEqual({
      backend: "${pki-pki.mount.path}",
      default: "${pki-pki.set-signed.imported_issuers[0]}",
      default_follows_latest_issuer: false,
    });
    expect(plain[6].attributes).toEqual({ backend: "${pki-pki.mount.path}", expiry: "259200", auto_rebuild: true });
    expect(int.outputs.issuerId).toEqual(new AttrRef("pki-pki.set-signed", "imported_issuers", 0));
  });

  it("role templates: TTLs as second strings, sorted domains, flags and key usage per template", () => {
    const role = toPlain(int.resources.filter((r) => r.type === "vault_pki_secret_backend_role"))[0];
    expect(role.attributes).toEqual({
      backend: "${pki-pki.mount.path}",
      issuer_ref: "${pki-pki.set-signed.imported_issuers[0]}",
      name: "server-cert",
      ttl: "2592000",
      max_ttl: "2592000",
      allowed_domains: ["example.com", "z.example.com"],
      allow_subdomains: true,
      allow_bare_domains: false,
      allow_glob_domains: false,
      allow_ip_sans: false,
      allow_localhost: false,
      allow_any_name: false,
      enforce_hostnames: true,
      server_flag: true,
      client_flag: false,
      code_signing_flag: false,
      key_usage: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"],
      key_type: "ec",
      key_bits: 256,
      no_store: false,
    });
    const issuer = { mountPath: "pki", issuerId: "default" };
    const client = pkiRoleDescriptor(
      pkiRoleSchema.parse({ name: "c", template: "client", ttl: "1h", maxTtl: "2h", allowAnyName: true }),
      issuer,
      { owner: "r" },
    );
    expect(client.attributes).toMatchObject({
      server_flag: false,
      client_flag: true,
      code_signing_flag: false,
      ttl: "3600",
      max_ttl: "7200",
      backend: "pki",
      issuer_ref: "default",
    });
    const signing = pkiRoleDescriptor(pkiRoleSchema.parse({ name: "s", template: "code-signing", ttl: "1h", allowAnyName: true }), issuer, {
      owner: "r",
      namespace: "team",
    });
    expect(signing.attributes).toMatchObject({
      code_signing_flag: true,
      server_flag: false,
      enforce_hostnames: false,
      key_usage: ["DigitalSignature"],
      namespace: "team",
    });
  });

  it("an existing root creates nothing and is referenced by its literal mount path", () => {
    const existing = rootCaFragment(pkiSchema.parse({ root: { mount: "corp-root", source: "existing" } }).root, { owner: "root" });
    expect(existing.resources).toEqual([]);
    expect(existing.outputs).toEqual({ mountPath: "corp-root" });
  });

  it("exportKey switches the key type to exported, protect:false lifts the protection", () => {
    const spec = canonicalizePki(
      pkiSchema.parse({ root: { mount: "r", commonName: "R", ttl: "1h", exportKey: true, protect: false } }),
    ).root;
    const cert = rootCaFragment(spec, { owner: "r" }).resources.find((r) => r.type === "vault_pki_secret_backend_root_cert")!;
    expect(cert.attributes.type).toBe("exported");
    expect(cert.protect).toBe(false);
  });
});

describe("imports", () => {
  it("uncheckedRootLimits names what an intermediate cannot check", () => {
    expect(pkiKind.uncheckedRootLimits({ mountPath: "r", ttlSeconds: 10, maxLeaseTtlSeconds: 10 })).toBeUndefined();
    expect(pkiKind.uncheckedRootLimits({ mountPath: "r", ttlSeconds: 10 })).toBe(
      'root "r" was imported without maxLeaseTtl: the intermediate\'s TTL is not checked against it (pass them to RootCa.fromMountPath)',
    );
    expect(pkiKind.uncheckedRootLimits({ mountPath: "r", maxLeaseTtlSeconds: 10 })).toMatch(/without ttl:/);
  });

  it("importIntermediateCa requires the mount max TTL and defaults the issuer", () => {
    expect(pkiKind.importIntermediateCa("I(x)", { mountPath: "/int/", maxLeaseTtl: "1h", ttl: "2h" })).toEqual({
      mountPath: "int",
      mountRef: "int",
      issuerRef: "default",
      maxLeaseTtlSeconds: 3600,
      ttlSeconds: 7200,
    });
    expect(() => pkiKind.importIntermediateCa("I(x)", { mountPath: "int", maxLeaseTtl: "soon" })).toThrow(
      /I\(x\)\.maxLeaseTtl: invalid duration/,
    );
  });

  it("importPkiRole grants issue, sign and revoke on the role's mount", () => {
    const rules: unknown[] = [];
    const role = pkiKind.importPkiRole("R(x)", { roleName: "web", mountPath: "int" });
    role.grantRevoke({ policyName: "p", addRules: (...r) => void rules.push(...r) });
    expect(rules).toEqual([{ path: "int/revoke", capabilities: ["update"] }]);
    expect(() => pkiKind.importPkiRole("R(x)", { roleName: "", mountPath: "int" })).toThrow(/R\(x\)\.roleName/);
  });
});
