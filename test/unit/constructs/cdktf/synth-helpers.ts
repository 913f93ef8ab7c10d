/** Synthesis helpers for the CDKTF construct tests. */
import { App, Testing } from "cdktf";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { TargetServer } from "../../../../model/target";

/** OpenBao 2.6.1, the server built here. */
export const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };
/** Vault CE 1.21.4. */
export const VAULT_CE: TargetServer = { edition: "vault-ce", version: "1.21.4" };
/** Vault Enterprise 1.21.4 (no such server here: synthesis only). */
export const VAULT_ENTERPRISE: TargetServer = { edition: "vault-enterprise", version: "1.21.4" };

/** A synthesized stack. */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly terraform: { required_providers: Record<string, { source: string; version: string }> };
}

/** Build a VaultStack for `target`, let `build` fill it, synthesize with validations. */
export function synth(build: (stack: VaultStack) => void, target: TargetServer = OPENBAO): SynthJson {
  const app: App = Testing.app();
  const stack = new VaultStack(app, "test", { target });
  build(stack);
  return JSON.parse(Testing.synth(stack, true)) as SynthJson;
}

/** Every synthesized resource of `type`, in logical-id order. */
export function resourcesOf(json: SynthJson, type: string): Record<string, unknown>[] {
  const byId = json.resource?.[type] ?? {};
  return Object.keys(byId)
    .sort()
    .map((k) => byId[k]);
}

/** The only synthesized resource of `type`. */
export function onlyResource(json: SynthJson, type: string): Record<string, unknown> {
  const list = resourcesOf(json, type);
  if (list.length !== 1) throw new Error(`expected one ${type}, found ${list.length}`);
  return list[0];
}

/** Logical id of the only resource of `type`. */
export function logicalIdOf(json: SynthJson, type: string): string {
  const ids = Object.keys(json.resource?.[type] ?? {});
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}
