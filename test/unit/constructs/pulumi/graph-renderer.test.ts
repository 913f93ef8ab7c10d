import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AttrRef, LazyValue, ResourceDescriptor, SecretInput } from "../../../../model/graph";
import {
  PULUMI_MAPPINGS,
  RENDERABLE_TYPES,
  afterConstruction,
  camel,
  pulumiInputName,
  pulumiInputs,
  pulumiName,
  pulumiOptions,
  renderDescriptors,
} from "../../../../constructs/pulumi/graph-renderer";
import { KvV2Store } from "../../../../constructs/pulumi/kv-v2-store";
import { settle, useMocks, valueOf } from "./pulumi-harness";
import { argsOf } from "./pulumi-schema";

const GOLDEN = JSON.parse(readFileSync(join(__dirname, "../../../fixtures/constructs/golden/full-estate.graph.json"), "utf8")) as {
  type: string;
  attributes: Record<string, unknown>;
}[];

describe("PULUMI_MAPPINGS", () => {
  it("maps each of the 32 graph resource types to the class whose type token is declared", () => {
    expect(RENDERABLE_TYPES).toHaveLength(32);
    for (const [type, m] of Object.entries(PULUMI_MAPPINGS)) {
      expect([type, (m.resourceClass as unknown as { __pulumiType: string }).__pulumiType]).toEqual([type, m.token]);
    }
  });

  it("every argument the golden full-estate graph uses is an input of the @pulumi/vault class (checked in the .d.ts)", () => {
    const checked: string[] = [];
    for (const d of GOLDEN) {
      const inputs = argsOf(PULUMI_MAPPINGS[d.type].token);
      for (const attribute of Object.keys(d.attributes)) {
        expect([d.type, pulumiInputName(d.type, attribute), inputs.includes(pulumiInputName(d.type, attribute))]).toEqual([
          d.type,
          pulumiInputName(d.type, attribute),
          true,
        ]);
        checked.push(`${d.type}.${attribute}`);
      }
    }
    expect(new Set(checked).size).toBeGreaterThan(100);
  });

  it("renames the PKI role's pluralised list arguments (camelCase alone would not be an input)", () => {
    const inputs = argsOf(PULUMI_MAPPINGS.vault_pki_secret_backend_role.token);
    for (const tf of ["key_usage", "organization", "ou"]) {
      expect(inputs).not.toContain(camel(tf));
      expect(inputs).toContain(pulumiInputName("vault_pki_secret_backend_role", tf));
    }
  });
});

describe("pulumiName", () => {
  it("joins the owner path and the local id with '-'", () => {
    expect(pulumiName("pki/role-server.role")).toBe("pki-role-server-role");
    expect(pulumiName("kv.mount")).toBe("kv-mount");
  });
});

describe("pulumiInputs", () => {
  const refs = (ref: AttrRef): pulumi.Output<unknown> => pulumi.output(`ref:${ref.toString()}`);

  it("camel-cases arguments and nested keys, keeps map keys verbatim, flattens single blocks", () => {
    const d: ResourceDescriptor = {
      type: "vault_auth_backend",
      id: "a.mount",
      attributes: { type: "approle", path: "approle", tune: [{ default_lease_ttl: "3600s", token_type: "default-batch" }] },
    };
    expect(pulumiInputs(d, refs)).toEqual({
      type: "approle",
      path: "approle",
      tune: { defaultLeaseTtl: "3600s", tokenType: "default-batch" },
    });
    const mount: ResourceDescriptor = {
      type: "vault_mount",
      id: "m.mount",
      attributes: { path: "kv", options: { version: "2", some_key: "x" } },
    };
    expect(pulumiInputs(mount, refs)).toEqual({ path: "kv", options: { version: "2", some_key: "x" } });
  });

  it("refuses a resource type it has no class for, and a single block with two elements", () => {
    expect(() => pulumiInputs({ type: "vault_nope", id: "x.y", attributes: {} }, refs)).toThrow(
      'no Pulumi class for resource type "vault_nope"',
    );
    expect(() => pulumiInputs({ type: "vault_auth_backend", id: "a.m", attributes: { tune: [{}, {}] } }, refs)).toThrow(
      /single block but has 2/,
    );
  });

  it("marks secret inputs as Pulumi secrets read through the resolver", async () => {
    await useMocks();
    const d: ResourceDescriptor = {
      type: "vault_ldap_auth_backend",
      id: "l.backend",
      attributes: { url: "ldaps://x", bindpass: new SecretInput("bind") },
    };
    const inputs = pulumiInputs(d, refs, (s) => pulumi.output(`secret-of-${s.variable}`));
    const bindpass = inputs.bindpass as pulumi.Output<string>;
    expect(await pulumi.isSecret(bindpass)).toBe(true);
    expect(await valueOf(bindpass)).toBe("secret-of-bind");
  });

  it("turns references into the resolver's Outputs and lazy values into deferred Outputs", async () => {
    await useMocks();
    let produced = 0;
    const d: ResourceDescriptor = {
      type: "vault_policy",
      id: "p.policy",
      attributes: { name: "p", policy: new LazyValue(() => `rules-${++produced}`), namespace: new AttrRef("ns.namespace", "path_fq") },
    };
    const inputs = pulumiInputs(d, refs);
    expect(produced).toBe(0);
    expect(await valueOf(inputs.namespace as pulumi.Output<unknown>)).toBe("ref:${ns.namespace.path_fq}");
    expect(await valueOf(inputs.policy as pulumi.Output<unknown>)).toBe("rules-1");
  });

  it("afterConstruction() produces after the current turn and rejects when the producer throws", async () => {
    let calls = 0;
    const ok = afterConstruction(new LazyValue(() => `v${++calls}`));
    expect(calls).toBe(0);
    await expect(ok).resolves.toBe("v1");
    await expect(
      afterConstruction(
        new LazyValue(() => {
          throw new Error("boom");
        }),
      ),
    ).rejects.toThrow("boom");
  });
});

describe("pulumiOptions", () => {
  it("parents to the component and sets protect and additional secret outputs only when needed", async () => {
    await useMocks();
    const kv = new KvV2Store("kv");
    const plain = pulumiOptions({ type: "vault_mount", id: "kv.mount", attributes: { path: "x" } }, kv);
    expect(plain).toEqual({ parent: kv });
    const d: ResourceDescriptor = {
      type: "vault_database_secret_backend_connection",
      id: "db.connection-c",
      protect: true,
      attributes: { name: "c", cassandra: { hosts: ["h"], password: new SecretInput("pw") } },
    };
    expect(pulumiOptions(d, kv)).toEqual({ parent: kv, protect: true, additionalSecretOutputs: ["cassandra"] });
  });
});

describe("renderDescriptors", () => {
  it("refuses a logical id twice in one component and a reference to nothing rendered", async () => {
    await useMocks();
    const kv = new KvV2Store("kv");
    expect(() => renderDescriptors(kv, [{ type: "vault_mount", id: "kv.mount", attributes: { path: "x", type: "kv" } }])).toThrow(
      'logical id "kv.mount" is used twice in this component',
    );
    expect(() =>
      renderDescriptors(kv, [
        { type: "vault_kv_secret_backend_v2", id: "kv.other", attributes: { mount: new AttrRef("elsewhere.mount", "path") } },
      ]),
    ).toThrow('reference to "elsewhere.mount" which has not been rendered in this program');
    await settle();
  });
});
