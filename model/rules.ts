/**
 * Cross-field rules of the estate model, each reported with the path of the offending field, and
 * the entry points that run zod then these rules: {@link parseEstate} and {@link validateSpec}.
 */
import { ModelValidationError } from "./errors";
import { checkTokenFields } from "./kinds/auth/auth-mount";
import { checkJwt } from "./kinds/auth/jwt-oidc";
import { checkKubernetes } from "./kinds/auth/kubernetes";
import { checkDatabase } from "./kinds/database";
import { canonicalizePki, checkPki } from "./kinds/pki";
import { checkSsh } from "./kinds/ssh";
import { checkTransitKey } from "./kinds/transit";
import { Estate, estateSchema } from "./schema";
import { GatedFeature, supports, unsupportedMessage } from "./target";
import { locateIssues, ParseOptions, prefixed, RawIssue, validateSpec } from "./validation";

/**
 * Parse and validate a whole estate: schema, then every cross-field rule, then canonical
 * defaults (key sizes, mount max TTLs).
 * @throws ModelValidationError listing every problem with its field path (and line, from YAML).
 */
export function parseEstate(input: unknown, options: ParseOptions = {}): Estate {
  const estate = validateSpec(estateSchema, input, options);
  const issues = checkEstate(estate);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues, options));
  return canonicalizeEstate(estate);
}

function gate(estate: Estate, feature: GatedFeature, path: PropertyKey[], out: RawIssue[]): void {
  if (!supports(estate.target, feature)) {
    out.push({ path, message: unsupportedMessage(estate.target, feature) });
  }
}

/** Every cross-field rule of an estate. */
export function checkEstate(estate: Estate): RawIssue[] {
  const out: RawIssue[] = [];
  if (estate.pki) out.push(...prefixed(["pki"], checkPki(estate.pki)));
  estate.transit.forEach((t, i) => t.keys.forEach((k, j) => out.push(...prefixed(["transit", i, "keys", j], checkTransitKey(k)))));
  estate.database.forEach((d, i) => out.push(...prefixed(["database", i], checkDatabase(d))));
  estate.ssh.forEach((s, i) => out.push(...prefixed(["ssh", i], checkSsh(s))));
  const auth = estate.auth;
  auth.appRole?.roles.forEach((r, i) => out.push(...prefixed(["auth", "appRole", "roles", i], checkTokenFields(r))));
  auth.kubernetes?.roles.forEach((r, i) => out.push(...prefixed(["auth", "kubernetes", "roles", i], checkTokenFields(r))));
  auth.cert?.roles.forEach((r, i) => out.push(...prefixed(["auth", "cert", "roles", i], checkTokenFields(r))));
  if (auth.jwt) out.push(...prefixed(["auth", "jwt"], checkJwt(auth.jwt)));
  if (auth.kubernetes) out.push(...prefixed(["auth", "kubernetes"], checkKubernetes(auth.kubernetes)));

  // Mount paths are unique across engines; auth paths across auth methods.
  const mounts: [string, PropertyKey[]][] = [];
  if (estate.pki) {
    // Stryker disable next-line ArrayDeclaration,StringLiteral: equivalent: listed first, the root mount is never the duplicate whose path is reported.
    mounts.push([estate.pki.root.mount, ["pki", "root", "mount"]]);
    estate.pki.intermediates.forEach((m, i) => mounts.push([m.mount, ["pki", "intermediates", i, "mount"]]));
  }
  estate.kv.forEach((m, i) => mounts.push([m.mount, ["kv", i, "mount"]]));
  estate.transit.forEach((m, i) => mounts.push([m.mount, ["transit", i, "mount"]]));
  estate.database.forEach((m, i) => mounts.push([m.mount, ["database", i, "mount"]]));
  estate.ssh.forEach((m, i) => mounts.push([m.mount, ["ssh", i, "mount"]]));
  duplicates(mounts, "mount path", out);
  const authPaths: [string, PropertyKey[]][] = [];
  // Stryker disable next-line ConditionalExpression: equivalent when true: zod leaves absent auth methods out rather than undefined; the test narrows the type.
  for (const [key, value] of Object.entries(auth)) if (value) authPaths.push([value.path, ["auth", key, "path"]]);
  duplicates(authPaths, "auth path", out);
  duplicates(
    estate.audit.map((a, i) => [a.path, ["audit", i, "path"]]),
    "audit device path",
    out,
  );

  // Policy names: unique, and RGPs share their namespace with ACL policies.
  const policyNames: [string, PropertyKey[]][] = estate.policies.map((p, i) => [p.name, ["policies", i, "name"]]);
  estate.sentinelPolicies.forEach((p, i) => {
    if (p.kind === "rgp") policyNames.push([p.name, ["sentinelPolicies", i, "name"]]);
    if (p.kind === "egp" && p.paths.length === 0)
      out.push({ path: ["sentinelPolicies", i, "paths"], message: "an EGP needs at least one path" });
    if (p.kind === "rgp" && p.paths.length > 0)
      out.push({ path: ["sentinelPolicies", i, "paths"], message: "an RGP is bound to tokens, not paths: remove paths" });
  });
  duplicates(policyNames, "policy name", out);

  const known = new Set<string>();
  estate.namespaces.forEach((ns, i) => {
    const full = ns.parent ? `${ns.parent}/${ns.path}` : ns.path;
    if (ns.parent !== undefined && !known.has(ns.parent)) {
      out.push({ path: ["namespaces", i, "parent"], message: `parent namespace "${ns.parent}" must be declared before "${full}"` });
    }
    if (known.has(full)) out.push({ path: ["namespaces", i, "path"], message: `namespace "${full}" is declared twice` });
    known.add(full);
  });

  if (estate.namespace !== undefined) gate(estate, "namespaces", ["namespace"], out);
  if (estate.namespaces.length > 0) gate(estate, "namespaces", ["namespaces"], out);
  if (estate.sentinelPolicies.length > 0) gate(estate, "sentinel-policies", ["sentinelPolicies"], out);
  if (estate.leaseCountQuotas.length > 0) gate(estate, "lease-count-quotas", ["leaseCountQuotas"], out);
  if (estate.audit.length > 0) gate(estate, "api-audit-devices", ["audit"], out);
  if (estate.createNamespace && estate.namespace === undefined) {
    out.push({ path: ["createNamespace"], message: "createNamespace needs the estate's namespace" });
  }
  return out;
}

function duplicates(entries: readonly (readonly [string, PropertyKey[]])[], what: string, out: RawIssue[]): void {
  const seen = new Set<string>();
  for (const [value, path] of entries) {
    if (seen.has(value)) out.push({ path, message: `${what} "${value}" is used twice` });
    seen.add(value);
  }
}

/** Fill canonical defaults the schema cannot: key sizes by type, mount max TTLs from the certificates. */
export function canonicalizeEstate(estate: Estate): Estate {
  if (!estate.pki) return estate;
  return { ...estate, pki: canonicalizePki(estate.pki) };
}
