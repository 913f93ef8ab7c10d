/**
 * Cross-field rules of the estate model, each reported with the path of the offending field, and
 * the entry points that run zod then these rules: {@link parseEstate} and {@link validateSpec}.
 */
import { isIP } from "node:net";
import { z } from "zod";
import type { EnvReference } from "./env";
import { ModelIssue, ModelValidationError, joinPath } from "./errors";
import { formatWholeDuration } from "./duration";
import { DatabaseSpec, Estate, IntermediateCaSpec, JwtAuthSpec, PkiRoleSpec, PkiSpec, TransitKeySpec, estateSchema } from "./schema";
import { GatedFeature, supports, unsupportedMessage } from "./target";

/** An issue before it is located in a source file. */
export interface RawIssue {
  /** Field path segments. */
  readonly path: readonly PropertyKey[];
  /** What is wrong. */
  readonly message: string;
}

/** Maps a field path to its place in the source text, when there is one. */
export type Locator = (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;

/** Options of {@link parseEstate} and {@link validateSpec}. */
export interface ParseOptions {
  /** File name for messages. @default none */
  readonly file?: string;
  /** Source locator (the YAML loader passes one). @default none */
  readonly locate?: Locator;
  /** Path prefix for messages, e.g. the construct path. @default none */
  readonly pathPrefix?: readonly PropertyKey[];
}

/** Turn raw issues into located model issues. */
/** Issues for `${NAME}` references left unset, with their field paths as path arrays. */
export function unsetEnvIssues(unresolved: readonly EnvReference[]): RawIssue[] {
  return unresolved.map((r) => ({
    path: r.path
      .split(/\.|\[|\]/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    message: `environment variable ${r.name} is not set`,
  }));
}

export function locateIssues(issues: readonly RawIssue[], options: ParseOptions = {}): ModelIssue[] {
  return issues.map((issue) => {
    const where = options.locate?.(issue.path);
    return {
      path: joinPath([...(options.pathPrefix ?? []), ...issue.path]),
      message: issue.message,
      ...(options.file !== undefined ? { file: options.file } : {}),
      ...(where ? { line: where.line, column: where.column } : {}),
    };
  });
}

/** zod issues as raw issues (unknown keys are reported one per key, at the key). */
export function zodIssues(error: z.ZodError): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: [...issue.path, key], message: `unknown key "${key}"` });
    } else {
      out.push({ path: issue.path, message: issue.message });
    }
  }
  return out;
}

/**
 * Parse `input` with `schema` (no cross-field rules) or throw every problem with its path.
 * @throws ModelValidationError
 */
export function validateSpec<S extends z.ZodType>(schema: S, input: unknown, options: ParseOptions = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ModelValidationError(locateIssues(zodIssues(result.error), options));
  return result.data;
}

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

/** Default key size per key type (`0` means "implied by the type"). */
export function defaultKeyBits(keyType: string): number {
  return keyType === "rsa" ? 4096 : keyType === "ec" ? 256 : 0;
}

const KEY_BITS: Readonly<Record<string, readonly number[]>> = {
  rsa: [2048, 3072, 4096, 8192],
  ec: [224, 256, 384, 521],
  ed25519: [0],
};

function ttl(seconds: number): string {
  return `${seconds}s (${formatWholeDuration(seconds)})`;
}

