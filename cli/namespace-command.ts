/**
 * `vaultsmith namespace …`: tenants in namespaces (OpenBao, Vault Enterprise) — provision from a
 * tenants file (the `TenantStack` format) or by flags, list, inspect, delete (the path must be
 * repeated with --confirm), explain a token's policies, share one secret across namespaces through
 * an audited grant, set a rate limit, migrate a tenant (verified by checksums), export (sealed
 * with a transit key) and restore. An unknown namespace, a non-empty migration target or a bad
 * file is bad input (exit 2) and changes nothing; failures while running exit 1.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { parseYaml } from "../model/yaml-loader";
import { validateSpec } from "../model/validation";
import { writeFileAtomic } from "../runtime/certs/cert-sinks";
import { NamespaceAdmin, NamespaceExistsError, NamespaceNotFoundError } from "../runtime/ops/namespaces/namespace-admin";
import {
  MigrationTargetNotEmptyError,
  exportNamespace,
  migrateNamespace,
  restoreNamespace,
} from "../runtime/ops/namespaces/namespace-migration";
import { setNamespaceRateLimit } from "../runtime/ops/namespaces/namespace-quotas";
import { explainTokenPolicies } from "../runtime/ops/namespaces/policy-explain";
import { openNamespaceExport, sealNamespaceExport } from "../runtime/ops/namespaces/sealed-export";
import { createShareGrant, listShareGrants, revokeShareGrant } from "../runtime/ops/namespaces/share-grants";
import { TenantSpec, TenantSpecError, provisionTenant } from "../runtime/ops/namespaces/tenant-provision";
import { OpsInputError } from "../runtime/ops/ops-input-error";
import { tenantsFileSchema } from "../stacks/tenant-spec";
import { CliIo, InputError, Runner, UsageError, collect, kebabOptions, requiredOption, stringOption, printResult } from "./cli-io";
import { ServerConnection, withConnection } from "./server-connection";

type Options = Readonly<Record<string, unknown>>;

function positive(o: Options, name: string): number | undefined {
  const v = stringOption(o, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`--${name}: "${v}" is not a positive number`);
  return n;
}

/** Run `fn` on a connection; typed refusals (unknown namespace, non-empty target, bad spec) are bad input. */
async function withServer(io: CliIo, o: Options, fn: (conn: ServerConnection) => Promise<number>): Promise<number> {
  try {
    return await withConnection(io, { address: stringOption(o, "address") }, fn);
  } catch (error) {
    if (
      error instanceof NamespaceNotFoundError ||
      error instanceof NamespaceExistsError ||
      error instanceof MigrationTargetNotEmptyError ||
      error instanceof TenantSpecError ||
      error instanceof OpsInputError
    ) {
      throw new InputError(error.message);
    }
    throw error;
  }
}

const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  list: ["namespace list --json"],
  inspect: ["namespace inspect tenant-a --json"],
  provision: [
    "namespace provision --tenants-file /etc/vaultsmith/tenants.yaml",
    "namespace provision tenant-c --transit-key orders --rps 50",
  ],
  delete: ["namespace delete tenant-c --confirm tenant-c"],
  explain: ["namespace explain --token-env APP_TOKEN --token-namespace tenant-a --target tenant-a/team"],
  share: ["namespace share tenant-a secret payments-db --grantee tenant-b --ttl 3600 --json"],
  grants: ["namespace grants tenant-a"],
  revoke: ["namespace revoke tenant-a 3f9a1c2b7d4e"],
  quota: ["namespace quota tenant-a --rps 100"],
  migrate: ["namespace migrate tenant-b tenant-b2 --delete-source --json"],
  export: ["namespace export tenant-a --transit-key backup --out /var/backups/vault/tenant-a.export.json"],
  restore: ["namespace restore /var/backups/vault/tenant-a.export.json tenant-a-restored"],
};

