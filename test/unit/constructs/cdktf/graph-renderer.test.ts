import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { RENDERABLE_TYPES, ownerOf, renderDescriptors, renderGraph } from "../../../../constructs/cdktf/graph-renderer";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { loadEstateYaml } from "../../../../model/estate-loader";
import { AttrRef, AttributeValue, LazyValue, ResourceDescriptor, SecretInput } from "../../../../model/graph";
import { compileEstate } from "../../../../model/graph-estate";
import { SynthJson, VAULT_ENTERPRISE } from "./synth-helpers";

const FIXTURES = join(__dirname, "../../../fixtures/constructs");

describe("CDKTF graph renderer", () => {
  const estate = loadEstateYaml(readFileSync(join(FIXTURES, "full-estate.yaml"), "utf8"), { env: {} });
  const graph = compileEstate(estate);
  const app = Testing.app();
  const stack = new VaultStack(app, "full", { target: VAULT_ENTERPRISE });
  const rendered = renderGraph(stack, graph.resources);
  const json = JSON.parse(Testing.synth(stack)) as SynthJson;

  const where = new Map<string, { type: string; logicalId: string }>();
  for (const d of graph.resources) where.set(d.id, { type: d.type, logicalId: stack.getLogicalId(rendered.get(d.id)!) });

  function expected(value: AttributeValue): unknown {
    if (value instanceof AttrRef) {
      const w = where.get(value.id)!;
      return `\${${w.type}.${w.logicalId}.${value.attribute}${value.index === undefined ? "" : `[${value.index}]`}}`;
    }
    if (value instanceof SecretInput) return `\${var.${value.variable}}`;
    if (value instanceof LazyValue) return value.produce();
    if (Array.isArray(value)) return value.map((v: AttributeValue) => expected(v));
    if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expected(v as AttributeValue)]));
    return value;
  }

  it.each(graph.resources.map((d): [string, ResourceDescriptor] => [d.id, d]))("%s synthesizes to exactly its descriptor", (_id, d) => {
    const w = where.get(d.id)!;
    const actual = { ...json.resource![d.type][w.logicalId] };
    if (d.protect) expect(actual.lifecycle).toEqual({ prevent_destroy: true });
    delete actual.lifecycle;
    expect(actual).toEqual(expected(d.attributes));
  });

  it("keeps the keys of map arguments verbatim (audit options, mount options, custom metadata)", () => {
    const audit = Object.values(json.resource!.vault_audit).find((a) => a.type === "file");
    expect(audit?.options).toEqual({ file_path: "/var/log/vault/audit.log", format: "json" });
  });

  it("declares one sensitive variable per secret input; write-only ones are ephemeral", () => {
    expect(json.variable).toEqual({
      cassandra_admin_password: {
        type: "string",
        sensitive: true,
        nullable: false,
        description: "Secret the provider keeps in state (no write-only argument exists for it in provider 5.x).",
      },
      postgres_password: {
        type: "string",
        sensitive: true,
        nullable: false,
        ephemeral: true,
        description: "Write-only secret: sent to Vault, never stored in plan or state.",
      },
      ldap_bindpass: {
        type: "string",
        sensitive: true,
        nullable: false,
        ephemeral: true,
        description: "Write-only secret: sent to Vault, never stored in plan or state.",
      },
    });
  });

  it("renders every resource type the graph produces", () => {
    expect(RENDERABLE_TYPES).toEqual(expect.arrayContaining([...new Set(graph.resources.map((d) => d.type))]));
  });

  it("refuses unknown types, duplicate ids, dangling references and mixed secret inputs", () => {
    const s = new TerraformStack(Testing.app(), "s");
    expect(() => renderDescriptors(s, [{ type: "vault_unknown", id: "a.b", attributes: {} }])).toThrow(
      'no CDKTF class for resource type "vault_unknown"',
    );
    renderDescriptors(s, [{ type: "vault_mount", id: "a.mount", attributes: { path: "x", type: "kv" } }]);
    expect(() =>
      renderDescriptors(new Construct(s, "other"), [{ type: "vault_mount", id: "a.mount", attributes: { path: "y", type: "kv" } }]),
    ).toThrow(/used twice/);
    expect(() =>
      renderDescriptors(s, [{ type: "vault_policy", id: "p.policy", attributes: { name: "p", policy: new AttrRef("missing.x", "y") } }]),
    ).toThrow('reference to "missing.x" which has not been rendered');
    const pw = new SecretInput("pw");
    renderDescriptors(s, [
      {
        type: "vault_database_secret_backend_connection",
        id: "d.c1",
        attributes: { backend: "db", name: "c1", postgresql: { password_wo: pw } },
      },
    ]);
    expect(() =>
      renderDescriptors(s, [
        {
          type: "vault_database_secret_backend_connection",
          id: "d.c2",
          attributes: { backend: "db", name: "c2", cassandra: { password: pw } },
        },
      ]),
    ).toThrow(/feeds both a write-only argument and a stored one/);
  });

  it("writes arguments newer than the 5.6.0 bindings as overrides under their Terraform names, scalars only", () => {
    const s = new TerraformStack(Testing.app(), "s");
    const [backend] = renderDescriptors(s, [
      {
        type: "vault_ldap_auth_backend",
        id: "l.backend",
        attributes: { url: "ldap://x", bindpass_wo: new SecretInput("bind"), bindpass_wo_version: 2 },
      },
    ]).values();
    // The binding has no bindpassWo: without the override the argument would vanish from the JSON.
    expect("bindpassWo" in backend).toBe(false);
    const json = JSON.parse(Testing.synth(s)) as SynthJson;
    expect(Object.values(json.resource!.vault_ldap_auth_backend)[0]).toEqual({
      url: "ldap://x",
      bindpass_wo: "${var.bind}",
      bindpass_wo_version: 2,
    });
    expect(json.variable?.bind).toMatchObject({ ephemeral: true, sensitive: true });
    expect(() =>
      renderDescriptors(s, [{ type: "vault_mount", id: "m.mount", attributes: { path: "x", type: "kv", brand_new_block: { a: 1 } } }]),
    ).toThrow(
      "m.mount.brand_new_block is not an argument of the vault_mount binding, and only scalar arguments can be written as overrides",
    );
  });

  it("owners are construct paths below the stack", () => {
    const s = new TerraformStack(Testing.app(), "s");
    const inner = new Construct(new Construct(s, "tenant-a"), "kv.store");
    expect(ownerOf(inner)).toBe("tenant-a/kv-store");
  });
});
