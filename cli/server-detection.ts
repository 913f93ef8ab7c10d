/**
 * What a live server is (for `vaultsmith detect`): edition, version and the gated features, read from `sys/health` and a
 * `sys/namespaces` probe — the input of `vaultsmith detect` and a check that an estate's
 * declared target matches the server it is about to be deployed to.
 */
import { Edition, GatedFeature, TargetServer, describeTarget, supports } from "../model/target";

/** What {@link detectServer} found. */
export interface DetectedServer {
  /** Edition and version (`1.21.4+ent` → `1.21.4`). */
  readonly target: TargetServer;
  /** Feature availability: probed for namespaces, from the edition for the rest. */
  readonly features: Readonly<Record<GatedFeature, boolean>>;
  /** One line for humans, e.g. `OpenBao 2.6.1: namespaces yes, sentinel-policies no, …`. */
  readonly summary: string;
}

/** The parts of `sys/health` detection reads. */
export interface HealthBody {
  /** Server version, `1.21.4` or `1.21.4+ent`. */
  readonly version?: unknown;
  /** Vault Enterprise sets `true`. */
  readonly enterprise?: unknown;
}

/** A minimal fetch (the global one fits). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string> },
) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * Edition and version from a `sys/health` body. Vault Enterprise reports `enterprise: true`
 * (and a `+ent` version); OpenBao versions start at 2.0.0 while HashiCorp Vault is still 1.x.
 * @throws Error when the body has no usable version.
 */
export function interpretHealth(body: HealthBody): TargetServer {
  const raw = typeof body.version === "string" ? body.version : "";
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(raw);
  if (!match) throw new Error(`sys/health reported no usable version (${JSON.stringify(body.version ?? null)})`);
  const version = `${match[1]}.${match[2]}.${match[3]}`;
  let edition: Edition;
  if (body.enterprise === true || raw.includes("+ent")) edition = "vault-enterprise";
  else if (Number(match[1]) >= 2) edition = "openbao";
  else edition = "vault-ce";
  return { edition, version };
}

/**
 * Whether a `LIST sys/namespaces` answer means namespaces exist on the server: 200, or 404 with
 * no error text (an empty list). Vault CE answers 404 "unsupported path".
 */
export function namespacesAvailable(status: number, body: string): boolean {
  if (status === 200) return true;
  if (status !== 404) return false;
  try {
    const errors = (JSON.parse(body) as { errors?: unknown }).errors;
    return Array.isArray(errors) && errors.length === 0;
  } catch {
    return false;
  }
}

/** Combine a target and the namespace probe into the report. */
export function describeDetected(target: TargetServer, namespaces: boolean): DetectedServer {
  const features: Record<GatedFeature, boolean> = {
    namespaces,
    "sentinel-policies": supports(target, "sentinel-policies"),
    "lease-count-quotas": supports(target, "lease-count-quotas"),
    "api-audit-devices": supports(target, "api-audit-devices"),
  };
  const list = Object.entries(features)
    .map(([f, on]) => `${f} ${on ? "yes" : "no"}`)
    .join(", ");
  return { target, features, summary: `${describeTarget(target)}: ${list}` };
}

/**
 * Read a live server. `token` is needed for the namespace probe (any token that may list
 * `sys/namespaces`; without one, namespaces are inferred from the edition).
 */
export async function detectServer(address: string, options: { token?: string; fetch?: FetchLike } = {}): Promise<DetectedServer> {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const base = address.replace(/\/+$/, "");
  const health = await doFetch(`${base}/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200`, {
    method: "GET",
    headers: {},
  });
  const target = interpretHealth(JSON.parse(await health.text()) as HealthBody);
  let namespaces = supports(target, "namespaces");
  if (options.token !== undefined) {
    const probe = await doFetch(`${base}/v1/sys/namespaces?list=true`, { method: "GET", headers: { "x-vault-token": options.token } });
    const body = await probe.text();
    // A token that may not list namespaces says nothing about whether they exist: keep the edition's answer.
    if (probe.status !== 401 && probe.status !== 403) namespaces = namespacesAvailable(probe.status, body);
  }
  return describeDetected(target, namespaces);
}
