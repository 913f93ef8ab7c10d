/**
 * `vaultsmith audit …`: read an audit stream (a file device's log, tailed or read once; or a
 * socket device's stream) into typed events, alert on it (events on stdout, optional webhook),
 * archive it compressed per namespace, and report on a log file: forensic search, policy path
 * usage, compliance evidence. `device` enables a device through the API (Vault) and, where the
 * server only takes declarative devices (OpenBao 2.x), prints the configuration stanza instead.
 * Exit codes follow `main`: 0 done, 1 failed while running, 2 bad usage or input.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command } from "commander";
import { tryParseWholeDuration } from "../model/duration";
import { AuditAlert, WebhookAlertSink } from "../runtime/ops/audit/audit-alerts";
import { AuditArchive } from "../runtime/ops/audit/audit-archive";
import { auditHash } from "../runtime/ops/audit/audit-correlator";
import { AuditDeviceConfigOnlyError, AuditDeviceSpec, enableAuditDevice, renderAuditStanza } from "../runtime/ops/audit/audit-devices";
import { AuditParseError } from "../runtime/ops/audit/audit-entry";
import { createAuditPipeline } from "../runtime/ops/audit/audit-pipeline";
import { DEFAULT_CONTROLS, ForensicQuery } from "../runtime/ops/audit/audit-reports";
import { AuditHttpReceiver, AuditSocketReceiver, tailAuditFile } from "../runtime/ops/audit/audit-sources";
import { CliIo, InputError, Runner, UsageError, collect, kebabOptions, stringOption } from "./cli-io";
import { withConnection } from "./server-connection";

type Options = Readonly<Record<string, unknown>>;

function list(o: Options, name: string): string[] {
  const v = o[name];
  return Array.isArray(v) ? (v as string[]) : [];
}

function date(o: Options, name: string): Date | undefined {
  const v = stringOption(o, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name}: "${v}" is not a date/time (ISO 8601, e.g. 2026-01-31T10:00:00Z)`);
  return d;
}

function keyValues(values: string[], flag: string): Record<string, string> {
  return Object.fromEntries(
    values.map((kv) => {
      const i = kv.indexOf("=");
      if (i <= 0) throw new UsageError(`--${flag} takes key=value, got "${kv}"`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

/** Read a whole log file through a pipeline (alerts off unless asked). */
function readLog(io: CliIo, file: string): ReturnType<typeof createAuditPipeline> & { parseErrors: AuditParseError[] } {
  const pipeline = createAuditPipeline({ alerts: false });
  const parseErrors: AuditParseError[] = [];
  pipeline.stream.on("parse-error", (e: AuditParseError) => parseErrors.push(e));
  pipeline.stream.push(file, readFileSync(resolve(io.cwd, file)));
  pipeline.stream.end(file);
  return { ...pipeline, parseErrors };
}

const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  watch: [
    "audit watch --file /var/log/openbao/audit.log --known-entity 7d3c… --break-glass-policy break-glass --webhook https://alerts.example.com/vault",
    "audit watch --listen 127.0.0.1:9090 --archive-dir /var/lib/vaultsmith/audit --retention 90d --json",
    "audit watch --http 0.0.0.0:8443 --tls-cert /etc/vaultsmith/tls/cert.pem --tls-key /etc/vaultsmith/tls/key.pem",
  ],
  search: ["audit search /var/log/openbao/audit.log --entity 7d3c… --path 'secret/data/billing/*' --from 2026-01-31T00:00:00Z --json"],
  report: [
    "audit report /var/log/openbao/audit.log --compliance --json",
    "audit report /var/log/openbao/audit.log --usage --policy-file /etc/vault/policies/app.hcl",
  ],
  hash: ["audit hash file-audit --input-env SUSPECT_TOKEN"],
  device: ["audit device file file-audit --option file_path=/var/log/openbao/audit.log"],
};

