/**
 * The server an estate is deployed to, and which features that server has. A construct the
 * target lacks is refused at synth time: namespaces on Vault CE would otherwise deploy silently
 * into the root namespace, and Sentinel or lease-count quotas fail only at apply.
 */
import { z } from "zod";
import { ModelValidationError } from "./errors";

/** Editions vaultsmith knows. */
export const EDITIONS = ["vault-enterprise", "vault-ce", "openbao"] as const;

/** A server edition. */
export type Edition = (typeof EDITIONS)[number];

/** Features that not every edition has. */
export type GatedFeature = "namespaces" | "sentinel-policies" | "lease-count-quotas" | "api-audit-devices";

/** The target server of an estate. */
export interface TargetServer {
  /** Which server. */
  readonly edition: Edition;
  /** Its version, `major.minor.patch`. */
  readonly version: string;
}

/** zod schema of {@link TargetServer}. */
export const targetSchema = z.strictObject({
  edition: z.enum(EDITIONS),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "expected a version such as 1.21.4"),
});

const FEATURE_EDITIONS: Readonly<Record<GatedFeature, readonly Edition[]>> = {
  // OpenBao has namespaces since 2.3; Vault only in Enterprise.
  namespaces: ["vault-enterprise", "openbao"],
  "sentinel-policies": ["vault-enterprise"],
  "lease-count-quotas": ["vault-enterprise"],
  // OpenBao 2.x refuses `PUT sys/audit/<path>` ("cannot enable audit device via API; use
  // declarative, config-based audit device management instead", after CVE-2025-54997): audit
  // devices are declared in the server's configuration file (`audit "file" "<path>" { ... }`).
  "api-audit-devices": ["vault-enterprise", "vault-ce"],
};

const MINIMUM: Partial<Record<`${GatedFeature}:${Edition}`, string>> = {
  "namespaces:openbao": "2.3.0",
};

/** Why a feature is missing, when there is more to say than "not available". */
const WHY: Partial<Record<`${GatedFeature}:${Edition}`, string>> = {
  "api-audit-devices:openbao":
    'OpenBao refuses audit devices created through the API; declare them in the server configuration (audit "file" "<path>" { ... }) instead',
};

/** Human names used in messages. */
const EDITION_NAMES: Readonly<Record<Edition, string>> = {
  "vault-enterprise": "Vault Enterprise",
  "vault-ce": "Vault CE",
  openbao: "OpenBao",
};

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Describe a target as `OpenBao 2.6.1`. */
export function describeTarget(target: TargetServer): string {
  return `${EDITION_NAMES[target.edition]} ${target.version}`;
}

/** Whether `target` supports `feature`. */
export function supports(target: TargetServer, feature: GatedFeature): boolean {
  if (!FEATURE_EDITIONS[feature].includes(target.edition)) return false;
  const minimum = MINIMUM[`${feature}:${target.edition}`];
  return minimum === undefined || compareVersions(target.version, minimum) >= 0;
}

/**
 * Throw unless `target` supports `feature`.
 * @param path field or construct path that asked for the feature
 * @throws ModelValidationError naming the feature, the target and `path`.
 */
export function requireFeature(target: TargetServer | undefined, feature: GatedFeature, path: string): void {
  if (target === undefined) {
    throw new ModelValidationError([
      {
        path,
        message: `${feature} need a declared target server (edition and version); without one vaultsmith cannot tell whether the server has them`,
      },
    ]);
  }
  if (!supports(target, feature)) {
    throw new ModelValidationError([{ path, message: unsupportedMessage(target, feature) }]);
  }
}

/** The message for a feature `target` lacks (with the reason, where there is one). */
export function unsupportedMessage(target: TargetServer, feature: GatedFeature): string {
  const why = WHY[`${feature}:${target.edition}`];
  return `${feature} are not available on the target ${describeTarget(target)}${why ? `: ${why}` : ""}`;
}
