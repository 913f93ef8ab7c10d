/**
 * Root-protected ("sudo") paths: a request to one of them needs the `sudo` capability in addition
 * to the capability of its operation. Taken from HashiCorp Vault 1.21 (`PathsSpecial.Root` of the
 * system backend, mounted at `sys/`, and of the token store, mounted at `auth/token/`). A pattern
 * ending in `*` is a prefix.
 */

/** The built-in root-protected paths (system backend and token store). */
export const ROOT_PROTECTED_PATHS: readonly string[] = [
  "sys/auth/*",
  "sys/remount",
  "sys/audit",
  "sys/audit/*",
  "sys/raw",
  "sys/raw/*",
  "sys/replication/primary/secondary-token",
  "sys/replication/performance/primary/secondary-token",
  "sys/replication/dr/primary/secondary-token",
  "sys/replication/reindex",
  "sys/replication/dr/reindex",
  "sys/replication/performance/reindex",
  "sys/rotate",
  "sys/config/cors",
  "sys/config/auditing/*",
  "sys/config/ui/headers/*",
  "sys/plugins/catalog/*",
  "sys/plugins/runtimes/catalog/*",
  "sys/revoke-prefix/*",
  "sys/revoke-force/*",
  "sys/leases/revoke-prefix/*",
  "sys/leases/revoke-force/*",
  "sys/leases/lookup/*",
  "sys/storage/raft/snapshot-auto/config/*",
  "sys/leases",
  "sys/reporting/scan",
  "sys/internal/inspect/*",
  "sys/internal/counters/activity/export",
  "sys/seal",
  "sys/step-down",
  "auth/token/revoke-orphan",
  "auth/token/accessors/",
];

/** True when `path` is root-protected by one of `patterns` (exact, or prefix when ending in `*`). */
export function isRootProtected(path: string, patterns: readonly string[] = ROOT_PROTECTED_PATHS): boolean {
  const p = path.replace(/^\/+/, "");
  return patterns.some((pattern) => (pattern.endsWith("*") ? p.startsWith(pattern.slice(0, -1)) : p === pattern));
}
