/**
 * `vaultsmith` / `vaultsmith/runtime`: the live client. Named exports only — this list is the
 * designed surface (checked against etc/api/runtime.api.md by `npm run api:check`); helpers the
 * modules share among themselves stay internal so they can change without breaking users.
 */

// The client, raw requests and their policies.
export { VaultClient } from "./client/vault-client";
export type { VaultClientOptions, TokenRequester } from "./client/vault-client";
export type { RetryOptions } from "./client/request-executor";
export { POLICIES } from "./transport/requester";
export type { RequestPolicy, Requester } from "./transport/requester";
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
  VaultProtocolError,
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
export type { SendOptions, VaultRequester } from "./auth/requester";
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

// Metrics.
export { RuntimeMetrics } from "./metrics/runtime-metrics";
export { countTokenEvents } from "./metrics/token-metrics";
export { serveMetrics } from "./metrics/metrics-server";
export type { MetricsServer, MetricsServerOptions } from "./metrics/metrics-server";

// Configuration from the seed's `vault_integration` block.
export { ClientConfigError, authMethodFromConfig, clientFromConfig } from "./config/client-from-config";
export type { ClientFromConfigOptions, ConfiguredClient } from "./config/client-from-config";
export type { VaultIntegration, VaultIntegrationAuthentication } from "./config/vault-integration";
