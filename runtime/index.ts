/**
 * `vaultsmith` / `vaultsmith/runtime`: the live client. Named exports only — this list is the
 * designed surface (checked against etc/api/runtime.api.md by `npm run api:check`); helpers the
 * modules share among themselves stay internal so they can change without breaking users.
 */

// The client, raw requests and their policies.
export { VaultClient } from "./client/vault-client";
export type { VaultClientOptions } from "./client/vault-client";
export type { RetryOptions } from "./client/request-executor";
export { POLICIES, withDeadline } from "./transport/request-policy";
export type { RequestPolicy } from "./transport/request-policy";
export type { Requester } from "./transport/requester";
export { HttpTransport } from "./transport/http-transport";
export type { HttpTransportOptions, TlsOptions, VaultRequest, VaultResponse } from "./transport/http-transport";
export { CertificatePinMismatchError, spkiPin } from "./transport/certificate-pin";
export type { FailureKind, RetryClass } from "./transport/failure-kind";

// Errors.
export {
  VaultConnectionError,
  VaultDeadlineError,
  VaultError,
  VaultHttpError,
  VaultInputError,
  VaultProtocolError,
  VaultRefusalError,
  VaultUnavailableError,
} from "./core/errors";
export { GateRefusedError } from "./resilience/outage-gate";
export type { OutageGate } from "./resilience/outage-gate";
export type { GateRefusal } from "./resilience/outage-gate";

// Time and backoff, injectable for tests and embedders.
export { systemClock } from "./core/clock";
export type { CancelTimer, Clock } from "./core/clock";
export type { BackoffOptions } from "./core/backoff";

// Cluster state and the read cache.
export { Cluster } from "./cluster/cluster";
export type { ClusterAvailability, ClusterEvents, ClusterOptions } from "./cluster/cluster";
export { ClusterNode } from "./cluster/cluster-node";
export type { BreakerOptions, NodeState } from "./cluster/cluster-node";
export { SecretCache } from "./cache/secret-cache";
export type { CacheFill, CacheStats, SecretCacheOptions } from "./cache/secret-cache";

// Authentication and token upkeep.
export type { AuthResult, VaultAuthBlock, VaultAuthResponseBody } from "./auth/auth-result";
export { AuthChainError, AuthLoginError, TokenManagerStoppedError } from "./auth/auth-errors";
export type { AuthFailureDetail, AuthTarget } from "./auth/auth-errors";
export type { AuthMethod } from "./auth/auth-method";
export { DEFAULT_BACKOFF, DEFAULT_RENEWAL_TIMING } from "./auth/renewal-timing";
export type { RenewalTiming } from "./auth/renewal-timing";
export type {
  EmergencyAccessEvent,
  FallbackEvent,
  LoginEvent,
  LoginFailedEvent,
  LoginReason,
  RenewalFailedEvent,
  TokenExpiredEvent,
  TokenManagerEvents,
  TokenRenewedEvent,
  TokenRevokedEvent,
} from "./auth/token-events";
export { unwrapWrappedToken } from "./auth/break-glass";
export type { BreakGlassRequest } from "./auth/break-glass";
export { TokenManager } from "./auth/token-manager";
export type { TokenInfo, TokenManagerOptions, TokenWaitOptions } from "./auth/token-manager";
export { AppRoleAuth } from "./auth/methods/approle";
export type { AppRoleAuthOptions } from "./auth/methods/approle";
export { DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH, KubernetesAuth } from "./auth/methods/kubernetes";
export type { KubernetesAuthOptions } from "./auth/methods/kubernetes";
export { LdapAuth } from "./auth/methods/ldap";
export type { LdapAuthOptions } from "./auth/methods/ldap";
export { JwtAuth } from "./auth/methods/jwt";
export type { JwtAuthOptions } from "./auth/methods/jwt";
export { CertAuth } from "./auth/methods/cert";
export type { CertAuthOptions } from "./auth/methods/cert";
export { TokenAuth } from "./auth/methods/token";
export type { TokenAuthOptions } from "./auth/methods/token";

