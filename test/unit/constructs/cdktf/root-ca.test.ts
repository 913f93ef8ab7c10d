import { Testing } from "cdktf";
import { RootCa } from "../../../../constructs/cdktf/root-ca";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { ModelValidationError } from "../../../../model/errors";
import { OPENBAO, onlyResource, resourcesOf, synth } from "./synth-helpers";

describe("RootCa", () => {
  it("generates an internal-key root in a mount whose max TTL covers it, protected, default issuer set, URLs", () => {
    const json = synth((stack) => {
      new RootCa(stack, "root", {
        mountPath: "pki-root",
        commonName: "Example Root",
        ttl: "87600h",
        crlDistribution: ["http://crl.example.com"],
        ocspServers: ["http://ocsp.example.com"],
        crl: { expiry: "72h" },
      });
    });
    expect(onlyResource(json, "vault_mount")).toEqual({
      path: "pki-root",
      type: "pki",
      description: "root CA Example Root",
      max_lease_ttl_seconds: 315_360_000,
    });
    const cert = onlyResource(json, "vault_pki_secret_backend_root_cert");
    expect(cert).toEqual({
      backend: expect.stringMatching(/^\$\{vault_mount\.root_mount_[0-9A-F]+\.path\}$/),
      type: "internal",
      common_name: "Example Root",
      ttl: "315360000",
      key_type: "ec",
      key_bits: 256,
      max_path_length: -1,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "vault_pki_secret_backend_config_issuers")).toMatchObject({
      default: expect.stringMatching(/^\$\{vault_pki_secret_backend_root_cert\.root_cert_[0-9A-F]+\.issuer_id\}$/),
      default_follows_latest_issuer: false,
    });
    expect(onlyResource(json, "vault_pki_secret_backend_config_urls")).toMatchObject({
      crl_distribution_points: ["http://crl.example.com"],
      ocsp_servers: ["http://ocsp.example.com"],
      issuing_certificates: [],
    });
    expect(onlyResource(json, "vault_pki_secret_backend_crl_config")).toMatchObject({ expiry: "259200" });
  });

  it("protect: false and exportKey: true are explicit opt-outs", () => {
    const json = synth(
      (stack) => new RootCa(stack, "root", { mountPath: "r", commonName: "R", ttl: "1h", protect: false, exportKey: true }),
    );
    const cert = onlyResource(json, "vault_pki_secret_backend_root_cert");
    expect(cert.lifecycle).toBeUndefined();
    expect(cert.type).toBe("exported");
  });

  it("a mount max TTL below the root TTL is refused with the construct path and field", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new RootCa(stack, "root", { mountPath: "r", commonName: "R", ttl: "87600h", maxLeaseTtl: "768h" })).toThrow(
      "RootCa(root).maxLeaseTtl: mount max TTL 2764800s (768h) is below the root certificate TTL 315360000s (87600h); Vault would silently shorten the certificate",
    );
    expect(() => new RootCa(stack, "root2", { mountPath: "r", commonName: "R", ttl: "10x" })).toThrow(ModelValidationError);
    expect(() => new RootCa(stack, "root3", { mountPath: "r", commonName: "R", ttl: "1h", altNames: ["bad name"] })).toThrow(
      /RootCa\(root3\)\.altNames\[0\]: "bad name" is neither/,
    );
  });

  it("fromMountPath refers to an existing root without creating anything", () => {
    const json = synth((stack) => {
      const root = RootCa.fromMountPath(stack, "corp", { mountPath: "/corp-root/", ttl: "87600h" });
      expect(root.mountPath).toBe("corp-root");
      expect(root.mountRef).toBe("corp-root");
      expect(root.ttlSeconds).toBe(315_360_000);
    });
    expect(resourcesOf(json, "vault_mount")).toEqual([]);
  });
});
