/** Engine-neutral helpers for building an estate out of the constructs of either engine. */
import { JwtOidcAuthProps, LdapAuthProps } from "../constructs/common/auth-props";
import { RootCaProps } from "../constructs/common/pki-props";
import { DatabaseSecretsProps } from "../constructs/common/secrets-props";
import { DatabaseSpec, IntermediateCaSpec, JwtAuthSpec, LdapAuthSpec, RootCaSpec } from "../model/schema";

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

/** The props of a root CA generated in Vault, from its validated spec. */
export function generatedRootProps(root: RootCaSpec): RootCaProps {
  return {
    ...caProps(root),
    commonName: root.commonName ?? "",
    ttl: root.ttl ?? 0,
    maxLeaseTtl: root.maxLeaseTtl,
    maxPathLength: root.maxPathLength,
    protect: root.protect,
  };
}

/** The props of an intermediate CA from its validated spec, all but the root it is signed by. */
export function intermediateProps(int: IntermediateCaSpec) {
  return {
    ...caProps(int),
    commonName: int.commonName,
    ttl: int.ttl,
    maxLeaseTtl: int.maxLeaseTtl,
    maxPathLength: int.maxPathLength,
    revokeOnDestroy: int.revokeOnDestroy,
  };
}

/** The props of a database engine: each connection's password becomes its secret variable. */
export function databaseProps(d: DatabaseSpec): DatabaseSecretsProps {
  return {
    mountPath: d.mount,
    maxLeaseTtl: d.maxLeaseTtl,
    connections: d.connections.map(({ password, ...c }) => ({
      ...c,
      passwordVariable: password.variable,
      passwordVersion: password.version,
    })),
    roles: d.roles,
  };
}

/** The props of LDAP auth: the bind password becomes its secret variable and version. */
export function ldapProps({ bindpass, ...ldap }: LdapAuthSpec): LdapAuthProps {
  return { ...ldap, bindpassVariable: bindpass?.variable, bindpassVersion: bindpass?.version };
}

/** The props of JWT/OIDC auth: the OIDC client secret becomes its secret variable and version. */
export function jwtProps({ oidcClientSecret, ...jwt }: JwtAuthSpec): JwtOidcAuthProps {
  return { ...jwt, oidcClientSecretVariable: oidcClientSecret?.variable, oidcClientSecretVersion: oidcClientSecret?.version };
}