// Secrets engines.
export { SysApi } from "./engines/sys";
export type { HealthBody, HealthState, HealthStatus, SealStatus } from "./engines/sys";
export { Kv2Api } from "./engines/kv2";
export { KvWriteNotAppliedError, KvWriteOutcomeUnknownError } from "./engines/kv2-ambiguous";
export type { AmbiguousWriteMode } from "./engines/kv2-ambiguous";
export type {
  AmbiguousWriteStats,
  BatchResult,
  CacheMode,
  Kv2BatchWrite,
  Kv2MetadataUpdate,
  Kv2ReadOptions,
  Kv2Secret,
  Kv2SecretMetadata,
  Kv2VersionMetadata,
  Kv2WriteOptions,
  SecretData,
} from "./engines/kv2";
export { PkiApi } from "./engines/pki";
export type {
  CertificateFormat,
  IssuedCertificate,
  PkiIssueRequest,
  PkiIssuer,
  PkiIssuerSummary,
  PkiNameRequest,
  PkiSignVerbatimRequest,
  PkiTidyRequest,
  PrivateKeyFormat,
  RevocationResult,
  SignedCertificate,
} from "./engines/pki";
export { PkiInputError, PkiNameNotAllowedError, PkiRoleNotFoundError, PkiTtlAboveMaxError } from "./engines/pki-errors";
export { TransitApi } from "./engines/transit";
export type {
  TransitApiOptions,
  TransitBatchOptions,
  TransitBatchResult,
  TransitCiphertext,
  TransitCreateKeyRequest,
  TransitDataKey,
  TransitDataKeyOptions,
  TransitDecryptItem,
  TransitDecryptOptions,
  TransitEncryptItem,
  TransitEncryptOptions,
  TransitHashAlgorithm,
  TransitHmac,
  TransitHmacAlgorithm,
  TransitHmacOptions,
  TransitKeyConfig,
  TransitKeyInfo,
  TransitKeyType,
  TransitKeyVersion,
  TransitRewrapItem,
  TransitRewrapOptions,
  TransitSignature,
  TransitSignOptions,
  TransitVerifyOptions,
  TransitWrappedDataKey,
} from "./engines/transit";
export { OPENBAO_REQUEST_LIMITS } from "./engines/transit-batch";
export type { TransitData, TransitRequestLimits } from "./engines/transit-batch";
export {
  TransitCiphertextError,
  TransitContextError,
  TransitError,
  TransitInputError,
  TransitKeyExistsError,
  TransitKeyNotFoundError,
  TransitKeyVersionTooOldError,
} from "./engines/transit-errors";
export type { TransitErrorSite } from "./engines/transit-errors";
export { openFromKv, sealToKv } from "./engines/transit-sealed";
export { DatabaseApi, DatabaseCredentials, DatabaseLogin, LeasesApi, StaticDatabaseCredentials } from "./engines/database";
export type { LeaseCallOptions, LeaseLookup, LeaseRenewal, RedactedCredentials } from "./engines/database";
export {
  DatabaseConnectionNotFoundError,
  DatabaseInputError,
  DatabaseRoleNotAllowedError,
  DatabaseRoleNotFoundError,
  LeaseRefusedError,
} from "./engines/database-errors";
export type { OpenOptions, SealOptions, SealedRecord } from "./engines/transit-sealed";
export { parseCrl } from "./engines/pki-crl";
export type { CertificateRevocationList, CrlEntry } from "./engines/pki-crl";
export { generateKeyAndCsr } from "./engines/pki-csr";
export type { CsrSubject, LocalKeyAndCsr, LocalKeySpec } from "./engines/pki-csr";
export { OcspResponseError, buildOcspRequest, parseOcspResponse } from "./engines/pki-ocsp";
export type { OcspCertStatus, OcspResult } from "./engines/pki-ocsp";
export { CertificateParseError, parseCertificate, parseCertificates, sameSerial } from "./engines/pki-parse";
export type { CertificateSerial, KeyAlgorithm, KeyUsageName, ParsedCertificate, SubjectAltNames } from "./engines/pki-parse";
export { PrivateKey } from "./engines/pki-private-key";
export type { RedactedPrivateKey } from "./engines/pki-private-key";

// Certificates kept valid, and where they are delivered.
export { CertificateManager, CertificatePurposeError } from "./certs/certificate-manager";
export type { CertificateManagerOptions, ManagedCertificateSpec } from "./certs/certificate-manager";
export type {
  CertificateErrorEvent,
  CertificateExpiredEvent,
  CertificateExpiringEvent,
  CertificateManagerEvents,
  CertificateObtainedEvent,
  CertificatePurpose,
  CertificateRenewedEvent,
} from "./certs/cert-events";
export { CertificateSinkError, pemFileSink, pkcs12FileSink } from "./certs/cert-sinks";
export type { CertificateSink, PasswordSource, PemFileSinkOptions, Pkcs12FileSinkOptions } from "./certs/cert-sinks";
export { buildKeystore, buildTruststore } from "./certs/pkcs12";
export { DEFAULT_RENEWAL_BAND } from "./certs/renewal-schedule";
export type { RenewalBand } from "./certs/renewal-schedule";
export { SecureContextProvider } from "./certs/secure-context";
export type { CertificateAuditAction, CertificateAuditRecord, CertificateAuditSink, TokenAccessorSource } from "./certs/cert-audit";
export { CertificateMetrics } from "./certs/cert-metrics";

