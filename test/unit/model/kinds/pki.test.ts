import { AttrRef, toPlain } from "../../../../model/graph";
import * as pkiKind from "../../../../model/kinds/pki";
import {
  PkiRoleGrants,
  canonicalizePki,
  createdIds,
  generatedRootProps,
  intermediateCaFragment,
  intermediateCaInput,
  intermediateChildId,
  intermediateProps,
  pkiGrantRule,
  pkiHierarchyInput,
  pkiRoleDescriptor,
  pkiRoleInput,
  pkiRoleSchema,
  pkiSchema,
  rootCaFragment,
  rootCaInput,
  rootCaSchema,
  urlsInput,
  withRoleKeyBits,
} from "../../../../model/kinds/pki";
import { PathRule } from "../../../../policies/policy-document";

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
      key_usage: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"],
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
      client_flag: false,
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

describe("PKI fragments on their own", () => {
  it("a root without common name or ttl: a bare description, no ttl sent; the ids name the mount and certificate", () => {
    const fragment = rootCaFragment(pkiSchema.parse({ root: { mount: "r" } }).root, { owner: "o" });
    const plain = toPlain(fragment.resources);
    expect(plain[0].attributes).toEqual({ path: "r", type: "pki", description: "root CA" });
    expect(plain[1].attributes).not.toHaveProperty("ttl");
    expect(fragment.ids).toEqual({ mount: "o.mount", certificate: "o.cert" });
    expect(createdIds(fragment.ids)).toBe(fragment.ids);
  });

  it("createdIds refuses the missing ids of an existing root", () => {
    const existing = rootCaFragment(pkiSchema.parse({ root: { mount: "r", source: "existing" } }).root, { owner: "o" });
    expect(() => createdIds(existing.ids)).toThrow("resource graph: the root CA fragment created no resources (an existing root has none)");
  });

  it("a bad alternative name is reported at the CA's field", () => {
    const root = pkiSchema.parse({ root: { mount: "r", commonName: "R", ttl: "1h", altNames: ["ok.example.com", "not a name"] } }).root;
    expect(() => rootCaFragment(root, { owner: "o" })).toThrow(/root\.altNames\[1\]: "not a name" is neither a DNS name nor an IP address/);
    const int = pkiSchema.parse({
      root: { mount: "r" },
      intermediates: [{ mount: "i", commonName: "I", ttl: "1h", maxLeaseTtl: "1h", altNames: ["bad name"] }],
    }).intermediates[0];
    expect(() => intermediateCaFragment(int, { mountPath: "r" }, { owner: "i" })).toThrow(/intermediate\.altNames\[0\]/);
  });

  it("an intermediate without issuer name: no issuer resource; exportKey makes the CSR's key exported; ids name mount and signature", () => {
    const spec = canonicalizePki(
      pkiSchema.parse({
        root: { mount: "r" },
        intermediates: [{ mount: "i", commonName: "Int", ttl: "1h", maxLeaseTtl: "1h", exportKey: true }],
      }),
    ).intermediates[0];
    const fragment = intermediateCaFragment(spec, { mountPath: "r" }, { owner: "o" });
    expect(fragment.resources.map((r) => r.type)).toEqual([
      "vault_mount",
      "vault_pki_secret_backend_intermediate_cert_request",
      "vault_pki_secret_backend_root_sign_intermediate",
      "vault_pki_secret_backend_intermediate_set_signed",
      "vault_pki_secret_backend_config_issuers",
    ]);
    expect(fragment.resources[0].attributes.description).toBe("intermediate CA Int");
    expect(fragment.resources[1].attributes.type).toBe("exported");
    expect(fragment.ids).toEqual({ mount: "o.mount", signature: "o.signed" });
  });

  it("schema defaults and bounds: no URLs of a kind, ec keys, no domains, path length from -1", () => {
    const parsed = pkiSchema.parse({
      root: { mount: "r", keyType: "ec", source: "generate", urls: { issuingCertificates: ["http://i"] } },
      intermediates: [
        { mount: "i", commonName: "I", ttl: "1h", maxLeaseTtl: "1h", roles: [{ name: "w", template: "server", ttl: "1h", keyType: "ec" }] },
      ],
    });
    expect(parsed.root.urls).toEqual({ issuingCertificates: ["http://i"], crlDistribution: [], ocspServers: [] });
    expect(parsed.root).toMatchObject({ keyType: "ec", source: "generate", maxPathLength: -1 });
    expect(parsed.intermediates[0].maxPathLength).toBe(0);
    expect(parsed.intermediates[0].roles[0]).toMatchObject({ keyType: "ec", allowedDomains: [], allowSubdomains: false });
    const pathLength = (root: number, int: number) =>
      pkiSchema.safeParse({
        root: { mount: "r", maxPathLength: root },
        intermediates: [{ mount: "i", commonName: "I", ttl: "1h", maxLeaseTtl: "1h", maxPathLength: int }],
      }).success;
    expect([pathLength(-1, -1), pathLength(0, 0), pathLength(2, 1), pathLength(-2, 0), pathLength(0, -2)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("PKI construct input and props", () => {
  const ca = { mountPath: "pki", commonName: "CA", ttl: "87600h" };

  it("urlsInput: nothing without a URL, every list filled once any is set", () => {
    expect(urlsInput(ca)).toBeUndefined();
    expect(urlsInput({ ...ca, issuingCertificates: [], crlDistribution: [] })).toBeUndefined();
    // Any two kinds set together count as set, too.
    expect(urlsInput({ ...ca, issuingCertificates: ["http://i"], crlDistribution: ["http://c"] })).toBeDefined();
    expect(urlsInput({ ...ca, crlDistribution: ["http://c"], ocspServers: ["http://o"] })).toBeDefined();
    expect(urlsInput({ ...ca, ocspServers: ["http://o"] })).toEqual({
      issuingCertificates: [],
      crlDistribution: [],
      ocspServers: ["http://o"],
    });
    expect(urlsInput({ ...ca, issuingCertificates: ["http://i"] })).toEqual({
      issuingCertificates: ["http://i"],
      crlDistribution: [],
      ocspServers: [],
    });
    expect(urlsInput({ ...ca, crlDistribution: ["http://c"] })).toEqual({
      issuingCertificates: [],
      crlDistribution: ["http://c"],
      ocspServers: [],
    });
  });

  it("rootCaInput, intermediateCaInput and pkiRoleInput name the schema's fields and leave unset options out", () => {
    const root = rootCaInput({ ...ca, keyType: "rsa", keyBits: 2048, organization: "O", maxPathLength: 1, protect: false });
    expect(root).toEqual({
      mount: "pki",
      commonName: "CA",
      ttl: "87600h",
      keyType: "rsa",
      keyBits: 2048,
      organization: "O",
      source: "generate",
      maxPathLength: 1,
      protect: false,
    });
    expect(rootCaSchema.parse(root)).toMatchObject({ source: "generate", maxPathLength: 1, protect: false });
    expect(intermediateCaInput({ ...ca, maxLeaseTtl: "1h", maxPathLength: 0, revokeOnDestroy: false, ou: "U", country: "DE" })).toEqual({
      mount: "pki",
      commonName: "CA",
      ttl: "87600h",
      maxLeaseTtl: "1h",
      ou: "U",
      country: "DE",
      maxPathLength: 0,
      revokeOnDestroy: false,
    });
    expect(pkiRoleInput({ roleName: "web", template: "server", ttl: "1h", maxTtl: undefined })).toEqual({
      name: "web",
      template: "server",
      ttl: "1h",
    });
  });

  it("pkiHierarchyInput: the root and each intermediate with its roles", () => {
    const input = pkiHierarchyInput({
      root: { ...ca, maxPathLength: 2, protect: true, issuerName: "root", altNames: ["ca.example.com"], exportKey: true },
      intermediates: [
        {
          mountPath: "pki-int",
          commonName: "Int",
          ttl: "8760h",
          maxLeaseTtl: "720h",
          maxPathLength: 0,
          revokeOnDestroy: true,
          crl: { expiry: "72h" },
          roles: [{ roleName: "web", template: "server", ttl: "1h" }],
        },
        { mountPath: "pki-2", commonName: "Two", ttl: "1h", maxLeaseTtl: "1h" },
      ],
    });
    expect(input).toEqual({
      root: {
        mount: "pki",
        commonName: "CA",
        ttl: "87600h",
        issuerName: "root",
        altNames: ["ca.example.com"],
        exportKey: true,
        maxPathLength: 2,
        protect: true,
      },
      intermediates: [
        {
          mount: "pki-int",
          commonName: "Int",
          ttl: "8760h",
          maxLeaseTtl: "720h",
          crl: { expiry: "72h" },
          maxPathLength: 0,
          revokeOnDestroy: true,
          roles: [{ name: "web", template: "server", ttl: "1h" }],
        },
        { mount: "pki-2", commonName: "Two", ttl: "1h", maxLeaseTtl: "1h", roles: [] },
      ],
    });
    expect(pkiHierarchyInput({ root: ca })).toEqual({ root: { mount: "pki", commonName: "CA", ttl: "87600h" }, intermediates: [] });
  });

  it("withRoleKeyBits: an explicit size is kept, `any` gets 0, others their type's default", () => {
    expect(withRoleKeyBits({ keyType: "rsa" as const }).keyBits).toBe(4096);
    expect(withRoleKeyBits({ keyType: "ec" as const }).keyBits).toBe(256);
    expect(withRoleKeyBits({ keyType: "ed25519" as const }).keyBits).toBe(0);
    expect(withRoleKeyBits({ keyType: "any" as const }).keyBits).toBe(0);
    expect(withRoleKeyBits({ keyType: "rsa" as const, keyBits: 2048 }).keyBits).toBe(2048);
  });

  it("intermediateChildId strips surrounding slashes only; pkiGrantRule covers the whole mount for revoke", () => {
    expect(intermediateChildId("//pki/int//")).toBe("pki/int");
    expect(intermediateChildId("pki")).toBe("pki");
    expect(pkiGrantRule("pki", "web", "issue")).toEqual({ path: "pki/issue/web", capabilities: ["update"] });
    expect(pkiGrantRule("pki", "web", "sign")).toEqual({ path: "pki/sign/web", capabilities: ["update"] });
    expect(pkiGrantRule("pki", "web", "revoke")).toEqual({ path: "pki/revoke", capabilities: ["update"] });
  });

  it("generatedRootProps and intermediateProps map a validated spec back onto construct props", () => {
    const spec = canonicalizePki(
      pkiSchema.parse({
        root: {
          mount: "r",
          commonName: "Root",
          ttl: "87600h",
          organization: "O",
          ou: "U",
          country: "DE",
          issuerName: "root-1",
          urls: { issuingCertificates: ["http://i"], crlDistribution: ["http://c"], ocspServers: ["http://o"] },
          crl: { expiry: "72h" },
        },
        intermediates: [{ mount: "i", commonName: "Int", ttl: "8760h", maxLeaseTtl: "720h", keyType: "rsa", revokeOnDestroy: false }],
      }),
    );
    expect(generatedRootProps(spec.root)).toEqual({
      mountPath: "r",
      keyType: "ec",
      keyBits: 256,
      issuerName: "root-1",
      organization: "O",
      ou: "U",
      country: "DE",
      altNames: [],
      exportKey: false,
      issuingCertificates: ["http://i"],
      crlDistribution: ["http://c"],
      ocspServers: ["http://o"],
      crl: { expiry: 259_200 },
      commonName: "Root",
      ttl: 315_360_000,
      maxLeaseTtl: spec.root.maxLeaseTtl,
      maxPathLength: -1,
      protect: true,
    });
    const existing = pkiSchema.parse({ root: { mount: "r", source: "existing" } }).root;
    expect(generatedRootProps(existing)).toMatchObject({ commonName: "", ttl: 0, issuingCertificates: undefined });
    expect(intermediateProps(spec.intermediates[0])).toMatchObject({
      mountPath: "i",
      keyType: "rsa",
      keyBits: 4096,
      commonName: "Int",
      ttl: 31_536_000,
      maxLeaseTtl: 2_592_000,
      maxPathLength: 0,
      revokeOnDestroy: false,
    });
  });

  it("PkiRoleGrants: issue and sign on the role, revoke on the mount", () => {
    const rules: PathRule[] = [];
    const policy = { policyName: "p", addRules: (...r: PathRule[]) => rules.push(...r) };
    const grants = new PkiRoleGrants("pki-int", "web");
    expect([...grants.grantIssue(policy), ...grants.grantSign(policy), ...grants.grantRevoke(policy)].map((r) => r.path)).toEqual([
      "pki-int/issue/web",
      "pki-int/sign/web",
      "pki-int/revoke",
    ]);
    expect(rules).toHaveLength(3);
  });
});