/** Add `namespace …` to the program. */
export function registerNamespaceCommands(program: Command, io: CliIo, run: Runner): void {
  const ns = program
    .command("namespace")
    .description("tenant namespaces: provision, list, inspect, delete, explain policies, share grants, quotas, migrate, export/restore")
    .addHelpText(
      "after",
      `
The server comes from --address or VAULT_ADDR, the token from VAULT_TOKEN (root namespace).
Examples:
  $ vaultsmith namespace list
  $ vaultsmith namespace migrate tenant-b tenant-b2 --json
`,
    );
  const common = (c: Command): Command =>
    c.option("--address <url>", "server address (default VAULT_ADDR)").option("--json", "print the result as JSON");

  common(ns.command("list").description("child namespaces").option("--parent <path>", "parent namespace (default root)")).action(
    run(async (options: Record<string, unknown>) =>
      withServer(io, options, async ({ client }) => {
        const items = await new NamespaceAdmin(client).list(stringOption(options, "parent") ?? "");
        printResult(io, options.json === true, items, items.map((n) => n.path).join("\n"));
        return 0;
      }),
    ),
  );
  common(
    ns.command("inspect").description("mounts, auth methods, policies, children and quotas of a namespace").argument("<path>", "namespace"),
  ).action(
    run(async (path: string, options: Record<string, unknown>) =>
      withServer(io, options, async ({ client }) => {
        const i = await new NamespaceAdmin(client).inspect(path);
        printResult(
          io,
          options.json === true,
          i,
          [
            `${i.path} (id ${i.id})`,
            `mounts: ${
              Object.entries(i.mounts)
                .map(([p, t]) => `${p} (${t})`)
                .join(", ") || "-"
            }`,
            `auth: ${
              Object.entries(i.authMethods)
                .map(([p, t]) => `${p} (${t})`)
                .join(", ") || "-"
            }`,
            `policies: ${i.policies.join(", ") || "-"}`,
            `children: ${i.children.join(", ") || "-"}`,
            `quotas: ${i.quotas.map((q) => `${q.name} ${q.rate}/interval`).join(", ") || "-"}`,
          ].join("\n"),
        );
        return 0;
      }),
    ),
  );
  common(
    ns
      .command("provision")
      .description("create tenant namespaces with KV, transit keys, admin/reader policies, an AppRole and a rate limit")
      .argument("[name]", "one tenant by flags (or use --tenants-file)")
      .option("--tenants-file <file>", "a TenantStack tenants YAML (target: and tenants:)")
      .option("--kv-mount <path>", "KV v2 mount", "secret")
      .option("--transit-key <name>", "transit key (repeatable)", collect)
      .option("--rps <n>", "rate limit, requests per second"),
  ).action(
    run(async (name: string | undefined, options: Record<string, unknown>) => {
      const o = kebabOptions(options) as Options;
      const file = stringOption(o, "tenants-file");
      if ((name === undefined) === (file === undefined)) throw new UsageError("give a tenant <name> or --tenants-file, not both");
      let specs: TenantSpec[];
      if (file) {
        const { data, locate } = parseYaml(readFileSync(resolve(io.cwd, file), "utf8"), file);
        const parsed = validateSpec(tenantsFileSchema, data, { file, locate });
        if (parsed.target.edition === "vault-ce")
          throw new InputError(`${file}: namespaces are not available on the target Vault CE ${parsed.target.version}`);
        specs = parsed.tenants.map((t) => ({
          name: t.name,
          kvMount: t.kvMount,
          kvMaxVersions: t.kvMaxVersions,
          transitKeys: t.transitKeys,
          requestsPerSecond: t.requestsPerSecond,
          appTokenTtlSeconds: t.appTokenTtl,
        }));
      } else {
        specs = [
          {
            name: name as string,
            kvMount: stringOption(o, "kv-mount"),
            transitKeys: (options.transitKey as string[] | undefined) ?? [],
            requestsPerSecond: positive(o, "rps"),
          },
        ];
      }
      return withServer(io, o, async ({ client }) => {
        const done = [];
        for (const spec of specs) done.push(await provisionTenant(client, spec));
        printResult(
          io,
          o.json === true,
          done,
          done
            .map(
              (t) =>
                `provisioned ${t.namespace}: ${t.kvMount} (kv-v2), policies ${t.policies.join(", ")}, approle role app${t.quota ? `, quota ${t.quota}` : ""}`,
            )
            .join("\n"),
        );
        return 0;
      });
    }),
  );
  common(
    ns
      .command("delete")
      .description("delete a namespace and everything in it; repeat its path with --confirm")
      .argument("<path>", "namespace")
      .option("--confirm <path>", "the same path again, to confirm"),
  ).action(
    run(async (path: string, options: Record<string, unknown>) => {
      if (stringOption(options, "confirm") !== path)
        throw new UsageError(`deleting ${path} destroys its secrets, policies and auth methods: repeat the path with --confirm ${path}`);
      return withServer(io, options, async ({ client }) => {
        await new NamespaceAdmin(client).delete(path);
        printResult(io, options.json === true, { deleted: path }, `deleted ${path}`);
        return 0;
      });
    }),
  );
  common(
    ns
      .command("explain")
      .description("a token's policies for a namespace: local, or inherited from the token's namespace")
      .option("--token-env <name>", "environment variable holding the token")
      .option("--token-namespace <path>", "namespace the token was issued in (default root)")
      .option("--target <path>", "namespace to explain for (default the token's)"),
  ).action(
    run(async (options: Record<string, unknown>) => {
      const o = kebabOptions(options) as Options;
      const env = requiredOption(o, "token-env");
      const token = io.env[env];
      if (!token) throw new UsageError(`environment variable ${env} is not set`);
      return withServer(io, o, async ({ client }) => {
        const e = await explainTokenPolicies(client, {
          token,
          tokenNamespace: stringOption(o, "token-namespace"),
          target: stringOption(o, "target"),
        });
        printResult(
          io,
          o.json === true,
          e,
          [
            `token of "${e.tokenNamespace}" acting in "${e.target}"`,
            ...e.policies.map(
              (p) =>
                `${p.name} (${p.source}, ${p.scope} from "${p.definedIn}"): ${
                  p.rules
                    .filter((r) => r.appliesToTarget)
                    .map((r) => `${r.fullPath} [${r.capabilities.join(",")}]`)
                    .join("; ") || "no rule reaches the target"
                }`,
            ),
          ].join("\n"),
        );
        return 0;
      });
    }),
  );
  common(
    ns
      .command("share")
      .description("let another namespace read one secret through an explicit, audited grant (prints a response-wrapping token)")
      .argument("<owner>", "namespace holding the secret")
      .argument("<mount>", "KV v2 mount")
      .argument("<path>", "secret path")
      .option("--grantee <namespace>", "namespace the grant is for")
      .option("--ttl <seconds>", "lifetime of the grant's token", "3600"),
  ).action(
    run(async (owner: string, mount: string, path: string, options: Record<string, unknown>) => {
      const grantee = requiredOption(options, "grantee");
      const ttl = positive(options, "ttl") ?? 3600;
      return withServer(io, options, async ({ client }) => {
        const issued = await createShareGrant(client, { owner, grantee, mount, path, ttlSeconds: Math.round(ttl) });
        printResult(
          io,
          options.json === true,
          issued,
          `grant ${issued.grant.id}: ${grantee} may read ${owner}/${mount}/${path} until ${issued.grant.expiresAt}\nwrapping token (unwrap once, in namespace ${owner}): ${issued.wrappingToken}`,
        );
        return 0;
      });
    }),
  );
  common(ns.command("grants").description("share grants of a namespace").argument("<owner>", "namespace")).action(
    run(async (owner: string, options: Record<string, unknown>) =>
      withServer(io, options, async ({ client }) => {
        const grants = await listShareGrants(client, owner);
        printResult(
          io,
          options.json === true,
          grants,
          grants.map((g) => `${g.id}: ${g.grantee} reads ${g.mount}/${g.path} until ${g.expiresAt}`).join("\n"),
        );
        return 0;
      }),
    ),
  );
  common(ns.command("revoke").description("revoke a share grant").argument("<owner>", "namespace").argument("<id>", "grant id")).action(
    run(async (owner: string, id: string, options: Record<string, unknown>) =>
      withServer(io, options, async ({ client }) => {
        await revokeShareGrant(client, owner, id);
        printResult(io, options.json === true, { revoked: id }, `revoked grant ${id}`);
        return 0;
      }),
    ),
  );
  common(
    ns
      .command("quota")
      .description("set a namespace's rate limit (a quota in the root namespace)")
      .argument("<path>", "namespace")
      .option("--rps <n>", "requests per second"),
  ).action(
    run(async (path: string, options: Record<string, unknown>) => {
      const rate = positive(options, "rps");
      if (rate === undefined) throw new UsageError("--rps is required");
      return withServer(io, options, async ({ client }) => {
        const name = await setNamespaceRateLimit(client, path, { rate });
        printResult(io, options.json === true, { quota: name, namespace: path, rate }, `quota ${name}: ${rate} requests/s for ${path}`);
        return 0;
      });
    }),
  );
  common(
    ns
      .command("migrate")
      .description("move a tenant's KV data and policies to another (empty) namespace, verified by checksums")
      .argument("<source>", "namespace to move from")
      .argument("<target>", "namespace to move to (created when missing; must be empty)")
      .option("--delete-source", "delete the source once the copy is verified identical"),
  ).action(
    run(async (source: string, target: string, options: Record<string, unknown>) => {
      const o = kebabOptions(options) as Options;
      return withServer(io, o, async ({ client }) => {
        const r = await migrateNamespace(client, source, target, { deleteSource: o["delete-source"] === true });
        printResult(
          io,
          o.json === true,
          r,
          `${r.identical ? "identical" : "DIFFERENT"}: ${r.written.secrets} secrets and ${r.written.policies} policies from ${r.source} to ${r.namespace}${r.sourceDeleted ? `; ${r.source} deleted` : ""}`,
        );
        return r.identical ? 0 : 1;
      });
    }),
  );
  common(
    ns
      .command("export")
      .description("export a namespace's KV data and policies into a file sealed with a transit key (0600)")
      .argument("<path>", "namespace")
      .option("--transit-key <name>", "transit key (root namespace) that seals the file")
      .option("--transit-mount <path>", "transit mount", "transit")
      .option("--out <file>", "output file"),
  ).action(
    run(async (path: string, options: Record<string, unknown>) => {
      const o = kebabOptions(options) as Options;
      const key = requiredOption(o, "transit-key");
      const out = requiredOption(o, "out");
      return withServer(io, o, async ({ client }) => {
        const data = await exportNamespace(client, path);
        const sealed = await sealNamespaceExport(client, data, { mount: stringOption(o, "transit-mount") ?? "transit", key });
        await writeFileAtomic(resolve(io.cwd, out), `${JSON.stringify(sealed, null, 2)}\n`);
        printResult(
          io,
          o.json === true,
          { file: out, namespace: data.namespace, digest: data.inventory.digest, items: data.inventory.entries.length },
          `exported ${data.namespace} to ${out} (${data.inventory.entries.length} items, digest ${data.inventory.digest})`,
        );
        return 0;
      });
    }),
  );
  common(
    ns
      .command("restore")
      .description("restore an export into an empty namespace (created when missing), verified by checksums")
      .argument("<file>", "a sealed export")
      .argument("<target>", "namespace to restore into"),
  ).action(
    run(async (file: string, target: string, options: Record<string, unknown>) => {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(resolve(io.cwd, file), "utf8"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code) throw error;
        throw new InputError(`${file} is not JSON`);
      }
      return withServer(io, options, async ({ client }) => {
        const data = await openNamespaceExport(client, doc, file);
        const r = await restoreNamespace(client, target, data, { createNamespace: true });
        printResult(
          io,
          options.json === true,
          r,
          `${r.identical ? "identical" : "DIFFERENT"}: restored ${r.written.secrets} secrets and ${r.written.policies} policies of ${data.namespace} into ${r.namespace}`,
        );
        return r.identical ? 0 : 1;
      });
    }),
  );
  for (const sub of ns.commands) {
    const lines = EXAMPLES[sub.name()];
    if (lines) sub.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ vaultsmith ${l}`).join("\n")}\n`);
  }
}
