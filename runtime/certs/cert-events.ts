/**
 * The events a CertificateManager emits, as a typed map for Node's `EventEmitter`. Payloads name
 * certificates by serial and never carry a key.
 */

/** What a managed certificate is for; checked against its extended key usages. */
export type CertificatePurpose = "server" | "client" | "code-signing";

/** The first certificate of a managed name was obtained and delivered. */
export interface CertificateObtainedEvent {
  /** Managed name. */
  readonly name: string;
  /** Serial in Vault's colon form. */
  readonly serial: string;
  /** End of validity. */
  readonly notAfter: Date;
  /** When the next renewal is planned. */
  readonly renewAt: Date;
}

/** A certificate was replaced by a new one, delivered everywhere. */
export interface CertificateRenewedEvent extends CertificateObtainedEvent {
  /** Serial of the replaced certificate. */
  readonly previousSerial: string;
  /** Failed attempts before this renewal succeeded. */
  readonly failedAttempts: number;
}

/** Half the minimum margin (or less) is left and no renewal has succeeded yet: renewals are failing. */
export interface CertificateExpiringEvent {
  /** Managed name. */
  readonly name: string;
  /** Serial of the certificate about to expire. */
  readonly serial: string;
  /** End of validity. */
  readonly notAfter: Date;
}

/** The current certificate expired without a replacement (renewals keep being retried). */
export type CertificateExpiredEvent = CertificateExpiringEvent;

/** A renewal attempt failed; it is retried after `retryInMs`. */
export interface CertificateErrorEvent {
  /** Managed name. */
  readonly name: string;
  /** The typed error (no key material). */
  readonly error: Error;
  /** 0-based number of this failed attempt in a row. */
  readonly attempt: number;
  /** Delay before the next attempt. */
  readonly retryInMs: number;
  /** Whether the certificate in use is still valid. */
  readonly currentValid: boolean;
}

/** Event name to listener arguments. */
export interface CertificateManagerEvents {
  obtained: [CertificateObtainedEvent];
  renewed: [CertificateRenewedEvent];
  expiring: [CertificateExpiringEvent];
  expired: [CertificateExpiredEvent];
  error: [CertificateErrorEvent];
}
