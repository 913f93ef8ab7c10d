/**
 * Sets a PKI mount up on a dev server with the root token, through the harness's admin calls (not
 * the runtime under test): enable the engine, generate an internal root, point the issuing/CRL/OCSP
 * URLs at the server, and write roles.
 */
import { AdminTarget, admin } from "./vault-admin";

/** Role fields as OpenBao takes them (`allowed_domains`, `max_ttl`, …). */
export type PkiRoleSpec = Readonly<Record<string, unknown>>;

/** Enable PKI at `mount` with a root CA `rootCommonName`; returns the root certificate PEM. */
export async function setUpPkiMount(target: AdminTarget, mount = "pki", rootCommonName = "Vaultsmith Test Root"): Promise<string> {
  await admin(target, "POST", `sys/mounts/${mount}`, { type: "pki", config: { max_lease_ttl: "87600h" } });
  const root = await admin<{ data: { certificate: string } }>(target, "POST", `${mount}/root/generate/internal`, {
    common_name: rootCommonName,
    ttl: "87600h",
    key_type: "ec",
    key_bits: 256,
  });
  await admin(target, "POST", `${mount}/config/urls`, {
    issuing_certificates: [`${target.address}/v1/${mount}/ca`],
    crl_distribution_points: [`${target.address}/v1/${mount}/crl`],
    ocsp_servers: [`${target.address}/v1/${mount}/ocsp`],
  });
  return root.data.certificate;
}

/** Create or replace role `name` on `mount`. */
export function writePkiRole(target: AdminTarget, mount: string, name: string, spec: PkiRoleSpec): Promise<unknown> {
  return admin(target, "POST", `${mount}/roles/${name}`, spec);
}

/** Serials the mount stores (`certs?list=true`), read by the harness so "nothing was issued" is checked independently. */
export async function storedSerials(target: AdminTarget, mount = "pki"): Promise<string[]> {
  const res = await admin<{ data?: { keys?: string[] } }>(target, "GET", `${mount}/certs?list=true`);
  return res.data?.keys ?? [];
}
