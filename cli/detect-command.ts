/**
 * `vaultsmith detect [--address URL]`: read a live server (`sys/health`, and a `sys/namespaces`
 * probe) and report its edition, version and which gated features it has. With a token
 * (`VAULT_TOKEN`) it first verifies the token (`auth/token/lookup-self`: a refused token is a
 * failure, exit 1) and says which of the capabilities vaultsmith's commands use it lacks
 * (`sys/capabilities-self`). The address defaults to `VAULT_ADDR`; `--json` prints the structured
 * result.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { detectServer } from "./server-detection";
import { withProgress } from "./progress";
import { CliIo, InputError, Runner, UsageError } from "./cli-io";
import { CliFailure, HttpCall, ServerUnreachableError, namedFetch } from "./errors";

/** A capability vaultsmith's commands need, and what for. */
export interface NeededCapability {
  /** API path checked with `sys/capabilities-self`. */
  readonly path: string;
  /** Capability needed on it. */
  readonly capability: string;
  /** The command or feature that needs it. */
  readonly for: string;
}

/** What detect checks a token for. */
export const NEEDED_CAPABILITIES: readonly NeededCapability[] = [
  { path: "sys/mounts", capability: "read", for: "estate deploy and drift (list secret engines)" },
  { path: "sys/auth", capability: "read", for: "estate deploy and drift (list auth methods)" },
  { path: "sys/policies/acl", capability: "list", for: "policy sync" },
  { path: "sys/policies/acl/vaultsmith-probe", capability: "read", for: "policy sync" },
  { path: "sys/policies/acl/vaultsmith-probe", capability: "update", for: "policy sync --apply" },
  { path: "sys/policies/acl/vaultsmith-probe", capability: "delete", for: "policy sync --prune" },
  { path: "sys/namespaces", capability: "list", for: "namespaces (detect, TenantStack)" },
];

/** The token as `lookup-self` describes it (never the token itself). */
export interface TokenFacts {
  readonly displayName: string | null;
  readonly policies: readonly string[];
  /** Seconds left; 0 for a token that never expires. */
  readonly ttl: number;
  readonly renewable: boolean;
}

/** Which of {@link NEEDED_CAPABILITIES} a `sys/capabilities-self` answer lacks. */
export function lackedCapabilities(answer: Readonly<Record<string, unknown>>): NeededCapability[] {
  return NEEDED_CAPABILITIES.filter((need) => {
    const caps = answer[need.path] ?? (answer.capabilities as Record<string, unknown> | undefined)?.[need.path];
    const list = Array.isArray(caps) ? (caps as string[]) : [];
    if (list.includes("deny")) return true;
    if (list.includes("root") || list.includes("sudo")) return false;
    return !list.includes(need.capability);
  });
}

async function json(
  call: HttpCall,
  url: string,
  init: Parameters<HttpCall>[1],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await call(url, init);
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a non-JSON answer: the status tells what happened
  }
  return { status: res.status, body };
}

/** Verify `token` at `base` and list what it lacks; a refused token throws (exit 1). */
export async function checkToken(
  call: HttpCall,
  base: string,
  token: string,
  namespace?: string,
): Promise<{ token: TokenFacts; lacks: NeededCapability[] }> {
  const headers: Record<string, string> = { "x-vault-token": token, ...(namespace ? { "x-vault-namespace": namespace } : {}) };
  const lookup = await json(call, `${base}/v1/auth/token/lookup-self`, { method: "GET", headers });
  if (lookup.status !== 200) {
    // Vault wraps its messages ("1 error occurred:\n\t* permission denied"): keep the last words, on one line.
    const errors = Array.isArray(lookup.body.errors)
      ? (lookup.body.errors as string[])
          .map((e) =>
            e
              .replace(/^\d+ errors? occurred:\s*\*?/, "")
              .replace(/\s+/g, " ")
              .trim(),
          )
          .join("; ")
      : "";
    throw new TokenRefusedError(
      `${base} refused the token (GET auth/token/lookup-self answered HTTP ${lookup.status}${errors ? `: ${errors}` : ""}): set VAULT_TOKEN to a valid, unexpired token (one with the default policy, which allows the look-up)`,
    );
  }
  const data = (lookup.body.data ?? {}) as Record<string, unknown>;
  const facts: TokenFacts = {
    displayName: typeof data.display_name === "string" ? data.display_name : null,
    policies: Array.isArray(data.policies) ? (data.policies as string[]) : [],
    ttl: typeof data.ttl === "number" ? data.ttl : 0,
    renewable: data.renewable === true,
  };
  const paths = [...new Set(NEEDED_CAPABILITIES.map((n) => n.path))];
  const caps = await json(call, `${base}/v1/sys/capabilities-self`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ paths }),
  });
  // A token that may not even ask is missing everything.
  const lacks = caps.status === 200 ? lackedCapabilities(caps.body) : [...NEEDED_CAPABILITIES];
  return { token: facts, lacks };
}

