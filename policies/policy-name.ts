/**
 * Policy names as Vault stores them: Vault lower-cases the name it is given, so a mixed-case name
 * in code would silently become a different name on the server.
 */
import { PolicySourceLocation, PolicyValidationError } from "./policy-error";

/** Names Vault reserves: `root` cannot be written at all. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["root"]);

/** The name Vault would store for `name` (trimmed and lower-cased). */
export function storedPolicyName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Throw unless `name` is stored by Vault exactly as written: not empty, lower-case, no
 * surrounding or embedded whitespace, not the reserved `root`.
 */
export function validatePolicyName(name: string, at: PolicySourceLocation): void {
  if (name.length === 0) throw new PolicyValidationError(at, "policy name must not be empty", "name");
  if (/\s/.test(name)) throw new PolicyValidationError(at, `policy name ${JSON.stringify(name)} must not contain whitespace`, "name");
  const stored = storedPolicyName(name);
  if (stored !== name) {
    throw new PolicyValidationError(
      at,
      `policy name ${JSON.stringify(name)} would be stored by Vault as ${JSON.stringify(stored)}; write it in lower case`,
      "name",
    );
  }
  if (RESERVED_NAMES.has(name)) throw new PolicyValidationError(at, `policy name ${JSON.stringify(name)} is reserved by Vault`, "name");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new PolicyValidationError(at, `policy name ${JSON.stringify(name)} contains control characters`, "name");
}
