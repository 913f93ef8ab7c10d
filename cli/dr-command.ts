/**
 * `vaultsmith dr …`: disaster recovery on the command line — Raft snapshots (save, verify,
 * restore), scheduled backups with retention, transit-encrypted KV backups with selective
 * restore, a drill that restores into a second cluster and measures the recovery time, and the
 * Enterprise replication calls rendered for an operator. Exit codes follow `main`: 0 done, 1
 * failed while running (or a drill that found differences), 2 bad usage or a bad file (a corrupt
 * snapshot, a backup that does not parse) — in which case nothing was changed.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { tryParseWholeDuration } from "../model/duration";
import { writeFileAtomic } from "../runtime/certs/cert-sinks";
import { VaultClient } from "../runtime/client/vault-client";
import { HttpTransport } from "../runtime/transport/http-transport";
import { BackupScheduler } from "../runtime/ops/dr/backup-schedule";
import { runDrDrill } from "../runtime/ops/dr/dr-drill";
import { KvBackupError, backupKv, parseKvBackup, restoreKvSelection } from "../runtime/ops/dr/kv-backup";
import { RaftSnapshots } from "../runtime/ops/dr/raft-snapshots";
import { ReplicationKind, ReplicationStep, ReplicationStepError, renderReplicationStep } from "../runtime/ops/dr/replication";
import { SnapshotInvalidError, verifySnapshotArchive } from "../runtime/ops/dr/snapshot-archive";
import { CliIo, InputError, Runner, UsageError, collect, kebabOptions, requiredOption, stringOption, printResult } from "./cli-io";
import { withConnection } from "./server-connection";

type Options = Readonly<Record<string, string | boolean | string[] | undefined>>;

function seconds(options: Options, name: string): number | undefined {
  const v = stringOption(options, name);
  if (v === undefined) return undefined;
  const s = tryParseWholeDuration(v);
  if (s === undefined || s === 0) throw new UsageError(`--${name}: "${v}" is not a positive duration like 30m, 24h or 7d`);
  return s;
}

function positiveInt(options: Options, name: string): number | undefined {
  const v = stringOption(options, name);
  if (v === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--${name}: "${v}" is not a positive whole number`);
  return Number(v);
}

/** Bad files are bad input (exit 2), with the reason. */
async function asInput<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SnapshotInvalidError || error instanceof KvBackupError || error instanceof ReplicationStepError) {
      throw new InputError(error.message);
    }
    throw error;
  }
}

function readBytes(io: CliIo, file: string): Uint8Array {
  return readFileSync(resolve(io.cwd, file));
}

function server(command: Command): Command {
  return command.option("--address <url>", "server address (default VAULT_ADDR)").option("--json", "print the result as JSON");
}

/** One or more `$ vaultsmith dr …` lines per subcommand (absolute paths stand for the operator's own files). */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  snapshot: ["dr snapshot save /var/backups/vault/now.snap", "dr snapshot verify /var/backups/vault/now.snap"],
  "snapshot save": ["dr snapshot save /var/backups/vault/now.snap --json"],
  "snapshot verify": ["dr snapshot verify /var/backups/vault/now.snap --json"],
  "snapshot restore": [
    "dr snapshot restore /var/backups/vault/now.snap --yes",
    "dr snapshot restore /var/backups/vault/other-cluster.snap --force --yes",
  ],
  backup: [
    "dr backup --dir /var/backups/vault --keep-last 24",
    "dr backup --dir /var/backups/vault --every 1h --keep-last 48 --max-age 7d",
  ],
  "kv-backup": ["dr kv-backup --mount secret --transit-key backup --out /var/backups/vault/secret.kvbackup.json"],
  "kv-restore": ["dr kv-restore /var/backups/vault/secret.kvbackup.json --path apps/billing/db --path apps/billing/api"],
  drill: ["dr drill --target http://10.0.2.10:8200 --unseal-key-file /secure/unseal.keys --kv-mount secret --json"],
  replication: [
    "dr replication dr enable-primary --primary-cluster-addr https://dc1.example.com:8201",
    "dr replication dr promote-secondary --dr-operation-token-env DR_OP_TOKEN --json",
  ],
};

function addExamples(command: Command, path: string): void {
  for (const sub of command.commands) {
    const name = path === "" ? sub.name() : `${path} ${sub.name()}`;
    const lines = EXAMPLES[name];
    if (lines) sub.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ vaultsmith ${l}`).join("\n")}\n`);
    addExamples(sub, name);
  }
}

