import { RootCa } from "../../../../constructs/pulumi/root-ca";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { optionsOf, recording, registered, settle, useMocks, valueOf } from "./pulumi-harness";

const ROOT_CERT = "vault:pkiSecret/secretBackendRootCert:SecretBackendRootCert";
const target = { edition: "openbao", version: "2.6.1" } as const;

describe("RootCa", () => {
  it("generates an internal root, protected by default, parented to the component", async () => {
    await useMocks();
    const stack = new VaultStack("test", { target }, recording());
    const root = new RootCa("root", { mountPath: "pki-root", commonName: "Root", ttl: "87600h" }, { parent: stack });
    await settle();
    const cert = registered().find((r) => r.type === ROOT_CERT);
    expect(cert?.name).toBe("root-cert");
    expect(cert?.inputs).toMatchObject({ type: "internal", commonName: "Root", ttl: "315360000", backend: "ref:root-mount.path" });
    expect(optionsOf(ROOT_CERT, "root-cert").protect).toBe(true);
    expect(optionsOf("vault:index/mount:Mount", "root-mount").protect).toBeUndefined();
    expect(await valueOf(root.certificate.urn)).toMatch(
      /::vaultsmith:pki:RootCa\$vault:pkiSecret\/secretBackendRootCert:SecretBackendRootCert::root-cert$/,
    );
    expect(await valueOf(root.certificatePem)).toBe("ref:root-cert.certificate");
    expect(root.mountPath).toBe("pki-root");
    expect(root.ttlSeconds).toBe(315360000);
  });

  it("protect: false leaves the option off", async () => {
    await useMocks();
    const stack = new VaultStack("test", { target }, recording());
    new RootCa("scratch", { mountPath: "s", commonName: "S", ttl: "1h", protect: false }, { parent: stack });
    await settle();
    expect(optionsOf(ROOT_CERT, "scratch-cert").protect).toBeUndefined();
  });

  it("fromMountPath registers nothing and carries the literal mount and issuer", async () => {
    await useMocks();
    const existing = RootCa.fromMountPath("offline", { mountPath: "/offline-root/", issuerRef: "r-2024", ttl: "87600h" });
    await settle();
    expect(registered()).toEqual([]);
    expect(existing).toEqual({ mountPath: "offline-root", mountRef: "offline-root", issuerRef: "r-2024", ttlSeconds: 315360000 });
  });
});
