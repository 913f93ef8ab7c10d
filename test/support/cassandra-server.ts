/**
 * A real single-node Apache Cassandra 5.0 on loopback, for the certificate manager's tests.
 *
 * The jars come from `npm run servers:build cassandra` (Maven Central, see tools/server-build.ts);
 * the node runs as `java … org.apache.cassandra.service.CassandraDaemon` with a generated
 * `cassandra.yaml` whose native transport (CQL, the client-to-node side) requires mutual TLS
 * with the PKCS12 keystore and truststore the caller gives. Node-to-node encryption stays off:
 * there is one node. Authentication is `AllowAllAuthenticator` by default: the client's identity
 * is proven by its certificate (`require_client_auth: true`), CQL roles are not what the
 * certificate tests are about. The database secrets engine's tests need CQL roles instead
 * (`passwordAuthentication`): `PasswordAuthenticator`, `CassandraAuthorizer` and
 * `CassandraRoleManager` with the auth caches off, so a dropped role or a changed password counts
 * at the next login rather than seconds later. Data, logs and config live in a temp directory of
 * the run registry and the JVM is a {@link ServerProcess}, so both are reaped like the Vault
 * servers.
 *
 * Certificate reload: Cassandra 5.0.9 re-reads changed keystores on its own only every 600 s
 * (`SSLFactory.DEFAULT_HOT_RELOAD_PERIOD_SEC`, also the initial delay, hard-coded, no setting),
 * so {@link CassandraServer.reloadSsl} runs `nodetool reloadssl` over local JMX, which forces
 * the reload at once; connections opened afterwards get the new certificate.
 */
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { connect } from "node:tls";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { CASSANDRA_BUILD, cassandraHome } from "../../tools/server-versions";
import { waitFor } from "./harness-http";
import { freePort } from "./ports";
import { serverTempDir } from "./run-registry";
import { ServerProcess } from "./server-process";

const run = promisify(execFile);

/** Module opens and exports Cassandra 5.0 needs on Java 17 (its `conf/jvm17-server.options`). */
const JPMS_SERVER = [
  "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
  "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
  "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
  "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
  "--add-exports=java.sql/java.sql=ALL-UNNAMED",
  "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
  "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
  "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
  "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
  "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
  "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
  "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "--add-opens=java.base/java.util=ALL-UNNAMED",
];

/** What nodetool needs on Java 17 (a subset of Cassandra's `conf/jvm17-clients.options`). */
const JPMS_TOOLS = [
  "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
  "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
  "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
  "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
  "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/java.lang=ALL-UNNAMED",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/java.util=ALL-UNNAMED",
];

/** The PKCS12 stores of the native transport (`client_encryption_options`). */
export interface CassandraClientTls {
  /** Path of the node's PKCS12 keystore (its certificate and key). Replace the file, then {@link CassandraServer.reloadSsl}. */
  readonly keystore: string;
  readonly keystorePassword: string;
  /** Path of the PKCS12 truststore holding the CA(s) client certificates must chain to. */
  readonly truststore: string;
  readonly truststorePassword: string;
  /**
   * Refuse clients without a certificate of the truststore's CAs. Off for clients that prove who
   * they are with a CQL password instead (Vault's database engine). @default true
   */
  readonly requireClientAuth?: boolean;
}

/**
 * The superuser `CassandraRoleManager` creates on a fresh node (Cassandra's documented default,
 * not a secret): tests log in with it once to create their own roles.
 */
export const CASSANDRA_DEFAULT_SUPERUSER = { username: "cassandra", password: "cassandra" } as const;

/** How to start the node. */
export interface CassandraServerOptions {
  /** Mutual TLS of the native transport: required, with client certificates. */
  readonly clientTls: CassandraClientTls;
  /**
   * CQL roles with passwords (`PasswordAuthenticator`, `CassandraAuthorizer`,
   * `CassandraRoleManager`, auth caches off); the node creates {@link CASSANDRA_DEFAULT_SUPERUSER}
   * right after start-up. @default false (`AllowAllAuthenticator`)
   */
  readonly passwordAuthentication?: boolean;
  /** JVM heap (`-Xms` = `-Xmx`). @default "512m" */
  readonly heap?: string;
  /** Deadline for start-up, in milliseconds. @default 180000 */
  readonly timeoutMs?: number;
}

