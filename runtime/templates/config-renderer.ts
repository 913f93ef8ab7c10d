/**
 * ConfigRenderer: renders configuration (an application's properties or `.env` file, a
 * `cassandra.yaml` fragment) from templates that refer to KV, database, PKI and transit values
 * (syntax: `template-parser`), and keeps watched templates current: when something a template uses
 * is renewed or rotated — a LeaseManager's credentials, a CertificateManager's certificate, a
 * RotationScheduler's KV secret, transit key or static role — it is rendered again and, when the
 * text changed, delivered to the reload hook (and the file, when one was asked for).
 *
 * The output stays in memory unless a file is asked for; then it is written 0600 and atomically.
 * A reference that cannot be resolved raises `TemplateValueError` with the template's line, and
 * nothing is delivered: the previous output, file and service stay as they were.
 */
import { inspect } from "node:util";
import type { CertificateManager } from "../certs/certificate-manager";
import type { VaultClient } from "../client/vault-client";
import type { LeaseManager } from "../leases/lease-manager";
import type { RotationScheduler } from "../rotation/rotation-scheduler";
import type { RotationSucceededEvent } from "../rotation/rotation-types";
import { checkWritable, writeAtomic } from "./atomic-file";
import { TemplateValueError } from "./template-errors";
import { ParsedTemplate, TemplateReference, TemplateSource, parseTemplate } from "./template-parser";

/** Where template values come from. */
export interface ConfigRendererOptions {
  /** KV, static credentials and transit are read through it. */
  readonly client: VaultClient;
  /** Needed for `database` references: the managed credentials, and their renewals and rotations. */
  readonly leases?: LeaseManager;
  /** Needed for `pki` references: the managed certificates, and their renewals. */
  readonly certificates?: CertificateManager;
  /** Rotations of KV secrets, transit keys and static roles a template uses re-render it. */
  readonly rotations?: RotationScheduler;
}

/** Why a template was rendered. */
export type RenderReason = "initial" | "lease" | "certificate" | "rotation" | "refresh";

/** A rendered configuration. Its text holds secrets: it shows as `RenderedConfig(name, redacted)` in logs and JSON. */
export class RenderedConfig {
  /** Template name. */
  public readonly name: string;
  /** When it was rendered. */
  public readonly renderedAt: Date;
  /** What caused the rendering. */
  public readonly reason: RenderReason;
  readonly #text: string;

  /** @internal */
  constructor(name: string, text: string, reason: RenderReason, renderedAt: Date) {
    this.name = name;
    this.#text = text;
    this.reason = reason;
    this.renderedAt = renderedAt;
  }

  /** The configuration text — asked for by name, so it never ends up in a log by accident. */
  text(): string {
    return this.#text;
  }

  /** What `JSON.stringify` shows: no text. */
  toJSON(): { name: string; reason: RenderReason; renderedAt: string } {
    return { name: this.name, reason: this.reason, renderedAt: this.renderedAt.toISOString() };
  }

  /** What `util.inspect` shows. */
  [inspect.custom](): string {
    return `RenderedConfig(${this.name}, ${this.reason}, redacted)`;
  }
}

/** A template to keep rendered. */
export interface WatchOptions {
  /** Name used in errors (and for the file, if any). */
  readonly name: string;
  /** The template text. */
  readonly template: string;
  /**
   * Called with every changed rendering after the first (the first is what `watch` returns), after
   * the file (if any) was replaced: reload the service here. Its errors go to `onError`.
   */
  readonly reload?: (config: RenderedConfig) => void | Promise<void>;
  /** Write every rendering to this file (0600 unless `mode`, atomic rename). @default in memory only */
  readonly file?: { readonly path: string; readonly mode?: number };
  /** A re-rendering or reload failed; the previous output stays in place. @default ignored */
  readonly onError?: (error: Error) => void;
  /** Also re-render this often, in ms (picks up KV writes made by others). @default never */
  readonly refreshIntervalMs?: number;
}

/** A watched template; {@link WatchedTemplate.stop} when done. */
export interface WatchedTemplate {
  /** The rendering delivered last. */
  current(): RenderedConfig;
  /** Render again now; resolves with whether the text changed (and was delivered). */
  refresh(): Promise<boolean>;
  /** Stop following changes. */
  stop(): void;
}

