/**
 * `vaultsmith/policy`: Vault / OpenBao ACL policies as code — build, render, parse, evaluate
 * (with the servers' exact semantics), lint, diff, test and sync.
 */
export * from "./policy-document";
export { PolicyValidationError } from "./policy-error";
export type { PolicySourceLocation } from "./policy-error";
export { PolicyBuilder, canonicalCapabilities } from "./policy-builder";
export type { AllowOptions, PolicyDuration } from "./policy-builder";
export { renderHcl } from "./hcl-render";
export { parsePolicy, parsePolicyHcl, parsePolicyJson } from "./policy-parse";
export type { ParsePolicyOptions } from "./policy-parse";
export { PATH_BLOCK_KEYS, SERVER_CAPABILITIES } from "./server-flavor";
export type { PolicyServerFlavor } from "./server-flavor";
export { parseVaultDuration, formatVaultDuration } from "./duration";
export { storedPolicyName, validatePolicyName } from "./policy-name";
export { resolveTemplate } from "./identity-template";
export type { IdentityContext, IdentityAlias, IdentityGroup } from "./identity-template";
export { PolicyEvaluator, OPERATIONS, OPERATION_CAPABILITY, LIST_FALLBACK_ORDER, PARAMETER_VALUE_MATCHING } from "./policy-evaluator";
export type { EvaluatorOptions, EvaluationRequest, Decision, DecisionReason, DecidingRule, Operation } from "./policy-evaluator";
export type { RequestValue, ParameterValueMatching } from "./parameter-constraints";
export type { RuleSource, RuleKind, CompiledAcl } from "./compiled-acl";
export type { MatchStep, ListFallbackOrder } from "./rule-matching";
export { ROOT_PROTECTED_PATHS, isRootProtected } from "./root-paths";
export { lintPolicies } from "./policy-lint";
export type { LintFinding, LintOptions, LintSeverity } from "./policy-lint";
export { loadPolicySet, policiesOfRole, PolicySetValidationError, ROLES_FILE } from "./policy-source";
export type { PolicySet } from "./policy-source";
export { diffPolicySets, formatDiffText, formatDiffMarkdown } from "./policy-diff";
export type { PolicyDiff, AccessChange } from "./policy-diff";
export { runPolicyTestFile, formatTestReport } from "./policy-test-suite";
export type { PolicyTestReport, PolicyTestResult } from "./policy-test-suite";
export { runLivePolicyTestFile, formatLiveTestReport, HttpCapabilitySource } from "./policy-live-test";
export type { LiveCapabilitySource, LivePolicyTestReport, LivePolicyTestResult, HttpCapabilitySourceOptions } from "./policy-live-test";
export { syncPolicies, formatSyncPlan, stampedHcl, readVersionStamp, HttpPolicyStore, VERSION_STAMP_PREFIX } from "./policy-sync";
export type { PolicyStore, SyncAction, SyncOptions } from "./policy-sync";
