/**
 * Turns byte chunks from any source (a tailed file, socket connections) into parsed entries.
 * Each source keeps its own partial line, so two socket connections never splice halves together.
 * A bad line is reported as a `parse-error` event and the stream carries on.
 */
import { EventEmitter } from "node:events";
import { AuditEvent, AuditParseError, parseAuditLine } from "./audit-entry";

/** Counters of a stream. */
export interface AuditStreamStats {
  /** Lines parsed into events. */
  readonly events: number;
  /** Lines that failed to parse. */
  readonly errors: number;
}

/**
 * Events: `event` ({@link AuditEvent}, source name) and `parse-error` ({@link AuditParseError}).
 * Listeners run synchronously in arrival order.
 */
export class AuditStream extends EventEmitter {
  private readonly partial = new Map<string, string>();
  private readonly lineNo = new Map<string, number>();
  private events = 0;
  private errors = 0;

  /** Counts so far. */
  get stats(): AuditStreamStats {
    return { events: this.events, errors: this.errors };
  }

  /** Feed a chunk from `source`; complete lines are parsed, a trailing partial line waits for the next chunk. */
  push(source: string, chunk: string | Buffer): void {
    const text = (this.partial.get(source) ?? "") + (typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    const lines = text.split("\n");
    this.partial.set(source, lines.pop() ?? "");
    for (const line of lines) this.line(source, line);
  }

  /** The source ended: a partial line left over is parsed (and reported truncated when it is cut). */
  end(source: string): void {
    const rest = this.partial.get(source);
    this.partial.delete(source);
    if (rest !== undefined && rest.trim() !== "") this.line(source, rest);
  }

  private line(source: string, line: string): void {
    const n = (this.lineNo.get(source) ?? 0) + 1;
    this.lineNo.set(source, n);
    if (line.trim() === "") return;
    let event: AuditEvent;
    try {
      event = parseAuditLine(line, `${source}:${n}`);
    } catch (error) {
      this.errors++;
      if (error instanceof AuditParseError && this.listenerCount("parse-error") > 0) this.emit("parse-error", error);
      return;
    }
    this.events++;
    this.emit("event", event, source);
  }
}
