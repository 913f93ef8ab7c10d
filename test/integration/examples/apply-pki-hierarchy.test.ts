import { X509Certificate } from "node:crypto";
import {
  PKI_API,
  applyPkiDescriptors,
  ensureNamespace,
  exampleStackPki,
  roleDifferences,
} from "../../../examples/runtime/apply-pki-hierarchy";
import { VaultClient } from "../../../runtime";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { admin } from "../../support/vault-admin";

describe.each(selectedFlavors())("the example stack's PKI hierarchy applied by API calls to a real %s dev server", (flavor) => {
  const { estate, descriptors } = exampleStackPki({});
  const namespace = estate.namespace!;
  let server: DevServer;
  let client: VaultClient;
  /** Admin reads in the stack's namespace (as a path prefix), through the harness rather than the code under test. */
  const read = <T>(path: string): Promise<{ data: T }> => admin<{ data: T }>(server, "GET", `${namespace}/${path}`);

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("covers every descriptor type the PKI fragments emit for the stack", () => {
    expect(descriptors.length).toBeGreaterThan(10);
    for (const d of descriptors) expect([...Object.keys(PKI_API), "vault_namespace"]).toContain(d.type);
    expect(descriptors[0].type).toBe("vault_namespace");
  });

  it("creates the namespace, root, intermediate signed by the root and roles that read back as the model declares", async () => {
    const result = await applyPkiDescriptors(client, descriptors);
    expect(result.steps.map((s) => s.id)).toEqual(descriptors.map((d) => d.id));
    // The stack creates its own namespace first; everything else lives in it.
    expect(result.steps[0]).toMatchObject({ type: "vault_namespace", path: `sys/namespaces/${namespace}` });
    expect(result.steps.slice(1).every((s) => s.namespace === namespace)).toBe(true);
    expect(await ensureNamespace(client, namespace)).toBe("existed");
    expect(await ensureNamespace(client, `${namespace}/child`)).toBe("created");

    // Root and intermediate: the intermediate is signed by the root and is the issuing mount's default issuer.
    const root = new X509Certificate((await read<{ certificate: string }>("pki-root/cert/ca")).data.certificate);
    const intermediate = new X509Certificate((await read<{ certificate: string }>("pki/cert/ca")).data.certificate);
    expect(root.subject).toContain("CN=Cassandra Root CA");
    expect(intermediate.subject).toContain("CN=Cassandra Issuing CA");
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(intermediate.ca).toBe(true);

    // URLs and CRL config as declared.
    const urls = (await read<Record<string, unknown>>("pki/config/urls")).data;
    expect(urls.crl_distribution_points).toEqual(["http://crl.example.com"]);
    expect(urls.ocsp_servers).toEqual(["http://ocsp.example.com"]);
    const crl = (await read<Record<string, unknown>>("pki/config/crl")).data;
    expect(crl.auto_rebuild).toBe(true);

    // Roles: every field the model sends reads back equal, pinned to the imported intermediate issuer.
    const roles = descriptors.filter((d) => d.type === "vault_pki_secret_backend_role");
    expect(roles.map((r) => r.attributes.name)).toEqual(["server-cert", "client-cert"]);
    for (const role of roles) {
      const model = result.applied.get(role.id)!.attributes;
      const onServer = (await read<Record<string, unknown>>(`pki/roles/${String(model.name)}`)).data;
      expect(roleDifferences(model, onServer)).toEqual([]);
      expect(onServer.issuer_ref).toEqual((result.applied.get("pki-pki.set-signed")!.answer.imported_issuers as string[])[0]);
      expect(onServer.ttl).toBe(30 * 24 * 3600);
    }
    // The comparison is not vacuous: a changed field is reported.
    const first = result.applied.get(roles[0].id)!.attributes;
    expect(roleDifferences({ ...first, allow_localhost: false }, { ...first, ttl: 2592000, allow_localhost: true })).toEqual([
      { attribute: "allow_localhost", model: false, server: true },
    ]);

    // And the role issues what it is for, to a client in the stack's namespace.
    const inNamespace = new VaultClient({ address: server.address, token: server.token, namespace });
    try {
      const issued = await inNamespace.pki("pki").issue("server-cert", { common_name: "node.example.com", ttl: "1h" });
      expect(issued.parsed.extendedKeyUsages).toEqual(["serverAuth", "clientAuth"]);
      // The seed's request, as written, against the role as the example stack declares it.
      const seed = await inNamespace.pki("pki").issue("server-cert", {
        common_name: "cassandra-node-1.example.com",
        alt_names: ["cassandra-node-1", "10.0.1.100"],
        ttl: "720h",
        format: "pem",
        private_key_format: "der",
        exclude_cn_from_sans: false,
      });
      expect([...seed.parsed.sans.dns].sort()).toEqual(["cassandra-node-1", "cassandra-node-1.example.com"]);
      expect(seed.parsed.sans.ip).toEqual(["10.0.1.100"]);
      // The node names are exact, not a pattern: a look-alike under another domain is refused.
      await expect(inNamespace.pki("pki").issue("server-cert", { common_name: "cassandra-node-1.evil.com", ttl: "1h" })).rejects.toThrow(
        /not allowed/,
      );
    } finally {
      await inNamespace.close();
    }
  });
});
