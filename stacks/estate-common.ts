/** Engine-neutral helpers for building an estate out of the constructs of either engine. */
import { IntermediateCaSpec, RootCaSpec } from "../constructs/model/schema";

/** The CA props (either engine) of a validated root or intermediate spec. */
export function caProps(spec: RootCaSpec | IntermediateCaSpec): {
  mountPath: string;
  keyType: "rsa" | "ec" | "ed25519";
  keyBits?: number;
  issuerName?: string;
  organization?: string;
  ou?: string;
  country?: string;
  altNames: readonly string[];
  exportKey: boolean;
  issuingCertificates?: readonly string[];
  crlDistribution?: readonly string[];
  ocspServers?: readonly string[];
  crl?: RootCaSpec["crl"];
} {
  return {
    mountPath: spec.mount,
    keyType: spec.keyType,
    keyBits: spec.keyBits,
    issuerName: spec.issuerName,
    organization: spec.organization,
    ou: spec.ou,
    country: spec.country,
    altNames: spec.altNames,
    exportKey: spec.exportKey,
    issuingCertificates: spec.urls?.issuingCertificates,
    crlDistribution: spec.urls?.crlDistribution,
    ocspServers: spec.urls?.ocspServers,
    crl: spec.crl,
  };
}