/** Add `audit …` to the program. */
export function registerAuditCommands(program: Command, io: CliIo, run: Runner): void {
  const audit = program
    .command("audit")
    .description("audit streams: typed events, alerts, archive, forensic search, usage and compliance reports, devices")
    .addHelpText(
      "after",
      `
OpenBao 2.x declares audit devices in its server configuration; Vault enables them through the API (see audit device).
Examples:
  $ vaultsmith audit watch --file /var/log/openbao/audit.log --json
  $ vaultsmith audit report /var/log/openbao/audit.log --compliance
`,
    );
  audit
    .command("watch")
    .description("follow a file device's log or receive a socket device's stream; print alerts (and exchanges with --all)")
    .option("--file <path>", "a file device's log to tail")
    .option("--listen <host:port>", "receive a socket device's stream on this address")
    .option("--http <host:port>", "receive an http device's POSTs on this address (HTTPS with --tls-cert and --tls-key)")
    .option("--tls-cert <file>", "PEM certificate for --http")
    .option("--tls-key <file>", "PEM private key for --http")
    .option("--from-start", "with --file: read what the file already holds first")
    .option("--known-entity <id>", "an entity expected to use the cluster (repeatable); others alert", collect)
    .option("--break-glass-policy <name>", "a policy only break-glass tokens have (repeatable)", collect)
    .option("--webhook <url>", "POST each alert as JSON here")
    .option("--archive-dir <dir>", "archive exchanges gzip-compressed per namespace and hour")
    .option("--retention <duration>", "with --archive-dir: delete files older than this (e.g. 90d)", "90d")
    .option("--namespace <path>", "only this namespace (repeatable; segregated stream)", collect)
    .option("--all", "print every exchange, not only alerts")
    .option("--json", "one JSON object per line")
    .action(
      run(async (options: Record<string, unknown>) => {
        const o = kebabOptions(options) as Options;
        const file = stringOption(o, "file");
        const listen = stringOption(o, "listen");
        const http = stringOption(o, "http");
        if ([file, listen, http].filter((x) => x !== undefined).length !== 1)
          throw new UsageError("give exactly one of --file, --listen or --http");
        const certFile = stringOption(o, "tls-cert");
        const keyFile = stringOption(o, "tls-key");
        if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError("--tls-cert and --tls-key go together");
        const retention = tryParseWholeDuration(stringOption(o, "retention"));
        if (!retention) throw new UsageError(`--retention: "${stringOption(o, "retention")}" is not a positive duration like 90d`);
        const archiveDir = stringOption(o, "archive-dir");
        const archive = archiveDir ? new AuditArchive({ dir: resolve(io.cwd, archiveDir), retentionMs: retention * 1000 }) : undefined;
        const known = list(options, "knownEntity");
        const breakGlass = list(options, "breakGlassPolicy");
        const namespaces = list(options, "namespace");
        const pipeline = createAuditPipeline({
          alerts: {
            ...(known.length ? { knownEntities: known } : {}),
            ...(breakGlass.length ? { breakGlass: { policies: breakGlass } } : {}),
          },
          archive,
          store: false,
          ...(namespaces.length ? { namespaces } : {}),
        });
        const json = o.json === true;
        pipeline.alerts?.on("alert", (a: AuditAlert) =>
          io.stdout(json ? `${JSON.stringify({ alert: a })}\n` : `ALERT ${a.severity} ${a.rule}: ${a.message} (request ${a.requestId})\n`),
        );
        const webhook = stringOption(o, "webhook");
        if (webhook && pipeline.alerts)
          new WebhookAlertSink(webhook).attach(pipeline.alerts, (e) => io.stderr(`audit watch: ${(e as Error).message}\n`));
        if (o.all === true) {
          pipeline.correlator.on("exchange", (ex: { id: string; operation: string; path: string; namespace: string; error?: string }) =>
            io.stdout(
              json
                ? `${JSON.stringify({ exchange: { id: ex.id, operation: ex.operation, path: ex.path, namespace: ex.namespace, error: ex.error } })}\n`
                : `${ex.operation} ${ex.path} ${ex.error ?? "ok"}\n`,
            ),
          );
        }
        pipeline.stream.on("parse-error", (e: AuditParseError) => io.stderr(`audit watch: ${e.message}\n`));
        const receiver = listen ? new AuditSocketReceiver(pipeline.stream) : undefined;
        if (receiver && listen) {
          const m = /^(.+):(\d+)$/.exec(listen);
          if (!m) throw new UsageError(`--listen takes host:port, got "${listen}"`);
          io.stderr(`listening on ${await receiver.listen({ host: m[1], port: Number(m[2]) })}\n`);
        }
        const httpReceiver = http ? new AuditHttpReceiver(pipeline.stream) : undefined;
        if (httpReceiver && http) {
          const m = /^(.+):(\d+)$/.exec(http);
          if (!m) throw new UsageError(`--http takes host:port, got "${http}"`);
          const tls =
            certFile && keyFile
              ? { cert: readFileSync(resolve(io.cwd, certFile), "utf8"), key: readFileSync(resolve(io.cwd, keyFile), "utf8") }
              : undefined;
          io.stderr(`receiving on ${await httpReceiver.listen({ host: m[1], port: Number(m[2]), ...(tls ? { tls } : {}) })}\n`);
        }
        const tail = file ? tailAuditFile(resolve(io.cwd, file), pipeline.stream, { fromStart: o["from-start"] === true }) : undefined;
        await waitForStop(io);
        await tail?.stop();
        await receiver?.close();
        await httpReceiver?.close();
        await archive?.flush();
        await archive?.prune();
        return 0;
      }),
    );
  audit
    .command("search")
    .description("forensic search of a log file by entity, path, namespace, operation and time")
    .argument("<file>", "a file device's log")
    .option("--entity <id>", "entity id")
    .option("--path <glob>", "path, with + for one segment and a trailing * for any rest")
    .option("--namespace <path>", "namespace path (root: empty string)")
    .option("--operation <op>", "operation (repeatable)", collect)
    .option("--token-hash <hmac>", "token HMAC, from audit hash")
    .option("--failed", "only failed requests")
    .option("--from <time>", "from this time (ISO 8601)")
    .option("--to <time>", "until this time (ISO 8601)")
    .option("--json", "print the matches as JSON")
    .action(
      run(async (file: string, options: Record<string, unknown>) => {
        const o = kebabOptions(options) as Options;
        const query: ForensicQuery = {
          entityId: stringOption(o, "entity"),
          path: stringOption(o, "path"),
          namespace: stringOption(o, "namespace"),
          operations: list(options, "operation").length ? list(options, "operation") : undefined,
          tokenHash: stringOption(o, "token-hash"),
          failed: o.failed === true ? true : undefined,
          from: date(o, "from"),
          to: date(o, "to"),
        };
        const log = readLog(io, file);
        const hits = log.store?.search(query) ?? [];
        const rows = hits.map((e) => ({
          time: e.request.time.toISOString(),
          id: e.id,
          namespace: e.namespace,
          entity: e.entityId,
          remoteAddress: e.remoteAddress,
          operation: e.operation,
          path: e.path,
          error: e.error,
        }));
        if (o.json === true)
          io.stdout(`${JSON.stringify({ matches: rows, parseErrors: log.parseErrors.map((e) => e.message) }, null, 2)}\n`);
        else
          io.stdout(
            rows
              .map(
                (r) =>
                  `${r.time} ${r.id} ${r.operation} ${r.namespace ? `${r.namespace}/` : ""}${r.path} entity=${r.entity ?? "-"} from=${r.remoteAddress ?? "-"}${r.error ? ` ERROR ${r.error.replace(/\s+/g, " ").trim()}` : ""}`,
              )
              .join("\n") + (rows.length ? "\n" : ""),
          );
        return 0;
      }),
    );
  audit
    .command("report")
    .description("compliance evidence per control, or policy path usage (used and never used), from a log file")
    .argument("<file>", "a file device's log")
    .option("--compliance", "evidence for the built-in control set")
    .option("--usage", "usage of each path of the --policy-file policies")
    .option("--policy-file <file>", "a policy HCL file (repeatable); the policy name is the file name without .hcl", collect)
    .option("--json", "print the report as JSON")
    .action(
      run(async (file: string, options: Record<string, unknown>) => {
        const o = kebabOptions(options) as Options;
        if (o.compliance !== true && o.usage !== true) throw new UsageError("choose --compliance and/or --usage");
        const log = readLog(io, file);
        const report: Record<string, unknown> = { exchanges: log.store?.size ?? 0, parseErrors: log.parseErrors.length };
        if (o.compliance === true) report.compliance = log.store?.compliance(DEFAULT_CONTROLS);
        if (o.usage === true) {
          const files = list(options, "policyFile");
          if (files.length === 0) throw new UsageError("--usage needs --policy-file (repeatable)");
          const policies = Object.fromEntries(
            files.map((f) => [f.replace(/^.*\//, "").replace(/\.hcl$/, ""), readFileSync(resolve(io.cwd, f), "utf8")]),
          );
          report.usage = log.store?.usage(policies);
        }
        io.stdout(o.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
        return 0;
      }),
    );
  audit
    .command("hash")
    .description("the HMAC a device writes for a value (sys/audit-hash), to find it in the log without the log holding it")
    .argument("<device>", "audit device path")
    .option("--input-env <name>", "environment variable holding the value (never a command-line argument)")
    .option("--address <url>", "server address (default VAULT_ADDR)")
    .action(
      run(async (device: string, options: Record<string, unknown>) => {
        const o = kebabOptions(options) as Options;
        const name = stringOption(o, "input-env");
        if (!name) throw new UsageError("--input-env is required");
        const value = io.env[name];
        if (value === undefined) throw new UsageError(`environment variable ${name} is not set`);
        return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
          io.stdout(`${await auditHash(conn.client, device, value)}\n`);
          return 0;
        });
      }),
    );
  audit
    .command("device")
    .description("enable an audit device through the API (Vault); on OpenBao 2.x print the configuration stanza to declare it")
    .argument("<type>", "file or socket")
    .argument("<path>", "device path")
    .option("--option <key=value>", "device option (repeatable), e.g. file_path=/var/log/vault/audit.log", collect)
    .option("--stanza", "only print the OpenBao configuration stanza")
    .option("--address <url>", "server address (default VAULT_ADDR)")
    .action(
      run(async (type: string, path: string, options: Record<string, unknown>) => {
        const o = kebabOptions(options) as Options;
        const spec = { type, path, options: keyValues(list(options, "option"), "option") } as AuditDeviceSpec;
        let stanza: string;
        try {
          stanza = renderAuditStanza(spec);
        } catch (error) {
          throw new InputError((error as Error).message);
        }
        if (o.stanza === true) {
          io.stdout(stanza);
          return 0;
        }
        return withConnection(io, { address: stringOption(o, "address") }, async (conn) => {
          try {
            await enableAuditDevice(conn.client, spec);
            io.stdout(`enabled audit device ${path} (${type})\n`);
            return 0;
          } catch (error) {
            if (!(error instanceof AuditDeviceConfigOnlyError)) throw error;
            io.stderr(`audit device: ${error.message}; add this to the server configuration and reload (SIGHUP):\n`);
            io.stdout(error.stanza);
            return 1;
          }
        });
      }),
    );
  for (const sub of audit.commands) {
    const lines = EXAMPLES[sub.name()];
    if (lines) sub.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ vaultsmith ${l}`).join("\n")}\n`);
  }
}

function formatReport(report: Record<string, unknown>): string {
  const lines = [`${String(report.exchanges)} exchanges, ${String(report.parseErrors)} unparseable lines`];
  for (const f of (report.compliance as
    { control: string; satisfied: boolean; evidenceCount: number; description: string }[] | undefined) ?? []) {
    lines.push(`${f.satisfied ? "ok  " : "FAIL"} ${f.control}: ${f.description} (${f.evidenceCount} evidence)`);
  }
  for (const u of (report.usage as { policy: string; path: string; requests: number }[] | undefined) ?? []) {
    lines.push(`${u.requests === 0 ? "never used" : `${u.requests} requests`}: ${u.policy} ${u.path}`);
  }
  return lines.join("\n");
}

async function waitForStop(io: CliIo): Promise<void> {
  await new Promise<void>((r) => {
    if (io.stop) {
      if (io.stop.aborted) r();
      else io.stop.addEventListener("abort", () => r(), { once: true });
      return;
    }
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      r();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