/** The server refused the token: a failure while running (exit 1). */
export class TokenRefusedError extends CliFailure {
  /** @internal */
  constructor(message: string) {
    super(message);
    this.name = "TokenRefusedError";
  }
}

function tokenText(token: TokenFacts, lacks: readonly NeededCapability[]): string {
  const ttl = token.ttl === 0 ? "never expires" : `expires in ${token.ttl} s${token.renewable ? " (renewable)" : ""}`;
  const head = `token: valid, policies ${token.policies.join(", ") || "-"}, ${ttl}`;
  if (lacks.length === 0) return `${head}\ncapabilities: has every one vaultsmith's commands use\n`;
  return `${head}\ncapabilities lacked:\n${lacks.map((l) => `  ${l.capability} on ${l.path} (${l.for})`).join("\n")}\n`;
}

/** Run `vaultsmith detect`. */
export async function runDetectCommand(options: { address?: string; json?: boolean }, io: CliIo): Promise<number> {
  const address = options.address ?? io.env.VAULT_ADDR ?? io.env.BAO_ADDR;
  if (!address) throw new UsageError("give --address or set VAULT_ADDR");
  if (!/^https?:\/\/[^/]+/.test(address))
    throw new UsageError(
      `${JSON.stringify(address)} is not a server address: give e.g. http://127.0.0.1:8200 or https://vault.example.com:8200`,
    );
  const caFile = io.env.VAULT_CACERT ?? io.env.BAO_CACERT;
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = readFileSync(resolve(io.cwd, caFile), "utf8");
    } catch (error) {
      throw new InputError(
        `cannot read VAULT_CACERT file ${caFile} (${(error as NodeJS.ErrnoException).code ?? "error"}): point it at the CA's PEM file`,
      );
    }
  }
  const base = address.replace(/\/+$/, "");
  const call = namedFetch(base, ca);
  const token = io.env.VAULT_TOKEN ?? io.env.BAO_TOKEN;
  let found;
  try {
    found = await withProgress(io, `asking ${base} what it is`, () => detectServer(base, { token, fetch: call }));
  } catch (error) {
    if (!(error instanceof SyntaxError) && !/no usable version/.test((error as Error).message)) throw error;
    throw new ServerUnreachableError(
      `${base} answered sys/health with something that is not a Vault or OpenBao health report: check the address (is it the API port? an https server needs https://)`,
      base,
      { cause: error },
    );
  }
  const checked = token
    ? await withProgress(io, `checking the token against ${base}`, () => checkToken(call, base, token, io.env.VAULT_NAMESPACE))
    : undefined;
  if (options.json) {
    io.stdout(`${JSON.stringify({ ...found, address: base, token: checked?.token ?? null, lacks: checked?.lacks ?? null }, null, 2)}\n`);
  } else {
    io.stdout(`${found.summary}\n${checked ? tokenText(checked.token, checked.lacks) : "token: not checked (set VAULT_TOKEN)\n"}`);
  }
  return 0;
}

/** Add `detect` to the program. */
export function registerDetectCommand(program: Command, io: CliIo, run: Runner): void {
  program
    .command("detect")
    .description("report a live server's edition, version and features; verify VAULT_TOKEN and list the capabilities it lacks")
    .option("--address <url>", "server address (default VAULT_ADDR)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT and VAULT_NAMESPACE are read. A token the server refuses exits 1.

Examples:
  $ VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=… vaultsmith detect
  $ vaultsmith detect --address https://vault.example.com:8200 --json
`,
    )
    .action(run((options: { address?: string; json?: boolean }) => runDetectCommand(options, io)));
}
