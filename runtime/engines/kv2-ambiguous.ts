/**
 * Settling a KV v2 write whose outcome is unknown. A write that fails after it may have reached
 * the server (the connection broke, the node died, a 5xx) is not retried blindly — a second
 * attempt could create a second version — so its outcome is decided from what the active node
 * holds afterwards:
 *
 * - with check-and-set `cas: n`, the write could only ever have created version `n + 1`: if that
 *   version holds exactly the data sent, the write was applied; if another version `n + 1`
 *   exists, it never can be (a conflict); if there is no version `n + 1`, it was not applied yet
 *   and repeating it with the same `cas` is safe — of the lost attempt and the repeat, at most one
 *   can create version `n + 1`;
 * - without `cas`, the versions created since the write started are compared with the data sent:
 *   one equal means applied; none means not applied, and the repeat carries `cas` set to the
 *   current version so it cannot overwrite a write that raced in meanwhile.
 *
 * Safety does not rest on the read-back being final: every repeat carries a `cas`, so should the
 * lost attempt still land after the read-back, the repeat fails its check-and-set and the write is
 * settled again. Values are compared in memory and never kept, logged or put in an error.
 */
import { VaultConnectionError, VaultDeadlineError, VaultError, VaultHttpError } from "../core/errors";
import { classifyFailure } from "../transport/failure-kind";

/** How {@link Kv2Api.write} treats a write whose outcome is unknown. */
export type AmbiguousWriteMode =
  /** Settle it on the active node; repeat it when it provably did not apply. Costs a metadata read and one data read per candidate version, only after such a failure. */
  | "retry"
  /** Settle it, but never repeat it: a write that did not apply raises {@link KvWriteNotAppliedError}. */
  | "report"
  /** Raise the original connection error or 5xx, as for any other request; the caller resolves it. */
  | "off";

/** What the active node showed about one version. */
export interface ObservedVersion {
  /** Version number. */
  readonly version: number;
  /** RFC 3339 creation time (the server's clock). */
  readonly createdTime: string;
  /** True when the version is soft-deleted or destroyed: its data cannot be read back. */
  readonly unreadable: boolean;
  /** Its data, when it was read. */
  readonly data?: unknown;
}

/** What the active node holds for the path after the ambiguous failure. */
export interface WriteObservation {
  /** Current version; 0 when the secret does not exist. */
  readonly currentVersion: number;
  /** Versions read back (the candidates {@link candidateVersions} named). */
  readonly versions: readonly ObservedVersion[];
}

/** The decision about one ambiguous write. */
export type AmbiguousWriteVerdict =
  /** The write created `version`. */
  | { readonly kind: "applied"; readonly version: number }
  /** The write did not apply and cannot apply later if repeated with `cas: retryCas`. */
  | { readonly kind: "not-applied"; readonly retryCas: number }
  /** The write never can apply: another write took the version its `cas` named. */
  | { readonly kind: "conflict"; readonly version: number }
  /** The data of a version that could be the write's was deleted or destroyed before it could be compared. */
  | { readonly kind: "unknown"; readonly version: number };

/** The write provably did not apply; nothing was changed by it. */
export class KvWriteNotAppliedError extends VaultError {
  /**
   * `not-applied`: repeating the write with `cas: retryCas` is safe (it cannot be applied twice).
   * `conflict`: another write took the version the `cas` named; re-read and decide.
   */
  public readonly reason: "not-applied" | "conflict";
  /** The `cas` that makes a repeat safe (for `not-applied`). */
  public readonly retryCas: number | undefined;

  /** @internal */
  constructor(path: string, reason: KvWriteNotAppliedError["reason"], retryCas: number | undefined, cause: unknown) {
    const detail =
      reason === "not-applied"
        ? `the write did not apply; repeating it with cas ${retryCas} is safe`
        : "another write took the version this write's cas named; it never applied";
    super(`POST ${path}: ${detail}`, "POST", path, { cause });
    this.reason = reason;
    this.retryCas = retryCas;
  }
}

/** The outcome could not be settled (the cluster stayed unreachable, or the version was deleted first). */
export class KvWriteOutcomeUnknownError extends VaultError {
  /** @internal */
  constructor(path: string, detail: string, cause: unknown) {
    super(`POST ${path}: outcome of the write is unknown: ${detail}`, "POST", path, { cause });
  }
}

/** True when `error` leaves open whether the write executed. */
export function isAmbiguousFailure(error: unknown): boolean {
  if (error instanceof VaultDeadlineError) return error.attempts > 0;
  if (!(error instanceof VaultConnectionError) && !(error instanceof VaultHttpError)) return false;
  const kind = classifyFailure(error);
  return kind === "maybe-sent" || kind === "server-error";
}

/** True when `error` is KV v2's check-and-set refusal. */
export function isCasMismatch(error: unknown): boolean {
  return (
    error instanceof VaultHttpError && error.status === 400 && error.errors.some((e) => /check-and-set parameter did not match/i.test(e))
  );
}

/** JSON of `value` with object keys sorted, as the server would store what was sent. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  // Round-trip through JSON first: undefined members, toJSON and the like go as the request body did.
  const sent = JSON.stringify(value);
  return JSON.stringify(sort(sent === undefined ? null : JSON.parse(sent)));
}

/**
 * Versions whose data must be read to decide: with `cas: n`, version `n + 1` when it exists;
 * without, every version created at or after `startedAt - skewMs`, newest first.
 * `versions` maps version number to creation time (from the secret's metadata).
 */
export function candidateVersions(
  cas: number | undefined,
  currentVersion: number,
  versions: Readonly<Record<string, { readonly createdTime: string }>>,
  startedAt: number,
  skewMs: number,
): number[] {
  if (cas !== undefined) return currentVersion >= cas + 1 ? [cas + 1] : [];
  return Object.entries(versions)
    .filter(([, meta]) => Date.parse(meta.createdTime) >= startedAt - skewMs)
    .map(([n]) => Number(n))
    .sort((a, b) => b - a);
}

/** Decide the outcome of a write of `sent` (canonical JSON) with `cas` from what was observed. */
export function decideAmbiguousWrite(sent: string, cas: number | undefined, observed: WriteObservation): AmbiguousWriteVerdict {
  if (cas !== undefined) {
    if (observed.currentVersion < cas + 1) return { kind: "not-applied", retryCas: cas };
    const target = observed.versions.find((v) => v.version === cas + 1);
    if (!target || target.unreadable) return { kind: "unknown", version: cas + 1 };
    return canonicalJson(target.data) === sent
      ? { kind: "applied", version: target.version }
      : { kind: "conflict", version: target.version };
  }
  const candidates = [...observed.versions].sort((a, b) => b.version - a.version);
  const match = candidates.find((v) => !v.unreadable && canonicalJson(v.data) === sent);
  if (match) return { kind: "applied", version: match.version };
  const unreadable = candidates.find((v) => v.unreadable);
  if (unreadable) return { kind: "unknown", version: unreadable.version };
  return { kind: "not-applied", retryCas: observed.currentVersion };
}
