/**
 * The engine-neutral shape of a Vault ACL policy: what the builder produces, the HCL renderer
 * and parser read and write, the evaluator decides with, and the constructs deploy.
 */

/** Capabilities a path rule can grant (`deny` overrides everything on the same pattern). */
export type Capability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny" | "subscribe" | "recover";

/** Every capability, in Vault's canonical order. */
export const CAPABILITIES: readonly Capability[] = [
  "create",
  "read",
  "update",
  "patch",
  "delete",
  "list",
  "sudo",
  "deny",
  "subscribe",
  "recover",
];

/** One `path "<pattern>" { ... }` block. */
export interface PathRule {
  /** Path pattern: exact, `*` as the last character (prefix) or `+` for one segment. */
  readonly path: string;
  /** Capabilities granted (or `deny`). */
  readonly capabilities: readonly Capability[];
  /** Parameters that may be sent, with allowed values (empty list = any value). @default unconstrained */
  readonly allowedParameters?: Readonly<Record<string, readonly string[]>>;
  /** Parameters that must not be sent, or values that are refused (empty list = any value). @default none */
  readonly deniedParameters?: Readonly<Record<string, readonly string[]>>;
  /** Parameters that must be present. @default none */
  readonly requiredParameters?: readonly string[];
  /** Lowest response-wrapping TTL a request must ask for, in seconds. @default none */
  readonly minWrappingTtlSeconds?: number;
  /** Highest response-wrapping TTL a request may ask for, in seconds. @default none */
  readonly maxWrappingTtlSeconds?: number;
}

/** A named ACL policy. */
export interface PolicyDocument {
  /** Policy name as Vault stores it (lower-case). */
  readonly name: string;
  /** Path rules, in declaration order. */
  readonly rules: readonly PathRule[];
}
