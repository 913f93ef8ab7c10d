/**
 * Templated policy paths (`{{identity.entity.id}}`, ...) resolved the way Vault resolves them for
 * ACLs (`sdk/helper/identitytpl`): a path whose template cannot be resolved for the requesting
 * identity is skipped, as if it were not in the policy.
 */
import { parseVaultDuration } from "./duration";

/** An identity entity alias (per auth mount accessor). */
export interface IdentityAlias {
  /** Alias id. */
  readonly id?: string;
  /** Alias name (e.g. the user name at that auth method). */
  readonly name?: string;
  /** Alias metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Alias custom metadata. */
  readonly customMetadata?: Readonly<Record<string, string>>;
}

/** An identity group the entity belongs to. */
export interface IdentityGroup {
  /** Group id. */
  readonly id: string;
  /** Group name. */
  readonly name: string;
  /** Group metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Who is asking: the entity behind the token, its aliases and groups. */
export interface IdentityContext {
  /** The entity; absent for tokens without one (then every `identity.entity.*` template fails). */
  readonly entity?: {
    /** Entity id. */
    readonly id: string;
    /** Entity name. */
    readonly name: string;
    /** Entity metadata. */
    readonly metadata?: Readonly<Record<string, string>>;
    /** Aliases keyed by auth mount accessor (e.g. `auth_userpass_1234abcd`). */
    readonly aliases?: Readonly<Record<string, IdentityAlias>>;
  };
  /** Groups the entity is a member of. @default none */
  readonly groups?: readonly IdentityGroup[];
  /** Clock for `{{time.now}}` templates, Unix seconds. @default the current time */
  readonly nowUnixSeconds?: number;
}

/** True when `path` contains a `{{ ... }}` template. */
export function hasTemplate(path: string): boolean {
  return /\{\{[^]*?\}\}/.test(path);
}

/**
 * The reason Vault refuses `path` when the policy is written (unbalanced `{{`/`}}`), or
 * undefined when the templating is well-formed.
 */
export function templateSyntaxError(path: string): string | undefined {
  const pieces = path.split("{{");
  if (pieces[0].includes("}}")) return "failed to validate policy templating: unbalanced templating characters";
  for (const piece of pieces.slice(1)) {
    if (piece.split("}}").length !== 2) return "failed to validate policy templating: unbalanced templating characters";
  }
  return undefined;
}

/** Resolve every template in `path` for `identity`; undefined when any of them cannot be resolved. */
export function resolveTemplate(path: string, identity: IdentityContext | undefined): string | undefined {
  const pieces = path.split("{{");
  if (pieces.length === 1) return path;
  let out = pieces[0];
  for (const piece of pieces.slice(1)) {
    const [expr, rest] = piece.split("}}");
    const value = resolveExpression(expr.trim(), identity ?? {});
    if (value === undefined) return undefined;
    out += value + rest;
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function fromMap(map: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return map !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

function resolveExpression(expr: string, identity: IdentityContext): string | undefined {
  if (expr.startsWith("identity.entity.")) {
    const entity = identity.entity;
    if (!entity) return undefined;
    const rest = expr.slice("identity.entity.".length);
    if (rest === "id") return nonEmpty(entity.id);
    if (rest === "name") return nonEmpty(entity.name);
    if (rest.startsWith("metadata.")) return fromMap(entity.metadata, rest.slice("metadata.".length));
    if (rest.startsWith("aliases.")) {
      const dot = rest.indexOf(".", "aliases.".length);
      if (dot < 0) return undefined;
      const alias = entity.aliases?.[rest.slice("aliases.".length, dot)];
      if (!alias) return undefined;
      const field = rest.slice(dot + 1);
      if (field === "id") return nonEmpty(alias.id);
      if (field === "name") return nonEmpty(alias.name);
      if (field.startsWith("metadata.")) return fromMap(alias.metadata, field.slice("metadata.".length));
      if (field.startsWith("custom_metadata.")) return fromMap(alias.customMetadata, field.slice("custom_metadata.".length));
    }
    return undefined;
  }
  if (expr.startsWith("identity.groups.")) {
    const groups = identity.groups ?? [];
    if (groups.length === 0) return undefined;
    const match = /^identity\.groups\.(ids|names)\.([^.]*)\.(.+)$/.exec(expr);
    if (!match) return undefined;
    const [, kind, key, field] = match;
    const group = groups.find((g) => (kind === "ids" ? g.id : g.name) === key);
    if (!group) return undefined;
    if (field === "id") return group.id;
    if (field === "name") return nonEmpty(group.name);
    if (field.startsWith("metadata.")) return fromMap(group.metadata, field.slice("metadata.".length));
    return undefined;
  }
  if (expr.startsWith("time.")) {
    const now = identity.nowUnixSeconds ?? Math.floor(Date.now() / 1000);
    const parts = expr.slice("time.".length).split(".");
    if (parts[0] !== "now") return undefined;
    if (parts.length === 1) return String(now);
    if (parts.length < 3) return undefined;
    let seconds: number;
    try {
      seconds = parseVaultDuration(parts.slice(2).join("."));
    } catch {
      return undefined;
    }
    if (parts[1] === "plus") return String(now + seconds);
    if (parts[1] === "minus") return String(now - seconds);
    return undefined;
  }
  return undefined;
}

/**
 * An identity under which every `identity.*` template in `paths` resolves to its own text, so a
 * templated pattern can be compared with itself (used by the diff and the lint, which reason about
 * patterns rather than about one user).
 */
export function placeholderIdentity(paths: readonly string[]): IdentityContext {
  const entity = {
    id: "{{identity.entity.id}}",
    name: "{{identity.entity.name}}",
    metadata: {} as Record<string, string>,
    aliases: {} as Record<string, { id: string; name: string; metadata: Record<string, string>; customMetadata: Record<string, string> }>,
  };
  const groups: { id: string; name: string; metadata: Record<string, string> }[] = [];
  const group = (id: string | undefined, name: string | undefined) => {
    let g = groups.find((x) => (id !== undefined && x.id === id) || (name !== undefined && x.name === name));
    if (!g) {
      g = { id: id ?? `{{identity.groups.names.${name}.id}}`, name: name ?? `{{identity.groups.ids.${id}.name}}`, metadata: {} };
      groups.push(g);
    }
    return g;
  };
  for (const path of paths) {
    for (const match of path.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      const expr = match[1];
      const text = `{{${expr}}}`;
      let m: RegExpExecArray | null;
      if ((m = /^identity\.entity\.metadata\.(.+)$/.exec(expr))) entity.metadata[m[1]] = text;
      else if ((m = /^identity\.entity\.aliases\.([^.]+)\.(id|name|metadata\.(.+)|custom_metadata\.(.+))$/.exec(expr))) {
        const alias = (entity.aliases[m[1]] ??= {
          id: `{{identity.entity.aliases.${m[1]}.id}}`,
          name: `{{identity.entity.aliases.${m[1]}.name}}`,
          metadata: {},
          customMetadata: {},
        });
        if (m[3] !== undefined) alias.metadata[m[3]] = text;
        if (m[4] !== undefined) alias.customMetadata[m[4]] = text;
      } else if ((m = /^identity\.groups\.ids\.([^.]+)\.(name|id|metadata\.(.+))$/.exec(expr))) {
        const g = group(m[1], undefined);
        if (m[3] !== undefined) g.metadata[m[3]] = text;
      } else if ((m = /^identity\.groups\.names\.([^.]+)\.(name|id|metadata\.(.+))$/.exec(expr))) {
        const g = group(undefined, m[1]);
        if (m[3] !== undefined) g.metadata[m[3]] = text;
      }
    }
  }
  return { entity, groups };
}