/** A running Cassandra node. */
export interface CassandraServer {
  /** `127.0.0.1`. */
  readonly host: string;
  /** Native transport (CQL) port; TLS only. */
  readonly nativePort: number;
  /** Local JMX port (nodetool). */
  readonly jmxPort: number;
  /** True when CQL logins need a role and password ({@link CassandraServerOptions.passwordAuthentication}). */
  readonly passwordAuthentication: boolean;
  /** Data centre name clients must give as their local one (`SimpleSnitch`). */
  readonly localDataCenter: string;
  /** Cassandra release. */
  readonly version: string;
  /** JVM process id. */
  readonly pid: number;
  /** Milliseconds from spawning the JVM to the native port answering TLS. */
  readonly startupMs: number;
  /**
   * Force Cassandra to re-read its keystore and truststore now (`nodetool reloadssl`); resolves
   * with the milliseconds nodetool took. `nodetool` exits 0 even when the new stores cannot be
   * read (Cassandra then keeps its current certificate), so this rejects with the reason when
   * Cassandra's log reports a failed reload or when a fresh TLS handshake fails afterwards.
   */
  reloadSsl(): Promise<number>;
  /** Resident set size of the JVM in bytes (from /proc). */
  rssBytes(): number;
  /** The last lines of the node's output. */
  logTail(lines?: number): string;
  /** Kill the JVM (its data is throw-away) and delete the node's directory. */
  stop(): Promise<void>;
}

/** The Java the harness runs Cassandra with: `$JAVA_HOME/bin/java`, else `java` on PATH. */
function findJava(): string | undefined {
  const candidates = process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, "bin", "java")] : [];
  for (const dir of (process.env.PATH ?? "").split(delimiter)) if (dir) candidates.push(join(dir, "java"));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Where Cassandra's jars and a Java 17 are; throws with the command that fixes what is missing. */
export function requireCassandra(): { readonly java: string; readonly lib: string } {
  const lib = join(cassandraHome(), "lib");
  if (!existsSync(join(cassandraHome(), ".stamp")) || !existsSync(join(lib, `cassandra-all-${CASSANDRA_BUILD.version}.jar`))) {
    throw new Error(
      `cassandra ${CASSANDRA_BUILD.version} is not installed: ${lib} is missing. Fetch it with \`npm run servers:build cassandra\`.`,
    );
  }
  const java = findJava();
  const install = "install it with `apt-get install -y openjdk-17-jre-headless` (or set JAVA_HOME)";
  if (!java) throw new Error(`java is not on PATH: Cassandra ${CASSANDRA_BUILD.version} needs Java 17; ${install}`);
  const version = spawnSync(java, ["-version"], { encoding: "utf8" });
  const major = /version "(\d+)/.exec(`${version.stderr}`)?.[1];
  if (major !== String(CASSANDRA_BUILD.javaRelease)) {
    throw new Error(`${java} is Java ${major ?? "(unknown)"}; the Cassandra harness runs Java ${CASSANDRA_BUILD.javaRelease}: ${install}`);
  }
  return { java, lib };
}

/** The generated cassandra.yaml: one node on loopback, TLS-only native transport, everything under `dir`. */
function cassandraYaml(dir: string, ports: { storage: number; native: number }, tls: CassandraClientTls, passwords: boolean): string {
  const auth = passwords
    ? {
        authenticator: "PasswordAuthenticator",
        authorizer: "CassandraAuthorizer",
        role_manager: "CassandraRoleManager",
        // No caching of roles, permissions or credentials: a test that changes a password or
        // drops a role sees the effect at the next login.
        roles_validity: "0ms",
        permissions_validity: "0ms",
        credentials_validity: "0ms",
      }
    : { authenticator: "AllowAllAuthenticator", authorizer: "AllowAllAuthorizer" };
  const config = {
    cluster_name: "vaultsmith-test",
    num_tokens: 1,
    initial_token: "0",
    partitioner: "org.apache.cassandra.dht.Murmur3Partitioner",
    endpoint_snitch: "SimpleSnitch",
    seed_provider: [
      { class_name: "org.apache.cassandra.locator.SimpleSeedProvider", parameters: [{ seeds: `127.0.0.1:${ports.storage}` }] },
    ],
    listen_address: "127.0.0.1",
    rpc_address: "127.0.0.1",
    storage_port: ports.storage,
    native_transport_port: ports.native,
    start_native_transport: true,
    auto_bootstrap: false,
    commitlog_sync: "periodic",
    commitlog_sync_period: "10000ms",
    data_file_directories: [join(dir, "data")],
    commitlog_directory: join(dir, "commitlog"),
    saved_caches_directory: join(dir, "saved_caches"),
    hints_directory: join(dir, "hints"),
    cdc_raw_directory: join(dir, "cdc_raw"),
    ...auth,
    // Few threads: a 2-core machine runs this next to the OpenBao servers.
    concurrent_reads: 4,
    concurrent_writes: 4,
    concurrent_counter_writes: 4,
    concurrent_compactors: 1,
    client_encryption_options: {
      enabled: true,
      optional: false,
      require_client_auth: tls.requireClientAuth ?? true,
      store_type: "PKCS12",
      keystore: tls.keystore,
      keystore_password: tls.keystorePassword,
      truststore: tls.truststore,
      truststore_password: tls.truststorePassword,
    },
  };
  return stringify(config);
}

