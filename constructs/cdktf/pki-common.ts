/**
 * What the CDKTF PKI constructs share: the engine-neutral props (defined in `constructs/common`)
 * and the issuer contract roles are created against, which lives here so `PkiRole` and
 * `IntermediateCa` need not import each other.
 */
import { IConstruct } from "constructs";
import { StringValue } from "../../model/graph";

export * from "../common/pki-common";

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