/** Renders templates and keeps watched ones current; see the module doc. */
export class ConfigRenderer {
  /** @param options where values come from */
  constructor(private readonly options: ConfigRendererOptions) {}

  /**
   * Check a template's syntax without reading anything; throws `TemplateSyntaxError` with the line.
   * Returns the references it makes (names only).
   */
  check(name: string, template: string): readonly string[] {
    return parseTemplate(name, template).references.map((r) => r.text);
  }

  /** Render once, in memory. */
  async render(name: string, template: string): Promise<RenderedConfig> {
    return this.renderParsed(parseTemplate(name, template), "initial");
  }

  /**
   * Render now and keep rendering when a used value changes. Throws (nothing written, no hook
   * called) on a syntax error, an unresolvable reference or an unwritable file directory.
   */
  async watch(options: WatchOptions): Promise<WatchedTemplate> {
    const parsed = parseTemplate(options.name, options.template);
    const refreshMs = options.refreshIntervalMs === undefined ? undefined : positive(options.refreshIntervalMs);
    if (options.file) await checkWritable(options.file.path);
    let current = await this.renderParsed(parsed, "initial");
    if (options.file) await writeAtomic(options.file.path, current.text(), options.file.mode);

    let running: Promise<boolean> | undefined;
    let again: RenderReason | undefined;
    let stopped = false;
    const run = async (reason: RenderReason): Promise<boolean> => {
      const next = await this.renderParsed(parsed, reason);
      if (stopped || next.text() === current.text()) return false;
      if (options.file) await writeAtomic(options.file.path, next.text(), options.file.mode);
      current = next;
      await options.reload?.(next);
      return true;
    };
    /** One rendering at a time; changes seen meanwhile lead to one more rendering after it. */
    const trigger = (reason: RenderReason): Promise<boolean> => {
      if (running) {
        again = reason;
        return running;
      }
      running = run(reason).finally(() => {
        running = undefined;
        if (again !== undefined && !stopped) {
          const next = again;
          again = undefined;
          void trigger(next).catch(report);
        }
      });
      return running;
    };
    const report = (error: unknown): void => {
      try {
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      } catch {
        // the error handler's own failure must not crash the watcher
      }
    };
    const unsubscribe = this.follow(parsed, (reason) => void trigger(reason).catch(report));
    const timer = refreshMs === undefined ? undefined : setInterval(() => void trigger("refresh").catch(report), refreshMs);
    timer?.unref();
    return {
      current: () => current,
      refresh: () => trigger("refresh"),
      stop: () => {
        stopped = true;
        unsubscribe();
        if (timer) clearInterval(timer);
      },
    };
  }

  /** Subscribe to the events of the sources `parsed` uses; returns the unsubscribe function. */
  private follow(parsed: ParsedTemplate, onChange: (reason: RenderReason) => void): () => void {
    const leaseNames = new Set<string>();
    const certNames = new Set<string>();
    const rotated = new Set<string>();
    for (const { source } of parsed.references) {
      if (source.kind === "database") leaseNames.add(source.name);
      else if (source.kind === "pki") certNames.add(source.name);
      else if (source.kind === "kv") rotated.add(`kv:${source.mount}/${source.path}`);
      else if (source.kind === "static") rotated.add(`database-static-role:${source.mount}/${source.role}`);
      else if (source.kind === "transit-version" || source.kind === "transit-decrypt")
        rotated.add(`transit-key:${source.mount}/${source.key}`);
    }
    const offs: (() => void)[] = [];
    const { leases, certificates, rotations } = this.options;
    if (leases && leaseNames.size > 0) {
      const onLease = (e: { name: string }): void => {
        if (leaseNames.has(e.name)) onChange("lease");
      };
      for (const event of ["created", "rotated", "renewed"] as const) {
        leases.on(event, onLease);
        offs.push(() => leases.off(event, onLease));
      }
    }
    if (certificates && certNames.size > 0) {
      const onCert = (e: { name: string }): void => {
        if (certNames.has(e.name)) onChange("certificate");
      };
      certificates.on("renewed", onCert);
      offs.push(() => certificates.off("renewed", onCert));
    }
    if (rotations && rotated.size > 0) {
      const onRotated = (e: RotationSucceededEvent): void => {
        if (rotated.has(`${e.kind}:${e.resource}`)) onChange("rotation");
      };
      rotations.on("rotated", onRotated);
      offs.push(() => rotations.off("rotated", onRotated));
    }
    return () => offs.forEach((off) => off());
  }

