import { Testing } from "cdktf";
import { AclPolicy } from "../../../../constructs/cdktf/acl-policy";
import { IntermediateCa } from "../../../../constructs/cdktf/intermediate-ca";
import { PkiRole } from "../../../../constructs/cdktf/pki-role";
import { RootCa } from "../../../../constructs/cdktf/root-ca";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, logicalIdOf, onlyResource, resourcesOf, synth } from "./synth-helpers";

function hierarchy(stack: VaultStack): IntermediateCa {
  const root = new RootCa(stack, "root", { mountPath: "pki-root", commonName: "Root", ttl: "87600h" });
  return new IntermediateCa(stack, "issuing", { root, mountPath: "pki", commonName: "Issuing", ttl: "43800h", maxLeaseTtl: "8760h" });
}

describe("PkiRole", () => {
  it("server template: seconds, flags, canonical key usage, pinned to the issuer", () => {
    const json = synth((stack) => {
      const ca = hierarchy(stack);
      ca.addRole("server", {
        roleName: "server-cert",
        template: "server",
        ttl: "720h",
        allowedDomains: ["example.com"],
        allowSubdomains: true,
        allowIpSans: true,
      });
    });
    const setSigned = logicalIdOf(json, "vault_pki_secret_backend_intermediate_set_signed");
    expect(onlyResource(json, "vault_pki_secret_backend_role")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\.issuing_mount_/),
      issuer_ref: `\${vault_pki_secret_backend_intermediate_set_signed.${setSigned}.imported_issuers[0]}`,
      name: "server-cert",
      ttl: "2592000",
      max_ttl: "2592000",
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      allow_bare_domains: false,
      allow_glob_domains: false,
      allow_ip_sans: true,
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
  });

  it("client and code-signing templates", () => {
    const json = synth((stack) => {
      const ca = hierarchy(stack);
      ca.addRole("client", {
        roleName: "client-cert",
        template: "client",
        ttl: "720h",
        allowedDomains: ["clients.example.com"],
        allowSubdomains: true,
      });
      ca.addRole("signing", {
        roleName: "code-signing",
        template: "code-signing",
        ttl: "24h",
        maxTtl: "72h",
        allowAnyName: true,
        keyType: "rsa",
      });
    });
    const [client, signing] = resourcesOf(json, "vault_pki_secret_backend_role").sort((a, b) =>
      String(a.name).localeCompare(String(b.name)),
    );
    expect(client).toMatchObject({ name: "client-cert", server_flag: false, client_flag: true, code_signing_flag: false });
    expect(signing).toMatchObject({
      name: "code-signing",
      code_signing_flag: true,
      server_flag: false,
      client_flag: false,
      enforce_hostnames: false,
      key_usage: ["DigitalSignature"],
      key_type: "rsa",
      key_bits: 4096,
      ttl: "86400",
      max_ttl: "259200",
    });
  });

  it("role TTL above the mount max TTL is refused naming the role field", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    const ca = hierarchy(stack);
    expect(
      () => new PkiRole(stack, "long", { issuer: ca, roleName: "long", template: "server", ttl: "9000h", allowedDomains: ["example.com"] }),
    ).toThrow('PkiRole(long).ttl: role TTL 32400000s (9000h) exceeds the mount max TTL 31536000s (8760h) of "pki"');
    expect(() => new PkiRole(stack, "none", { issuer: ca, roleName: "none", template: "server", ttl: "1h" })).toThrow(
      /PkiRole\(none\)\.allowedDomains/,
    );
    expect(() => new PkiRole(stack, "Bad", { issuer: ca, roleName: "Bad", template: "server", ttl: "1h", allowAnyName: true })).toThrow(
      /PkiRole\(Bad\)\.name/,
    );
  });

  it("grantIssue / grantSign add least-privilege rules on the role's paths", () => {
    const json = synth((stack) => {
      const role = hierarchy(stack).addRole("server", {
        roleName: "server-cert",
        template: "server",
        ttl: "720h",
        allowedDomains: ["example.com"],
      });
      const policy = new AclPolicy(stack, "p", { policyName: "issuer" });
      role.grantIssue(policy);
      role.grantSign(policy);
    });
    expect(onlyResource(json, "vault_policy").policy).toBe(
      'path "pki/issue/server-cert" {\n  capabilities = ["update"]\n}\n\npath "pki/sign/server-cert" {\n  capabilities = ["update"]\n}\n',
    );
  });
});