// Dynamic credentials kept valid.
export { DEFAULT_ROTATION, LeaseManager, LeaseManagerStateError } from "./leases/lease-manager";
export type {
  CredentialsUpdate,
  LeaseManagerOptions,
  LeaseTokenSource,
  ManagedCredentialSpec,
  RotationOptions,
} from "./leases/lease-manager";
export type {
  CredentialsReason,
  LeaseCreatedEvent,
  LeaseErrorEvent,
  LeaseExpiredEvent,
  LeaseExpiringEvent,
  LeaseManagerEvents,
  LeaseRenewedEvent,
  LeaseRevokedEvent,
  LeaseRotatedEvent,
} from "./leases/lease-events";
export { LeaseMetrics } from "./leases/lease-metrics";
export { DEFAULT_STORM_GUARD, StormGuard } from "./leases/storm-guard";
export type { StormGuardOptions } from "./leases/storm-guard";

// Rotation of KV secrets, transit keys, database credentials and certificates.
export { RotationScheduler } from "./rotation/rotation-scheduler";
export type {
  RollbackOptions,
  RotationRegistration,
  RotationRequestOptions,
  RotationSchedulerOptions,
} from "./rotation/rotation-scheduler";
export {
  RotationError,
  RotationFailedError,
  RotationInputError,
  RotationRollbackError,
  RotationSchedulerStoppedError,
  RotationTargetNotFoundError,
  RotationUnknownTargetError,
} from "./rotation/rotation-errors";
export type {
  CertificateRotationTarget,
  KvRotationTarget,
  RootCredentialRotationTarget,
  RotationAuditRecord,
  RotationAuditSink,
  RotationFailedEvent,
  RotationGraceEndedEvent,
  RotationPolicy,
  RotationRetryEvent,
  RotationSchedulerEvents,
  RotationStartingEvent,
  RotationStatus,
  RotationSucceededEvent,
  RotationTarget,
  RotationTargetKind,
  RotationTrigger,
  RotationUpcomingEvent,
  StaticRoleRotationTarget,
  TransitKeyRotationTarget,
} from "./rotation/rotation-types";

// Configuration rendered from templates and kept current.
export { ConfigRenderer, RenderedConfig } from "./templates/config-renderer";
export type { ConfigRendererOptions, RenderReason, WatchOptions, WatchedTemplate } from "./templates/config-renderer";
export { TemplateError, TemplateFileError, TemplateSyntaxError, TemplateValueError } from "./templates/template-errors";

// Agent mode: the token of a local OpenBao / Vault Agent's file sink.
export { AgentSinkError, AgentSinkToken } from "./agent/agent-sink-token";
export type { AgentSinkTokenEvents, AgentSinkTokenOptions, AgentTokenChangedEvent, AgentTokenTarget } from "./agent/agent-sink-token";

// Metrics.
export { RuntimeMetrics } from "./metrics/runtime-metrics";
export { countTokenEvents } from "./metrics/token-metrics";
export { serveMetrics } from "./metrics/metrics-server";
export type { MetricsServer, MetricsServerOptions } from "./metrics/metrics-server";

// Configuration from the seed's `vault_integration` block.
export { ClientConfigError, authMethodFromConfig, clientFromConfig } from "./config/client-from-config";
export type { ClientFromConfigOptions, ConfiguredClient } from "./config/client-from-config";
export type { VaultIntegration, VaultIntegrationAuthentication } from "./config/vault-integration";

