/**
 * Parity: every construct fixture and both stacks (and the full estate) render to the same
 * resources under CDKTF (`Testing.synth`) and under Pulumi (`pulumi.runtime.setMocks`),
 * normalised to (Terraform resource type, logical name, protect, attributes).
 */
import { RENDERABLE_TYPES as CDKTF_TYPES } from "../../../../constructs/cdktf/graph-renderer";
import { RENDERABLE_TYPES as PULUMI_TYPES, PULUMI_MAPPINGS } from "../../../../constructs/pulumi/graph-renderer";
import { Normalized, SynthJson, normalizeCdktf, normalizePulumi } from "./parity-normalize";
import { PARITY_FIXTURES, SECRET_VARIABLES } from "./parity-fixtures";
import { registered, settle, useMocks } from "./pulumi-harness";
import { NESTED_BLOCK_TYPES, argsOf, nestedInputOf } from "./pulumi-schema";

const TOKENS = new Map(Object.entries(PULUMI_MAPPINGS).map(([tf, m]) => [m.token, tf]));

function unwrapSecret(v: unknown): unknown {
  const o = v as Record<string, unknown>;
  return o !== null && typeof o === "object" && "value" in o && Object.keys(o).length === 2 ? o.value : v;
}

/**
 * Every intended difference between the two renderings, and why. The normalisers apply exactly
 * these and nothing else; anything else that differs fails the test.
 */
export const INTENDED_DIFFERENCES: readonly { readonly difference: string; readonly reason: string }[] = [
  {
    difference: "Pulumi registers a component resource (vaultsmith:<module>:<Type>) per construct; CDKTF has no resource for a construct",
    reason:
      "components are how Pulumi groups children (URN parent chain); they carry no provider state. Left out of the comparison, checked in the component tests",
  },
  {
    difference: "the provider is a `pulumi:providers:vault` resource under Pulumi and a `provider` block under CDKTF",
    reason: "engine plumbing, not part of the estate; both are left out (VaultStack tests cover each)",
  },
  {
    difference:
      "logical names: CDKTF uses the construct path below the stack (`pki/root/mount`), Pulumi the resource name (`pki-root-mount`), and a reusable stack's own children carry `<stack name>-` in Pulumi",
    reason:
      "Pulumi names are global to a program (URNs), CDKTF paths are stack-relative; both are reduced to the stack-relative path joined with `-`",
  },
  {
    difference:
      "blocks with at most one element (`tune`, the database plugin blocks) are a list of one in Terraform JSON and one object in Pulumi",
    reason: "the Pulumi bridge flattens MaxItems=1 blocks; compared as the object",
  },
  {
    difference:
      "argument names are snake_case (Terraform) vs camelCase (Pulumi), and the PKI role's `key_usage`, `organization`, `ou` are `keyUsages`, `organizations`, `organizationUnit`",
    reason:
      "the Pulumi schema renames them (checked against the @pulumi/vault .d.ts in graph-renderer.test.ts); compared under the Terraform names",
  },
  {
    difference: "references are `${type.id.attribute}` tokens in CDKTF and Outputs of the referenced resource in Pulumi",
    reason: "compared as (referenced resource's logical name, attribute): the mock resolves each referenced output to that marker",
  },
  {
    difference:
      "secret inputs are sensitive Terraform variables (`${var.x}`) in CDKTF and Pulumi config secrets (`pulumi config set --secret x`) in Pulumi",
    reason:
      "the test sets each Pulumi secret to the text `${var.x}` so values compare; that the value is a Pulumi secret is checked in graph-renderer.test.ts",
  },
  {
    difference:
      "Pulumi sends a value that contains a secret wrapped as a secret (the whole plugin block of a database connection, the LDAP bind password, the OIDC client secret)",
    reason: "that is the secret marking; the normaliser unwraps it and fails if a secret input reaches the engine unwrapped",
  },
  {
    difference: "CDKTF writes unset fields of a nested block (`tune`) as null, Pulumi leaves them out",
    reason: "null means unset in Terraform JSON; nulls are dropped",
  },
  {
    difference: "`protect` is `lifecycle.prevent_destroy` in CDKTF and the `protect` resource option in Pulumi",
    reason: "compared as one flag (the Pulumi option is recorded by a transformation on the outermost component)",
  },
  {
    difference: "explicit ordering is `depends_on` (resource addresses) in CDKTF and the `dependsOn` resource option (resources) in Pulumi",
    reason:
      "compared as the sorted logical names of the resources waited for (`dep:<name>`; the Pulumi option is recorded by the same transformation as `protect`)",
  },
  {
    difference: "CDKTF may add `//` metadata to a resource",
    reason: "synthesis metadata, not an argument; dropped",
  },
];

describe("parity between the CDKTF and the Pulumi rendering", () => {
  it("both adapters render the same 32 Terraform resource types", () => {
    expect(PULUMI_TYPES).toEqual(CDKTF_TYPES);
    expect(PULUMI_TYPES).toHaveLength(32);
  });

  const covered = new Set<string>();

  describe.each(PARITY_FIXTURES.map((f) => [f.name, f] as const))("%s", (_, fixture) => {
    let cdktf: Normalized[] = [];
    let pulumiSide: Normalized[] = [];

    beforeAll(async () => {
      const { json, stackId, paths } = fixture.cdktf();
      cdktf = normalizeCdktf(json as SynthJson, stackId, paths);
      await useMocks(Object.fromEntries(SECRET_VARIABLES.map((v) => [v, `\${var.${v}}`])), SECRET_VARIABLES);
      const prefix = fixture.pulumi();
      await settle();
      pulumiSide = normalizePulumi(registered(), prefix);
      for (const r of cdktf) covered.add(r.type);
    });

    it("renders at least one resource", () => {
      expect(cdktf.length).toBeGreaterThan(0);
    });

    it("has the same resources (type and logical name)", () => {
      expect(pulumiSide.map((r) => `${r.type} ${r.name}`)).toEqual(cdktf.map((r) => `${r.type} ${r.name}`));
    });

    it("has the same attributes and protect flags, resource by resource", () => {
      expect(pulumiSide).toEqual(cdktf);
    });

    it("sends only inputs the @pulumi/vault classes declare (top level and single blocks)", () => {
      const unknown: string[] = [];
      for (const r of registered().filter((x) => x.custom && TOKENS.has(x.type))) {
        const tf = TOKENS.get(r.type) as string;
        const args = argsOf(r.type);
        for (const [k, v] of Object.entries(r.inputs)) {
          if (!args.includes(k)) unknown.push(`${r.type}.${k}`);
          const nested = NESTED_BLOCK_TYPES[`${tf}.${k}`];
          if (nested) {
            const fields = nestedInputOf(...nested);
            const block = unwrapSecret(v) as Record<string, unknown>;
            for (const f of Object.keys(block)) if (!fields.includes(f)) unknown.push(`${r.type}.${k}.${f}`);
          }
        }
      }
      expect(unknown).toEqual([]);
    });
  });

  it("the fixtures cover every resource type", () => {
    expect([...covered].sort()).toEqual([...CDKTF_TYPES]);
  });
});
