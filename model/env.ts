/**
 * `${NAME}` references in configuration values: resolved from an environment, or reported
 * with the path of every field that holds one, so a missing variable is named before deploy.
 */
import { ModelValidationError, joinPath } from "./errors";

/** A `${NAME}` reference found in a configuration value. */
export interface EnvReference {
  /** Path of the field holding the reference. */
  readonly path: string;
  /** Variable name. */
  readonly name: string;
}

/** The result of {@link resolveEnv}. */
export interface EnvResolution<T> {
  /** The value with every resolvable reference replaced. */
  readonly value: T;
  /** References whose variable was not set (left in place in `value`). */
  readonly unresolved: readonly EnvReference[];
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replace `${NAME}` in every string inside `value` with `env[NAME]`. `$${NAME}` is an escape for
 * a literal `${NAME}`. Unset variables are left in place and listed in `unresolved`.
 */
export function resolveEnv<T>(value: T, env: Readonly<Record<string, string | undefined>>): EnvResolution<T> {
  const unresolved: EnvReference[] = [];
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === "string") {
      return node.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, escape: string, name: string) => {
        if (escape) return whole.slice(1);
        const found = env[name];
        if (found === undefined) {
          unresolved.push({ path: joinPath(path), name });
          return whole;
        }
        return found;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, [...path, k]);
      return out;
    }
    return node;
  };
  return { value: walk(value, []) as T, unresolved };
}

/**
 * Like {@link resolveEnv} but every unset variable is an error.
 * @throws ModelValidationError listing each field and the variable it needs.
 */
export function requireEnv<T>(value: T, env: Readonly<Record<string, string | undefined>>): T {
  const { value: out, unresolved } = resolveEnv(value, env);
  if (unresolved.length > 0) {
    throw new ModelValidationError(unresolved.map((r) => ({ path: r.path, message: `environment variable ${r.name} is not set` })));
  }
  return out;
}

/** Names referenced as `${NAME}` in `text` (in order, duplicates kept). */
export function envNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]);
}
