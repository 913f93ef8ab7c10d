/**
 * The usual wiring: lines → {@link AuditStream} → {@link AuditCorrelator} → alert rules, the
 * report store, the compressed archive. Sources (a tailed file, a socket receiver) push into
 * `stream`; everything downstream sees exchanges, never raw lines.
 */
import { AlertEngine, AlertRulesConfig } from "./audit-alerts";
import { AuditArchive } from "./audit-archive";
import { AuditCorrelator, AuditExchange } from "./audit-correlator";
import { AuditStore } from "./audit-reports";
import { AuditStream } from "./audit-stream";

/** Options of {@link createAuditPipeline}. */
export interface AuditPipelineOptions {
  /** Alert rules; `false` turns alerting off. @default every rule with its defaults */
  readonly alerts?: AlertRulesConfig | false;
  /** Keep exchanges for reports; `false` keeps none. @default a store of 1,000,000 */
  readonly store?: AuditStore | false;
  /** Archive exchanges to compressed files. @default none */
  readonly archive?: AuditArchive;
  /** Only exchanges of these namespaces (segregation of one tenant's stream). @default all */
  readonly namespaces?: readonly string[];
}

/** The wired parts. */
export interface AuditPipeline {
  /** Push lines here (or attach a source to it). */
  readonly stream: AuditStream;
  /** Request ↔ response pairing. */
  readonly correlator: AuditCorrelator;
  /** Alert rules, when on (listen for `alert`). */
  readonly alerts: AlertEngine | undefined;
  /** The report store, when on. */
  readonly store: AuditStore | undefined;
  /** Archive write failures (the stream goes on). */
  readonly archiveErrors: unknown[];
}

/** Wire a pipeline. */
export function createAuditPipeline(options: AuditPipelineOptions = {}): AuditPipeline {
  const stream = new AuditStream();
  const correlator = new AuditCorrelator();
  const alerts = options.alerts === false ? undefined : new AlertEngine(options.alerts ?? {});
  const store = options.store === false ? undefined : (options.store ?? new AuditStore());
  const namespaces = options.namespaces?.map((n) => n.replace(/^\/+|\/+$/g, ""));
  const archiveErrors: unknown[] = [];
  stream.on("event", (event) => correlator.add(event));
  correlator.on("exchange", (exchange: AuditExchange) => {
    if (namespaces && !namespaces.includes(exchange.namespace)) return;
    alerts?.evaluate(exchange);
    store?.add(exchange);
    options.archive?.add(exchange).catch((error: unknown) => archiveErrors.push(error));
  });
  return { stream, correlator, alerts, store, archiveErrors };
}
