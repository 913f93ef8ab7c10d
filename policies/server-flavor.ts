/**
 * What differs between the servers vaultsmith targets when they read a policy: the path-block
 * keys and capabilities each accepts (HashiCorp Vault 1.21 `vault/policy.go`, OpenBao 2.6
 * `vault/policy.go`).
 */
import { Capability } from "./policy-document";

/** The server a policy is written for. */
export type PolicyServerFlavor = "vault" | "openbao";

/** Path-block keys each server accepts (anything else is "invalid key"). */
export const PATH_BLOCK_KEYS: Readonly<Record<PolicyServerFlavor, readonly string[]>> = {
  vault: [
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "control_group",
    "subscribe_event_types",
  ],
  openbao: [
    "comment",
    "policy",
    "capabilities",
    "allowed_parameters",
    "denied_parameters",
    "required_parameters",
    "min_wrapping_ttl",
    "max_wrapping_ttl",
    "mfa_methods",
    "pagination_limit",
    "expiration",
    "list_scan_response_keys_filter_path",
    "control_group",
  ],
};

/**
 * Keys a server accepts that vaultsmith's `PathRule` cannot carry: they change what a real request
 * needs (MFA, approvals, expiry, pagination, event filters) so dropping them silently would make
 * the evaluator wrong. The parser refuses them with this reason.
 */
export const UNMODELLED_KEYS: ReadonlySet<string> = new Set([
  "mfa_methods",
  "control_group",
  "subscribe_event_types",
  "pagination_limit",
  "expiration",
  "list_scan_response_keys_filter_path",
]);

/** Capabilities each server accepts in a policy (from the contract's list). */
export const SERVER_CAPABILITIES: Readonly<Record<PolicyServerFlavor, readonly Capability[]>> = {
  vault: ["deny", "create", "read", "update", "delete", "list", "sudo", "patch", "subscribe", "recover"],
  openbao: ["deny", "create", "read", "update", "delete", "list", "sudo", "patch"],
};
