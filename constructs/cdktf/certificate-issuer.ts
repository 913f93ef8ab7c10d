/**
 * The issuer contract PKI roles are created against: the engine-neutral shape of the PKI kind
 * plus the construct a role's references resolve through. It lives in a module of its own so
 * that `PkiRole` and `IntermediateCa` need not import each other.
 */
import { IConstruct } from "constructs";
import { CertificateIssuer } from "../../model/kinds/pki";

/** A CA that roles issue from: a construct with the PKI kind's issuer shape. */
export interface ICertificateIssuer extends IConstruct, CertificateIssuer {}
