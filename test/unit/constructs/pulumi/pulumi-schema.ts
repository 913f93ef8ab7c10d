/** Input names declared by @pulumi/vault (read from its .d.ts files, the SDK's own schema). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const VAULT = join(__dirname, "../../../../node_modules/@pulumi/vault");

function members(body: string, indent: number): string[] {
  return [...body.matchAll(new RegExp(`^ {${indent}}(\\w+)\\??:`, "gm"))].map((m) => m[1]);
}

/** Input names of `<Class>Args` for the resource with type token `token`. */
export function argsOf(token: string): string[] {
  const [, mod, cls] = /^vault:([^:]+):(\w+)$/.exec(token) as RegExpExecArray;
  const [dir, file] = mod.split("/");
  const folder = dir === "index" ? "" : dir.toLowerCase();
  const dts = readFileSync(join(VAULT, folder, `${file}.d.ts`), "utf8");
  const body = new RegExp(`export interface ${cls}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts);
  if (!body) throw new Error(`no ${cls}Args in ${folder}/${file}.d.ts`);
  return members(body[1], 4);
}

/** Field names of nested input type `name` (in namespace `ns` of types/input.d.ts, or the root). */
export function nestedInputOf(ns: string | undefined, name: string): string[] {
  const src = readFileSync(join(VAULT, "types/input.d.ts"), "utf8");
  const start = ns === undefined ? 0 : src.indexOf(`export declare namespace ${ns} {`);
  const indent = ns === undefined ? 4 : 8;
  const at = src.indexOf(`interface ${name} {`, start);
  if (start < 0 || at < 0) throw new Error(`no input type ${ns ?? ""}.${name}`);
  const end = src.indexOf(ns === undefined ? "\n}" : "\n    }", at);
  return members(src.slice(at, end), indent);
}

/** The nested input type of a single block, by `<Terraform type>.<block>`. */
export const NESTED_BLOCK_TYPES: Readonly<Record<string, readonly [string | undefined, string]>> = {
  "vault_auth_backend.tune": [undefined, "AuthBackendTune"],
  "vault_jwt_auth_backend.tune": ["jwt", "AuthBackendTune"],
  "vault_ldap_auth_backend.tune": ["ldap", "AuthBackendTune"],
  "vault_database_secret_backend_connection.cassandra": ["database", "SecretBackendConnectionCassandra"],
  "vault_database_secret_backend_connection.postgresql": ["database", "SecretBackendConnectionPostgresql"],
  "vault_database_secret_backend_connection.mysql": ["database", "SecretBackendConnectionMysql"],
  "vault_database_secret_backend_connection.mongodb": ["database", "SecretBackendConnectionMongodb"],
};
