/**
 * Pulumi unit-test harness in the style of the Pulumi docs: `pulumi.runtime.setMocks` with a
 * mock that records every registered resource (type token, name, inputs) and returns, for the
 * attributes the resource graph references, a marker `ref:<name>.<attribute>` so references can
 * be compared with CDKTF tokens.
 */
import * as pulumi from "@pulumi/pulumi";

/** One registered resource. */
export interface Registered {
  /** Type token. */
  readonly type: string;
  /** Resource name. */
  readonly name: string;
  /** Inputs as the engine received them (secrets unwrapped). */
  readonly inputs: Record<string, unknown>;
  /** Custom resource (false for components). */
  readonly custom: boolean;
}

/** Project the mocks run in (config keys are `<project>:<key>`). */
export const PROJECT = "vaultsmith-test";

/** Outputs the resource graph references (TF attribute → Pulumi output). */
const REFERENCED: readonly [string, string][] = [
  ["path", "path"],
  ["issuer_id", "issuerId"],
  ["csr", "csr"],
  ["certificate", "certificate"],
  ["certificate_bundle", "certificateBundle"],
  ["path_fq", "pathFq"],
  ["name", "name"],
];

let recorded: Registered[] = [];
const options = new Map<string, pulumi.ResourceOptions>();

/**
 * Options for the outermost component of a test: a transformation (inherited by every child)
 * that records each resource's options, which the mock monitor does not see.
 */
export function recording(): pulumi.ComponentResourceOptions {
  return {
    transformations: [
      (args: pulumi.ResourceTransformationArgs): undefined => {
        options.set(`${args.type}::${args.name}`, args.opts);
        return undefined;
      },
    ],
  };
}

/** The options a resource was created with (needs {@link recording} on an ancestor). */
export function optionsOf(type: string, name: string): pulumi.ResourceOptions {
  const o = options.get(`${type}::${name}`);
  if (!o) throw new Error(`no options recorded for ${type} ${name}`);
  return o;
}

/** Install fresh mocks (and config) and forget what was recorded before. */
export async function useMocks(config: Record<string, string> = {}, secretKeys: readonly string[] = []): Promise<void> {
  recorded = [];
  options.clear();
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    secretKeys.map((k) => `${PROJECT}:${k}`),
  );
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = args.inputs as Record<string, unknown>;
        recorded.push({ type: args.type, name: args.name, inputs, custom: args.custom !== false });
        const refs = Object.fromEntries(REFERENCED.map(([tf, out]) => [out, `ref:${args.name}.${tf}`]));
        return {
          id: args.custom === false ? undefined : `${args.name}-id`,
          state: { ...inputs, ...refs, importedIssuers: [`ref:${args.name}.imported_issuers[0]`] },
        };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return args.inputs as Record<string, unknown>;
      },
    },
    PROJECT,
    "test",
    false,
  );
}

/** Wait until every pending registration reached the mock monitor. */
export async function settle(): Promise<void> {
  const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs: () => Promise<void> };
  // waitForRPCs is internal to the SDK (the language host awaits it before exiting); two rounds
  // let deferred inputs (policy HCL) resolve and their registrations drain.
  await new Promise((resolve) => setImmediate(resolve));
  await settings.waitForRPCs();
}

/** Everything registered since {@link useMocks}, in registration order. */
export function registered(): readonly Registered[] {
  return recorded;
}

/** The value of an Output (test helper; the SDK's own `promise()` is internal). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