/** Add `dr …` to the program. */
export function registerDrCommands(program: Command, io: CliIo, run: Runner): void {
  const dr = program
    .command("dr")
    .description("disaster recovery: Raft snapshots, scheduled backups, encrypted KV backups, drills, replication calls")
    .addHelpText(
      "after",
      `
The server comes from --address or VAULT_ADDR, the token from VAULT_TOKEN (root namespace).
Examples:
  $ vaultsmith dr snapshot save /var/backups/vault/now.snap
  $ vaultsmith dr snapshot verify /var/backups/vault/now.snap --json
  $ vaultsmith dr backup --dir /var/backups/vault --every 1h --keep-last 48 --max-age 7d
  $ vaultsmith dr drill --target http://10.0.2.10:8200 --unseal-key-file /secure/unseal.keys --kv-mount secret --json
`,
    );
  const snapshot = dr.command("snapshot").description("save, verify and restore Raft snapshots");
  server(
    snapshot.command("save").description("take a snapshot; written 0600 only once verified").argument("<file>", "where to write it"),
  ).action(
    run(async (file: string, options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        const snap = await new RaftSnapshots(conn.client).save();
        await writeFileAtomic(resolve(io.cwd, file), snap.bytes);
        printResult(
          io,
          o.json === true,
          { file, sha256: snap.sha256, bytes: snap.bytes.length, raftIndex: snap.meta.index, raftTerm: snap.meta.term },
          `saved ${file} (${snap.bytes.length} bytes, sha256 ${snap.sha256})`,
        );
        return 0;
      });
    }),
  );
  snapshot
    .command("verify")
    .description("check a snapshot file offline: gzip, tar, SHA256SUMS, sealed sums present")
    .argument("<file>", "snapshot file")
    .option("--json", "print the result as JSON")
    .action(
      run(async (file: string, options: Record<string, unknown>) => {
        const snap = await asInput(() => verifySnapshotArchive(readBytes(io, file)));
        printResult(
          io,
          options.json === true,
          { file, valid: true, sha256: snap.sha256, raftIndex: snap.meta.index, entries: snap.entries },
          `${file}: valid (raft index ${snap.meta.index}, sha256 ${snap.sha256})`,
        );
        return 0;
      }),
    );
  server(
    snapshot
      .command("restore")
      .description("restore a verified snapshot (replaces ALL data of the cluster; needs --yes)")
      .argument("<file>", "snapshot file")
      .option("--force", "restore into a cluster with other unseal keys (snapshot-force); unseal it with the snapshot's keys afterwards")
      .option("--yes", "confirm that the cluster's current data is replaced"),
  ).action(
    run(async (file: string, options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      const bytes = readBytes(io, file);
      const snap = await asInput(() => verifySnapshotArchive(bytes));
      if (o.yes !== true)
        throw new UsageError(`restoring ${file} replaces every secret, policy and mount of the cluster: add --yes to confirm`);
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        await new RaftSnapshots(conn.client).restore(snap.bytes, { force: o.force === true });
        printResult(
          io,
          o.json === true,
          { file, restored: true, sha256: snap.sha256, force: o.force === true },
          `restored ${file} (raft index ${snap.meta.index})`,
        );
        return 0;
      });
    }),
  );
  server(
    dr
      .command("backup")
      .description("write verified snapshots into a folder and apply retention; once, or every --every until stopped")
      .option("--dir <dir>", "backup folder")
      .option("--every <duration>", "repeat every duration (e.g. 1h); without it one backup is taken")
      .option("--keep-last <n>", "keep the newest n backups")
      .option("--max-age <duration>", "delete backups older than this (e.g. 7d); the newest is always kept"),
  ).action(
    run(async (options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      const dir = resolve(io.cwd, requiredOption(o, "dir"));
      const every = seconds(o, "every");
      const keepLast = positiveInt(o, "keep-last");
      const maxAge = seconds(o, "max-age");
      if (keepLast === undefined && maxAge === undefined) throw new UsageError("give a retention: --keep-last and/or --max-age");
      const report = (r: { written: { path: string }; sha256: string; pruned: readonly string[] }): void =>
        printResult(io, o.json === true, r, `backup ${r.written.path} (sha256 ${r.sha256}); pruned ${r.pruned.length}`);
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        const scheduler = new BackupScheduler(new RaftSnapshots(conn.client), {
          dir,
          intervalMs: (every ?? 3600) * 1000,
          retention: { keepLast, maxAgeMs: maxAge === undefined ? undefined : maxAge * 1000 },
        });
        report(await scheduler.runOnce());
        if (every === undefined) return 0;
        scheduler.on("backup", report);
        scheduler.on("error", (e: unknown) => io.stderr(`dr backup: ${(e as Error).message}\n`));
        scheduler.start();
        await waitForStop(io);
        await scheduler.stop();
        return 0;
      });
    }),
  );
  server(
    dr
      .command("kv-backup")
      .description("back up a KV v2 mount into a JSON file whose payload is encrypted by a transit key")
      .option("--mount <path>", "KV v2 mount")
      .option("--transit-key <name>", "transit key that encrypts the payload")
      .option("--transit-mount <path>", "transit mount", "transit")
      .option("--prefix <path>", "only secrets below this path")
      .option("--out <file>", "output file (0600)"),
  ).action(
    run(async (options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      const mount = requiredOption(o, "mount");
      const transitKey = requiredOption(o, "transit-key");
      const file = requiredOption(o, "out");
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        const backup = await backupKv(conn.client, {
          mount,
          transitKey,
          transitMount: stringOption(o, "transit-mount"),
          prefix: stringOption(o, "prefix"),
        });
        await writeFileAtomic(resolve(io.cwd, file), `${JSON.stringify(backup, null, 2)}\n`);
        printResult(
          io,
          o.json === true,
          { file, count: backup.count, mount: backup.mount, transit: backup.transit },
          `wrote ${file}: ${backup.count} secrets of ${backup.mount}, encrypted with ${backup.transit.mount}/${backup.transit.key}`,
        );
        return 0;
      });
    }),
  );
  server(
    dr
      .command("kv-restore")
      .description("restore exactly the chosen secrets from an encrypted KV backup (as new versions)")
      .argument("<file>", "backup file from kv-backup")
      .option("--path <path>", "secret path to restore (repeatable)", collect),
  ).action(
    run(async (file: string, options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      const paths = (options.path as string[] | undefined) ?? [];
      if (paths.length === 0) throw new UsageError("choose the secrets to restore with --path (repeatable)");
      const backup = await asInput(() => {
        let doc: unknown;
        try {
          doc = JSON.parse(readFileSync(resolve(io.cwd, file), "utf8"));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code) throw error;
          throw new KvBackupError(`${file} is not JSON`);
        }
        return parseKvBackup(doc, file);
      });
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        const result = await asInput(() => restoreKvSelection(conn.client, backup, paths));
        printResult(io, o.json === true, result, `restored ${result.restored.join(", ")} into ${backup.mount}`);
        return 0;
      });
    }),
  );
  server(
    dr
      .command("drill")
      .description(
        "snapshot this cluster, restore into --target (a freshly initialised cluster), unseal, verify checksums, measure recovery",
      )
      .option("--target <url>", "API address of each node of the target cluster (repeatable)", collect)
      .option("--unseal-key-file <file>", "the SOURCE cluster's unseal keys, one per line (the restored keyring needs them)")
      .option("--kv-mount <path>", "KV v2 mount to verify (repeatable)", collect)
      .option("--target-token-env <name>", "environment variable with the target's own root token", "DR_TARGET_TOKEN"),
  ).action(
    run(async (options: Record<string, unknown>) => {
      const o = kebabOptions(options);
      const targets = (options.target as string[] | undefined) ?? [];
      if (targets.length === 0) throw new UsageError("--target is required (each node of the cluster to restore into)");
      const mounts = (options.kvMount as string[] | undefined) ?? [];
      if (mounts.length === 0) throw new UsageError("--kv-mount is required (repeatable): the KV v2 mounts to verify");
      const keyFile = requiredOption(o, "unseal-key-file");
      const tokenEnv = stringOption(o, "target-token-env") ?? "DR_TARGET_TOKEN";
      const targetToken = io.env[tokenEnv];
      if (!targetToken) throw new UsageError(`set ${tokenEnv} to the target cluster's root token`);
      const keys = readFileSync(resolve(io.cwd, keyFile), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
      if (keys.length === 0) throw new InputError(`${keyFile} holds no unseal key`);
      const sourceToken = io.env.VAULT_TOKEN ?? io.env.BAO_TOKEN ?? "";
      const clients: VaultClient[] = [];
      return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
        try {
          const report = await runDrDrill(
            conn.client,
            {
              destroy: async () => undefined,
              rebuild: async () => {
                const c = new VaultClient({ addresses: targets, token: targetToken, retry: { deadlineMs: 60_000 } });
                clients.push(c);
                return c;
              },
              afterRestore: async () => {
                const c = new VaultClient({ addresses: targets, token: sourceToken, retry: { deadlineMs: 120_000 } });
                clients.push(c);
                await unsealAll(targets, keys);
                return c;
              },
            },
            { kvMounts: mounts },
          );
          printResult(
            io,
            o.json === true,
            report,
            `${report.identical ? "identical" : "DIFFERENT"}: ${report.verified.secrets} secrets, ${report.verified.policies} policies; recovery ${report.recoveryMs} ms (restore ${report.phasesMs.restore} ms, unseal ${report.phasesMs.unseal} ms, verify ${report.phasesMs.verify} ms)`,
          );
          return report.identical ? 0 : 1;
        } finally {
          await Promise.all(clients.map((c) => c.close()));
        }
      });
    }),
  );
  dr.command("replication")
    .description("render Vault Enterprise replication calls (validated, never sent: no Enterprise server is assumed)")
    .argument("<kind>", "dr or performance")
    .argument("<step>", "enable-primary, secondary-token, enable-secondary, promote-secondary, demote-primary, status")
    .option("--id <id>", "secondary id (secondary-token)")
    .option("--ttl <duration>", "secondary token TTL (secondary-token)")
    .option("--token-env <name>", "environment variable with the activation token (enable-secondary)")
    .option("--dr-operation-token-env <name>", "environment variable with the DR operation token (promote-secondary)")
    .option("--primary-cluster-addr <url>", "https:// cluster address")
    .option("--primary-api-addr <url>", "https:// API address of the primary (enable-secondary)")
    .option("--json", "print the call as JSON")
    .action(
      run(async (kind: string, step: string, options: Record<string, unknown>) => {
        const o = kebabOptions(options);
        if (kind !== "dr" && kind !== "performance") throw new UsageError(`<kind> must be dr or performance, got "${kind}"`);
        const env = (name: string | undefined): string | undefined => (name ? io.env[name] : undefined);
        const call = await asInput(() =>
          renderReplicationStep(
            kind as ReplicationKind,
            {
              op: step,
              id: stringOption(o, "id"),
              ttl: stringOption(o, "ttl"),
              token: env(stringOption(o, "token-env")),
              drOperationToken: env(stringOption(o, "dr-operation-token-env")),
              primaryClusterAddr: stringOption(o, "primary-cluster-addr"),
              primaryApiAddr: stringOption(o, "primary-api-addr"),
            } as ReplicationStep,
          ),
        );
        // The body may hold a token: it is shown with values masked, the operator's tooling fills them in.
        const shown = {
          ...call,
          body: Object.fromEntries(Object.entries(call.body).map(([k, v]) => [k, /token/.test(k) ? "<redacted>" : v])),
        };
        printResult(
          io,
          o.json === true,
          shown,
          `${call.method} /v1/${call.path} ${JSON.stringify(shown.body)}${call.requires.length ? ` (needs ${call.requires.join(", ")})` : ""}`,
        );
        return 0;
      }),
    );
  addExamples(dr, "");
}

/**
 * Unseal every node with the keys (a Shamir quorum) until each reports unsealed. Each node is
 * asked directly: seal state is a node's own, and routing would send every call to one node.
 */
async function unsealAll(addresses: readonly string[], keys: readonly string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const address of addresses) {
    const node = new HttpTransport({ address, timeoutMs: 5_000 });
    try {
      for (;;) {
        const status = await node
          .send<{ sealed: boolean }>({ method: "GET", path: "sys/seal-status", unauthenticated: true })
          .catch(() => undefined);
        if (status?.body && !status.body.sealed) break;
        if (status)
          for (const key of keys)
            await node.send({ method: "PUT", path: "sys/unseal", body: { key }, unauthenticated: true }).catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`${address} did not unseal within 120 s with the given keys`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await node.close();
    }
  }
}

async function waitForStop(io: CliIo): Promise<void> {
  if (io.stop) {
    if (io.stop.aborted) return;
    await new Promise<void>((r) => io.stop?.addEventListener("abort", () => r(), { once: true }));
    return;
  }
  await new Promise<void>((r) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      r();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