/** Check the PKI hierarchy; paths are relative to the hierarchy. */
export function checkPki(pki: PkiSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const root = pki.root;
  checkKey(root.keyType, root.keyBits, ["root"], out);
  checkAltNames(root.altNames, ["root", "altNames"], out);
  if (root.source === "generate") {
    if (root.commonName === undefined) out.push({ path: ["root", "commonName"], message: "a generated root CA needs a commonName" });
    if (root.ttl === undefined) out.push({ path: ["root", "ttl"], message: "a generated root CA needs a ttl" });
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent when a `!== undefined` test is true or `||`: it only narrows the type, a comparison with undefined is false anyway.
  if (root.ttl !== undefined && root.maxLeaseTtl !== undefined && root.maxLeaseTtl < root.ttl) {
    out.push({
      path: ["root", "maxLeaseTtl"],
      message: `mount max TTL ${ttl(root.maxLeaseTtl)} is below the root certificate TTL ${ttl(root.ttl)}; Vault would silently shorten the certificate`,
    });
  }
  pki.intermediates.forEach((int, i) => checkIntermediate(pki, int, ["intermediates", i], out));
  const mounts = [root.mount, ...pki.intermediates.map((i) => i.mount)];
  mounts.forEach((m, i) => {
    // The root is listed first, so a duplicate is always an intermediate (i >= 1).
    if (mounts.indexOf(m) !== i)
      out.push({
        path: ["intermediates", i - 1, "mount"],
        message: `mount "${m}" is used twice in the hierarchy`,
      });
  });
  return out;
}

function checkIntermediate(pki: PkiSpec, int: IntermediateCaSpec, at: PropertyKey[], out: RawIssue[]): void {
  const root = pki.root;
  checkKey(int.keyType, int.keyBits, at, out);
  checkAltNames(int.altNames, [...at, "altNames"], out);
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (root.ttl !== undefined && int.ttl > root.ttl) {
    out.push({ path: [...at, "ttl"], message: `intermediate TTL ${ttl(int.ttl)} exceeds the root TTL ${ttl(root.ttl)}` });
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (root.maxLeaseTtl !== undefined && int.ttl > root.maxLeaseTtl) {
    out.push({
      path: [...at, "ttl"],
      message: `intermediate TTL ${ttl(int.ttl)} exceeds the root mount's max TTL ${ttl(root.maxLeaseTtl)}, which signs it`,
    });
  }
  const names = new Set<string>();
  int.roles.forEach((role, r) => {
    const rp = [...at, "roles", r];
    if (names.has(role.name)) out.push({ path: [...rp, "name"], message: `role "${role.name}" is declared twice` });
    names.add(role.name);
    out.push(...checkPkiRole(role, int).map((i) => ({ path: [...rp, ...i.path], message: i.message })));
  });
}

/** The parts of an issuing CA a role is checked against. */
export interface RoleIssuerLimits {
  /** Mount path (for messages). */
  readonly mount: string;
  /** Mount max lease TTL in seconds. */
  readonly maxLeaseTtl?: number;
  /** The CA certificate's TTL in seconds, when known. */
  readonly ttl?: number;
}

/** Check one PKI role against its issuer; paths relative to the role. */
export function checkPkiRole(role: PkiRoleSpec, issuer: RoleIssuerLimits): RawIssue[] {
  const out: RawIssue[] = [];
  if (role.keyType !== "any") checkKey(role.keyType, role.keyBits, [], out);
  const max = role.maxTtl ?? role.ttl;
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (role.maxTtl !== undefined && role.ttl > role.maxTtl) {
    out.push({ path: ["ttl"], message: `role TTL ${ttl(role.ttl)} exceeds the role max TTL ${ttl(role.maxTtl)}` });
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (issuer.maxLeaseTtl !== undefined) {
    if (role.ttl > issuer.maxLeaseTtl) {
      out.push({
        path: ["ttl"],
        message: `role TTL ${ttl(role.ttl)} exceeds the mount max TTL ${ttl(issuer.maxLeaseTtl)} of "${issuer.mount}"`,
      });
    } else if (max > issuer.maxLeaseTtl) {
      out.push({
        path: ["maxTtl"],
        message: `role max TTL ${ttl(max)} exceeds the mount max TTL ${ttl(issuer.maxLeaseTtl)} of "${issuer.mount}"`,
      });
    }
  }
  // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
  if (issuer.ttl !== undefined && max > issuer.ttl) {
    out.push({
      path: [role.maxTtl !== undefined ? "maxTtl" : "ttl"],
      message: `certificates of role "${role.name}" (${ttl(max)}) would outlive their issuing CA (${ttl(issuer.ttl)})`,
    });
  }
  if (!role.allowAnyName && role.template !== "code-signing" && role.allowedDomains.length === 0 && !role.allowLocalhost) {
    out.push({ path: ["allowedDomains"], message: `role "${role.name}" allows no names: set allowedDomains or allowAnyName` });
  }
  return out;
}

function checkKey(keyType: string, keyBits: number | undefined, at: PropertyKey[], out: RawIssue[]): void {
  if (keyBits === undefined) return;
  const allowed = KEY_BITS[keyType] ?? [];
  if (!allowed.includes(keyBits)) {
    out.push({
      path: [...at, "keyBits"],
      message: `keyBits ${keyBits} is not valid for keyType "${keyType}" (allowed: ${allowed.join(", ")})`,
    });
  }
}

const DNS_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Alternative names split by kind: DNS names for `alt_names`, addresses for `ip_sans`. */
export interface SplitAltNames {
  /** DNS names (and wildcards), in input order, duplicates removed. */
  readonly dns: string[];
  /** IPv4 and IPv6 addresses, in input order, duplicates removed. */
  readonly ip: string[];
}

/**
 * Split mixed alternative names (`["cassandra-node-1", "10.0.1.100"]`) into DNS and IP SANs.
 * @throws ModelValidationError naming `path[i]` for an entry that is neither.
 */
export function splitAltNames(names: readonly string[], path = "altNames"): SplitAltNames {
  const issues: RawIssue[] = [];
  checkAltNames(names, [path], issues);
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues));
  const dns: string[] = [];
  const ip: string[] = [];
  for (const n of names) {
    const target = isIP(n) ? ip : dns;
    if (!target.includes(n)) target.push(n);
  }
  return { dns, ip };
}

function checkAltNames(names: readonly string[], at: PropertyKey[], out: RawIssue[]): void {
  names.forEach((n, i) => {
    if (isIP(n) === 0 && !DNS_NAME.test(n)) {
      out.push({ path: [...at, i], message: `"${n}" is neither a DNS name nor an IP address` });
    }
  });
}

/** Check one transit key; paths relative to the key. */
export function checkTransitKey(key: TransitKeySpec): RawIssue[] {
  const out: RawIssue[] = [];
  const symmetric = ["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305"].includes(key.type);
  if (key.convergentEncryption && !key.derived) {
    out.push({ path: ["convergentEncryption"], message: "convergent encryption requires derived: true" });
  }
  if (key.convergentEncryption && !symmetric) {
    out.push({ path: ["convergentEncryption"], message: `convergent encryption is not supported for key type ${key.type}` });
  }
  if (key.derived && !symmetric && key.type !== "ed25519") {
    out.push({ path: ["derived"], message: `key derivation is not supported for key type ${key.type}` });
  }
  if (key.autoRotatePeriod !== 0 && key.autoRotatePeriod < 3600) {
    out.push({
      path: ["autoRotatePeriod"],
      message: `auto-rotate period ${ttl(key.autoRotatePeriod)} is below Vault's minimum of 1h (use 0 to disable)`,
    });
  }
  return out;
}

/** Check a database mount; paths relative to the mount. */
export function checkDatabase(db: DatabaseSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const connections = new Map(db.connections.map((c) => [c.name, c]));
  db.connections.forEach((c, i) => {
    const at = ["connections", i];
    if (c.plugin === "cassandra") {
      if (c.hosts.length === 0) out.push({ path: [...at, "hosts"], message: "a cassandra connection needs at least one host" });
      if (c.connectionUrl !== undefined)
        out.push({ path: [...at, "connectionUrl"], message: "cassandra connections take hosts, not a connectionUrl" });
      if (c.tls !== true && (c.caCert !== undefined || c.insecureTls !== undefined))
        out.push({ path: [...at, c.caCert !== undefined ? "caCert" : "insecureTls"], message: "caCert and insecureTls need tls: true" });
    } else {
      if (c.connectionUrl === undefined) {
        out.push({
          path: [...at, "connectionUrl"],
          message: `a ${c.plugin} connection needs a connectionUrl templated with {{username}} and {{password}}`,
        });
      } else if (!c.connectionUrl.includes("{{username}}") || !c.connectionUrl.includes("{{password}}")) {
        out.push({
          path: [...at, "connectionUrl"],
          message: "connectionUrl must use {{username}} and {{password}} templates so no credential is written into state",
        });
      }
      if (c.hosts.length > 0) out.push({ path: [...at, "hosts"], message: `hosts are for cassandra; ${c.plugin} takes a connectionUrl` });
      for (const key of ["port", "tls", "insecureTls", "caCert", "protocolVersion", "connectTimeout"] as const) {
        if (c[key] !== undefined)
          out.push({ path: [...at, key], message: `${key} is for cassandra; ${c.plugin} takes it in the connectionUrl` });
      }
    }
  });
  db.roles.forEach((r, i) => {
    const at = ["roles", i];
    const c = connections.get(r.connection);
    if (!c) {
      out.push({ path: [...at, "connection"], message: `unknown connection "${r.connection}"` });
    } else if (c.allowedRoles.length > 0 && !c.allowedRoles.includes(r.name)) {
      out.push({ path: [...at, "name"], message: `role "${r.name}" is not in allowedRoles of connection "${c.name}"` });
    }
    if (r.defaultTtl > r.maxTtl)
      out.push({ path: [...at, "defaultTtl"], message: `default TTL ${ttl(r.defaultTtl)} exceeds max TTL ${ttl(r.maxTtl)}` });
    // Stryker disable next-line ConditionalExpression: equivalent when a `!== undefined` test is true: it only narrows the type, a comparison with undefined is false anyway.
    if (db.maxLeaseTtl !== undefined && r.maxTtl > db.maxLeaseTtl) {
      out.push({ path: [...at, "maxTtl"], message: `role max TTL ${ttl(r.maxTtl)} exceeds the mount max TTL ${ttl(db.maxLeaseTtl)}` });
    }
  });
  return out;
}

/** Check token TTLs of auth roles; paths relative to the role. */
export function checkTokenFields(role: { tokenTtl?: number; tokenMaxTtl?: number }): RawIssue[] {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent when a `!== undefined` test is true or `||`: it only narrows the type, a comparison with undefined is false anyway.
  if (role.tokenTtl !== undefined && role.tokenMaxTtl !== undefined && role.tokenTtl > role.tokenMaxTtl) {
    return [{ path: ["tokenTtl"], message: `token TTL ${ttl(role.tokenTtl)} exceeds token max TTL ${ttl(role.tokenMaxTtl)}` }];
  }
  return [];
}

/** Check Kubernetes auth; paths relative to the auth method. */
export function checkKubernetes(k: { vaultInCluster?: boolean; kubernetesCaCert?: string }): RawIssue[] {
  if (k.vaultInCluster === false && k.kubernetesCaCert === undefined) {
    return [
      {
        path: ["kubernetesCaCert"],
        message: "Vault outside the cluster has no pod-local CA: set kubernetesCaCert (the API server's PEM CA)",
      },
    ];
  }
  return [];
}

/** Check JWT/OIDC auth; paths relative to the auth method. */
export function checkJwt(jwt: JwtAuthSpec): RawIssue[] {
  const out: RawIssue[] = [];
  const sources = [jwt.oidcDiscoveryUrl, jwt.jwksUrl, jwt.jwtValidationPubkeys.length ? "keys" : undefined].filter(Boolean);
  if (sources.length !== 1) {
    out.push({ path: [], message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys" });
  }
  if (jwt.type === "oidc" && (jwt.oidcDiscoveryUrl === undefined || jwt.oidcClientId === undefined)) {
    out.push({ path: ["oidcClientId"], message: "OIDC needs oidcDiscoveryUrl and oidcClientId" });
  }
  jwt.roles.forEach((r, i) => {
    const roleType = r.roleType ?? jwt.type;
    if (roleType === "oidc" && r.allowedRedirectUris.length === 0) {
      out.push({ path: ["roles", i, "allowedRedirectUris"], message: "an OIDC role needs at least one allowed redirect URI" });
    }
    for (const issue of checkTokenFields(r)) out.push({ path: ["roles", i, ...issue.path], message: issue.message });
  });
  return out;
}

function prefixed(at: readonly PropertyKey[], issues: readonly RawIssue[]): RawIssue[] {
  return issues.map((i) => ({ path: [...at, ...i.path], message: i.message }));
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

/** See {@link canonicalizeEstate}. */
export function canonicalizePki(pki: PkiSpec): PkiSpec {
  const root = pki.root;
  const longest = Math.max(root.ttl ?? 0, ...pki.intermediates.map((i) => i.ttl));
  return {
    root: {
      ...root,
      keyBits: root.keyBits ?? defaultKeyBits(root.keyType),
      maxLeaseTtl: root.maxLeaseTtl ?? (longest > 0 ? longest : undefined),
    },
    intermediates: pki.intermediates.map((int) => ({
      ...int,
      keyBits: int.keyBits ?? defaultKeyBits(int.keyType),
      roles: int.roles.map((r) => ({ ...r, keyBits: r.keyBits ?? defaultKeyBits(r.keyType) })),
    })),
  };
}