  private async renderParsed(parsed: ParsedTemplate, reason: RenderReason): Promise<RenderedConfig> {
    // Each distinct secret is read once per rendering, so two fields of one KV secret are of one version.
    const reads = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      let p = reads.get(key) as Promise<T> | undefined;
      if (!p) {
        p = read();
        reads.set(key, p);
      }
      return p;
    };
    const values = await Promise.all(parsed.references.map((ref) => this.resolve(parsed.name, ref, once)));
    let text = "";
    let i = 0;
    for (const part of parsed.parts) text += typeof part === "string" ? part : values[i++];
    return new RenderedConfig(parsed.name, text, reason, new Date());
  }

  private async resolve(
    template: string,
    ref: TemplateReference,
    once: <T>(key: string, read: () => Promise<T>) => Promise<T>,
  ): Promise<string> {
    const fail = (detail: string, cause?: unknown): never => {
      throw new TemplateValueError(template, ref.line, ref.column, ref.text, detail, cause);
    };
    let value: string;
    try {
      value = await this.value(ref.source, once, fail);
    } catch (error) {
      if (error instanceof TemplateValueError) throw error;
      return fail(`could not be read: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, error);
    }
    for (const filter of ref.filters) {
      if (filter === "quote") value = JSON.stringify(value);
      else if (filter === "base64") value = Buffer.from(value, "utf8").toString("base64");
      else value = value.trim();
    }
    return value;
  }

  private async value(
    source: TemplateSource,
    once: <T>(key: string, read: () => Promise<T>) => Promise<T>,
    fail: (detail: string) => never,
  ): Promise<string> {
    const { client, leases, certificates } = this.options;
    switch (source.kind) {
      case "literal":
        return source.text;
      case "kv": {
        const secret = await once(`kv:${source.mount}/${source.path}`, () =>
          client.kv(source.mount).read(source.path, { cache: "bypass" }),
        );
        if (!secret) return fail(`no secret at ${source.mount}/${source.path} (missing or deleted)`);
        if (!Object.prototype.hasOwnProperty.call(secret.data, source.field))
          return fail(`secret ${source.mount}/${source.path} has no field "${source.field}"`);
        const field = secret.data[source.field];
        return typeof field === "string" ? field : JSON.stringify(field);
      }
      case "database": {
        if (!leases) return fail("no LeaseManager was given to the renderer");
        const creds = leases.current(source.name);
        if (!creds) return fail(`the LeaseManager manages no credentials named "${source.name}"`);
        return source.field === "username" ? creds.username : creds.password;
      }
      case "static": {
        const creds = await once(`static:${source.mount}/${source.role}`, () =>
          client.database(source.mount).staticCredentials(source.role),
        );
        return source.field === "username" ? creds.username : creds.password;
      }
      case "pki": {
        if (!certificates) return fail("no CertificateManager was given to the renderer");
        const cert = certificates.current(source.name);
        if (!cert) return fail(`the CertificateManager manages no certificate named "${source.name}"`);
        switch (source.field) {
          case "certificate":
            return cert.certificate;
          case "private_key":
            return cert.private_key.pem();
          case "issuing_ca":
            return cert.issuing_ca;
          case "ca_chain":
            return cert.ca_chain.join("\n");
          case "serial":
            return cert.parsed.serial.colon;
          case "not_after":
            return cert.parsed.notAfter.toISOString();
        }
        return fail(`unknown certificate field`);
      }
      case "transit-decrypt": {
        const plain = await client.transit(source.mount).decrypt(source.key, source.ciphertext);
        return Buffer.from(plain).toString("utf8");
      }
      case "transit-version": {
        const key = await once(`transit:${source.mount}/${source.key}`, () => client.transit(source.mount).readKey(source.key));
        if (!key) return fail(`transit key ${source.mount}/${source.key} does not exist`);
        return String(key.latestVersion);
      }
    }
  }
}

function positive(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`refreshIntervalMs must be a positive number, got ${ms}`);
  return ms;
}