/** Logback config: INFO to stdout (kept by the harness) and to `<logs>/system.log`. */
function logbackXml(logs: string): string {
  const pattern = "%-5level [%thread] %date{ISO8601} %F:%L - %msg%n";
  return [
    "<configuration>",
    `  <appender name="FILE" class="ch.qos.logback.core.FileAppender"><file>${join(logs, "system.log")}</file>`,
    `    <encoder><pattern>${pattern}</pattern></encoder></appender>`,
    '  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">',
    `    <encoder><pattern>${pattern}</pattern></encoder></appender>`,
    '  <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="STDOUT"/></root>',
    "</configuration>",
    "",
  ].join("\n");
}

/** Logback config for nodetool: warnings only, to stderr. */
const TOOLS_LOGBACK = [
  "<configuration>",
  '  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>',
  "    <encoder><pattern>%-5level %msg%n</pattern></encoder></appender>",
  '  <root level="WARN"><appender-ref ref="STDERR"/></root>',
  "</configuration>",
  "",
].join("\n");

/** Resolves with true once a TLS handshake with `host:port` completes (the server certificate is not checked here). */
function tlsAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, rejectUnauthorized: false, timeout: 3_000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("secureConnect", () => done(socket.getPeerCertificate().serialNumber !== undefined));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/** Start a Cassandra node; resolves once its native port completes TLS handshakes. */
export async function startCassandraServer(options: CassandraServerOptions): Promise<CassandraServer> {
  const { java, lib } = requireCassandra();
  const dir = serverTempDir("cassandra");
  for (const sub of ["data", "commitlog", "saved_caches", "hints", "cdc_raw", "logs", "home", "tmp"]) mkdirSync(join(dir, sub));
  const [storage, native, jmx] = [await freePort(), await freePort(), await freePort()];
  const host = "127.0.0.1";
  const config = join(dir, "cassandra.yaml");
  const passwordAuthentication = options.passwordAuthentication ?? false;
  writeFileSync(config, cassandraYaml(dir, { storage, native }, options.clientTls, passwordAuthentication), { mode: 0o600 });
  const logback = join(dir, "logback.xml");
  writeFileSync(logback, logbackXml(join(dir, "logs")));
  const toolsLogback = join(dir, "logback-tools.xml");
  writeFileSync(toolsLogback, TOOLS_LOGBACK);
  const heap = options.heap ?? "512m";
  const home = join(dir, "home");
  const classpath = join(lib, "*");
  const secrets = [options.clientTls.keystorePassword, options.clientTls.truststorePassword];
  const started = Date.now();
  const proc = new ServerProcess({
    binary: java,
    args: [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      "-Xss256k",
      "-XX:+UseG1GC",
      "-XX:+ParallelRefProcEnabled",
      "-XX:MaxTenuringThreshold=1",
      "-XX:+ExitOnOutOfMemoryError",
      // Native libraries (lz4, snappy) unpack into java.io.tmpdir and stay there when the JVM is
      // killed: keep them in the node's directory. No hsperfdata file in /tmp either.
      `-Djava.io.tmpdir=${join(dir, "tmp")}`,
      "-XX:-UsePerfData",
      `-XX:ErrorFile=${join(dir, "logs", "hs_err_%p.log")}`,
      `-XX:HeapDumpPath=${join(dir, "logs")}`,
      "-Djdk.attach.allowAttachSelf=true",
      ...JPMS_SERVER,
      "-Dio.netty.tryReflectionSetAccessible=true",
      "-Dio.netty.allocator.useCacheForAllThreads=true",
      "-Dio.netty.allocator.maxOrder=11",
      "-Djava.net.preferIPv4Stack=true",
      `-Duser.home=${home}`,
      `-Dcassandra.config=${pathToFileURL(config).href}`,
      "-Dcassandra-foreground=yes",
      `-Dcassandra.storagedir=${dir}`,
      `-Dcassandra.logdir=${join(dir, "logs")}`,
      `-Dlogback.configurationFile=${pathToFileURL(logback).href}`,
      // JMX on loopback only, without authentication: nodetool reloadssl.
      `-Dcassandra.jmx.local.port=${jmx}`,
      // One node: nothing to wait for.
      "-Dcassandra.skip_wait_for_gossip_to_settle=0",
      // The default superuser at once, not 10 s after start-up (only with password authentication).
      "-Dcassandra.superuser_setup_delay_ms=0",
      "-cp",
      classpath,
      "org.apache.cassandra.service.CassandraDaemon",
    ],
    home,
    secrets,
  });
  // SIGKILL: the node's data is thrown away, and a SIGTERM drain takes Cassandra ~5 s for nothing.
  const stop = async (): Promise<void> => {
    await proc.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const outcome = await waitFor(
      async () => {
        if (!proc.isRunning) return "exited" as const;
        return (await tlsAnswers(host, native)) ? ("ready" as const) : undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? 180_000,
        intervalMs: 250,
        describe: () =>
          `Cassandra ${CASSANDRA_BUILD.version} did not answer TLS on ${host}:${native}; its output ends with:\n${proc.output(60)}`,
      },
    );
    if (outcome === "exited") {
      const code = await proc.exited;
      throw new Error(
        `Cassandra ${CASSANDRA_BUILD.version} exited (code ${code}) before its native port answered; its output ends with:\n${proc.output(60)}`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startupMs = Date.now() - started;

  const systemLog = join(dir, "logs", "system.log");
  const reloadSsl = async (): Promise<number> => {
    const logOffset = statSync(systemLog).size;
    const begun = Date.now();
    const args = [
      "-Xmx128m",
      "-XX:ParallelGCThreads=1",
      "-XX:-UsePerfData",
      `-Djava.io.tmpdir=${join(dir, "tmp")}`,
      ...JPMS_TOOLS,
      `-Duser.home=${home}`,
      `-Dlogback.configurationFile=${pathToFileURL(toolsLogback).href}`,
      "-cp",
      classpath,
      "org.apache.cassandra.tools.NodeTool",
      "-h",
      host,
      "-p",
      String(jmx),
      "reloadssl",
    ];
    try {
      await run(java, args, { timeout: 60_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home } });
    } catch (error) {
      const e = error as Error & { stderr?: string; stdout?: string };
      throw new Error(`nodetool reloadssl failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}\nnode output:\n${proc.output(20)}`);
    }
    const elapsed = Date.now() - begun;
    // A failed reload is logged by SSLFactory within the JMX call, so it is in the log now. A
    // success is logged only when a context was cached (some connection since the last reload);
    // otherwise the next connection builds one from the files, so a fresh handshake is the proof.
    const logged = (): string => readFileSync(systemLog).subarray(logOffset).toString("utf8");
    const failed = /Failed to hot reload the SSL Certificates/.test(logged());
    if (failed || !(await tlsAnswers(host, native))) {
      const reasons = logged()
        .split("\n")
        .filter((line) => /SSLFactory|Caused by|Exception:/.test(line));
      const what = failed
        ? "Cassandra did not reload its client certificates (it keeps the current ones)"
        : "after nodetool reloadssl the native port no longer completes TLS handshakes";
      throw new Error(`${what}:\n${reasons.join("\n") || proc.output(20)}`);
    }
    return elapsed;
  };

  const rssBytes = (): number => {
    const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb === undefined) throw new Error(`no VmRSS for pid ${proc.pid}`);
    return Number(kb) * 1024;
  };

  return {
    host,
    nativePort: native,
    jmxPort: jmx,
    passwordAuthentication,
    localDataCenter: "datacenter1",
    version: CASSANDRA_BUILD.version,
    pid: proc.pid,
    startupMs,
    reloadSsl,
    rssBytes,
    logTail: (lines = 40) => proc.output(lines),
    stop,
  };
}