// Operations: disaster recovery (Raft snapshots, backups, drills, Enterprise replication calls).
export { RaftSnapshots } from "./ops/dr/raft-snapshots";
export type { SnapshotRestoreOptions } from "./ops/dr/raft-snapshots";
export { SnapshotInvalidError, verifySnapshotArchive } from "./ops/dr/snapshot-archive";
export type { SnapshotMeta, VerifiedSnapshot } from "./ops/dr/snapshot-archive";
export { BackupScheduler, listBackups, selectExpired } from "./ops/dr/backup-schedule";
export type { BackupFile, BackupRetention, BackupRun, BackupSchedulerOptions } from "./ops/dr/backup-schedule";
export { KV_BACKUP_FORMAT, KvBackupError, backupKv, parseKvBackup, restoreKvSelection } from "./ops/dr/kv-backup";
export type { KvBackup, KvBackupOptions, KvRestoreResult } from "./ops/dr/kv-backup";
export { runDrDrill } from "./ops/dr/dr-drill";
export type { DrillLifecycle, DrillOptions, DrillReport } from "./ops/dr/dr-drill";
export { ReplicationStepError, renderReplicationStep } from "./ops/dr/replication";
export type { RenderedCall, ReplicationKind, ReplicationStep } from "./ops/dr/replication";
export { canonicalJson, diffInventories, inventoryEstate } from "./ops/estate/estate-checksums";
export type { EstateDiff, EstateEntry, EstateInventory } from "./ops/estate/estate-checksums";
export { inNamespace } from "./ops/estate/namespaced";
export { OpsInputError } from "./ops/ops-input-error";

// Operations: audit streams, alerts, reports.
export { AuditParseError, parseAuditLine } from "./ops/audit/audit-entry";
export type {
  AuditAuth,
  AuditEventBase,
  AuditEvent,
  AuditParseFailure,
  AuditRequest,
  AuditRequestEvent,
  AuditResponseEvent,
} from "./ops/audit/audit-entry";
export { AuditStream } from "./ops/audit/audit-stream";
export type { AuditStreamStats } from "./ops/audit/audit-stream";
export { AuditHttpReceiver, AuditSocketReceiver, tailAuditFile } from "./ops/audit/audit-sources";
export type { AuditTail, HttpReceiverOptions, SocketReceiverOptions, TailOptions } from "./ops/audit/audit-sources";
export { AuditCorrelator, auditHash, mentionsHash } from "./ops/audit/audit-correlator";
export type { AuditExchange } from "./ops/audit/audit-correlator";
export { AlertEngine, WebhookAlertSink, WebhookDeliveryError } from "./ops/audit/audit-alerts";
export type { AlertRuleName, AlertRulesConfig, AuditAlert, WebhookOptions } from "./ops/audit/audit-alerts";
export { AuditStore, DEFAULT_CONTROLS, matchesPolicyPath } from "./ops/audit/audit-reports";
export type { ComplianceControl, ComplianceFinding, ForensicQuery, PolicyUsage } from "./ops/audit/audit-reports";
export { AuditArchive } from "./ops/audit/audit-archive";
export type { AuditArchiveOptions } from "./ops/audit/audit-archive";
export { AuditDeviceConfigOnlyError, enableAuditDevice, listAuditDevices, renderAuditStanza } from "./ops/audit/audit-devices";
export type { AuditDeviceSpec } from "./ops/audit/audit-devices";
export { createAuditPipeline } from "./ops/audit/audit-pipeline";
export type { AuditPipeline, AuditPipelineOptions } from "./ops/audit/audit-pipeline";

// Operations: tenant namespaces.
export { NamespaceAdmin, NamespaceExistsError, NamespaceNotFoundError } from "./ops/namespaces/namespace-admin";
export type { NamespaceInfo, NamespaceInspection } from "./ops/namespaces/namespace-admin";
export { TenantSpecError, provisionTenant } from "./ops/namespaces/tenant-provision";
export type { ProvisionedTenant, TenantSpec } from "./ops/namespaces/tenant-provision";
export { explainTokenPolicies } from "./ops/namespaces/policy-explain";
export type { ExplainedPolicy, PolicyRule, TokenPolicyExplanation } from "./ops/namespaces/policy-explain";
export { createShareGrant, listShareGrants, revokeShareGrant } from "./ops/namespaces/share-grants";
export type { IssuedShareGrant, ShareGrant } from "./ops/namespaces/share-grants";
export { removeNamespaceRateLimit, setNamespaceRateLimit } from "./ops/namespaces/namespace-quotas";
export type { NamespaceRateLimit } from "./ops/namespaces/namespace-quotas";
export {
  MigrationTargetNotEmptyError,
  NAMESPACE_EXPORT_FORMAT,
  exportNamespace,
  migrateNamespace,
  restoreNamespace,
} from "./ops/namespaces/namespace-migration";
export type { MigrationReport, NamespaceExport, RestoreReport } from "./ops/namespaces/namespace-migration";
export { SEALED_EXPORT_FORMAT, openNamespaceExport, sealNamespaceExport } from "./ops/namespaces/sealed-export";
export type { SealedNamespaceExport } from "./ops/namespaces/sealed-export";
