/**
 * Normalisation of a CDKTF synthesis and of a Pulumi mock run to one comparable form:
 * (Terraform resource type, logical name, protect flag, attributes with Terraform names).
 * Every transformation here is one of the intended differences listed in parity.test.ts.
 */
import { MAP_ATTRIBUTES } from "../../../../model/graph";
import { PULUMI_MAPPINGS } from "../../../../constructs/pulumi/graph-renderer";
import { Registered, optionsOf } from "./pulumi-harness";

/** One resource in comparable form. */
export interface Normalized {
  /** Terraform resource type. */
  readonly type: string;
  /** Logical name: the owner path joined with "-" (stack-relative). */
  readonly name: string;
  /** Refuse destroy/replace. */
  readonly protect: boolean;
  /** Attributes with Terraform names; references as `ref:<name>.<attribute>`. */
  readonly attributes: Record<string, unknown>;
}

/** A synthesized CDKTF stack (only what is compared). */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

const TOKEN_TYPE = new Map(Object.entries(PULUMI_MAPPINGS).map(([tf, m]) => [m.token, tf]));

function singleBlocks(type: string): readonly string[] {
  return PULUMI_MAPPINGS[type]?.singleBlocks ?? [];
}

function sortObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortObject);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortObject((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Normalise a CDKTF synthesis of stack `stackId` (`paths`: construct path per `<type>.<logical id>`). */
export function normalizeCdktf(json: SynthJson, stackId: string, paths: ReadonlyMap<string, string>): Normalized[] {
  const names = new Map<string, string>();
  const resources = json.resource ?? {};
  for (const [type, byId] of Object.entries(resources)) {
    for (const id of Object.keys(byId)) {
      const path = paths.get(`${type}.${id}`);
      if (path === undefined) throw new Error(`no construct path for ${type}.${id}`);
      names.set(`${type}.${id}`, path.slice(stackId.length + 1).replace(/\//g, "-"));
    }
  }
  const value = (v: unknown): unknown => {
    if (typeof v === "string") {
      const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+(?:\[\d+\])?)\}$/.exec(v);
      if (m && names.has(`${m[1]}.${m[2]}`)) return `ref:${names.get(`${m[1]}.${m[2]}`)}.${m[3]}`;
      return v;
    }
    if (Array.isArray(v)) return v.map(value);
    if (v !== null && typeof v === "object") {
      // An unset field of a nested block is written as null by CDKTF and left out by Pulumi.
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null)
          .map(([k, x]) => [k, value(x)]),
      );
    }
    return v;
  };
  const out: Normalized[] = [];
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, body] of Object.entries(byId)) {
      const attributes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) {
        if (k === "//" || k === "lifecycle") continue;
        if (k === "depends_on") {
          attributes[k] = (v as string[]).map((address) => `dep:${names.get(address) ?? address}`).sort();
          continue;
        }
        const single = singleBlocks(type).includes(k) && Array.isArray(v) && v.length === 1 ? (v as unknown[])[0] : v;
        attributes[k] = value(single);
      }
      const lifecycle = body.lifecycle as { prevent_destroy?: boolean } | undefined;
      out.push({
        type,
        name: names.get(`${type}.${id}`) as string,
        protect: lifecycle?.prevent_destroy === true,
        attributes: sortObject(attributes) as Record<string, unknown>,
      });
    }
  }
  return out.sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

/** The Pulumi wire format of a secret: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Normalise what a Pulumi mock run registered: components and the provider left out, names
 * without the `<prefix>-` of a stack's own children, input names back to Terraform names,
 * secrets unwrapped (a secret input that arrives unmarked throws).
 */
export function normalizePulumi(resources: readonly Registered[], prefix?: string): Normalized[] {
  const name = (n: string): string => (prefix !== undefined && n.startsWith(`${prefix}-`) ? n.slice(prefix.length + 1) : n);
  const out: Normalized[] = [];
  for (const r of resources) {
    const type = TOKEN_TYPE.get(r.type);
    if (!r.custom || type === undefined) continue;
    const renames = Object.fromEntries(Object.entries(PULUMI_MAPPINGS[type].renames ?? {}).map(([tf, p]) => [p, tf]));
    const maps = MAP_ATTRIBUTES[type] ?? [];
    const value = (v: unknown, verbatim: boolean, secret: boolean): unknown => {
      if (typeof v === "string" && v.startsWith("ref:")) return `ref:${name(v.slice(4))}`;
      if (typeof v === "string" && v.startsWith("${var.") && !secret)
        throw new Error(`${r.name}: secret input ${v} reached the engine unmarked`);
      if (Array.isArray(v)) return v.map((x) => value(x, false, secret));
      if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SECRET_SIG] === SECRET_VALUE) return value(o.value, verbatim, true);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [verbatim ? k : snake(k), value(x, false, secret)]));
      }
      return v;
    };
    const attributes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.inputs)) {
      const tf = renames[k] ?? snake(k);
      attributes[tf] = value(v, maps.includes(tf), false);
    }
    const options = optionsOf(r.type, r.name);
    const dependsOn = (Array.isArray(options.dependsOn) ? options.dependsOn : []) as unknown as { __name?: string }[];
    if (dependsOn.length > 0) attributes.depends_on = dependsOn.map((d) => `dep:${name(String(d.__name))}`).sort();
    out.push({
      type,
      name: name(r.name),
      protect: options.protect === true,
      attributes: sortObject(attributes) as Record<string, unknown>,
    });
  }
  return out.sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}
