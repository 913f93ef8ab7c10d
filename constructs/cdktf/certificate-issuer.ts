/**
 * The issuer contract PKI roles are created against. It lives in a module of its own so that
 * `PkiRole` and `IntermediateCa` need not import each other.
 */
import { IConstruct } from "constructs";
import { StringValue } from "../../model/graph";

/** A CA that roles issue from. */
export interface ICertificateIssuer extends IConstruct {
  /** Mount path as a literal. */
  readonly mountPath: string;
  /** Graph value of the mount path. */
  readonly mountRef: StringValue;
  /** Graph value of the issuer id roles are pinned to. */
  readonly issuerRef: StringValue;
  /** Mount max lease TTL in seconds. */
  readonly maxLeaseTtlSeconds: number;
  /** CA certificate TTL in seconds, when known. */
  readonly ttlSeconds?: number;
}
