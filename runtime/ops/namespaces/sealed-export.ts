/**
 * A namespace export sealed with a transit key, so it can be written to disk: the document holds
 * only ciphertext, a SHA-256 of the plaintext (a decrypt yielding anything else is refused) and
 * which key to ask. Opening needs `decrypt` on that key.
 */
import { OpsInputError } from "../ops-input-error";
import { TransitApi } from "../../engines/transit";
import { Requester } from "../../transport/requester";
import { sha256Hex } from "../estate/estate-checksums";
import { NamespaceExport, parseNamespaceExport } from "./namespace-migration";

/** Format tag of {@link SealedNamespaceExport}. */
export const SEALED_EXPORT_FORMAT = "vaultsmith-namespace-export-sealed/1";

/** The sealed document. */
export interface SealedNamespaceExport {
  /** {@link SEALED_EXPORT_FORMAT}. */
  readonly format: typeof SEALED_EXPORT_FORMAT;
  /** Source namespace (not secret). */
  readonly namespace: string;
  /** Transit mount and key (root namespace unless `transit.namespace`). */
  readonly transit: { readonly mount: string; readonly key: string; readonly namespace?: string };
  /** SHA-256 of the plaintext. */
  readonly payloadSha256: string;
  /** `vault:vN:…`. */
  readonly ciphertext: string;
}

/** Seal `data` with `transit.key`. */
export async function sealNamespaceExport(
  requester: Requester,
  data: NamespaceExport,
  transit: { mount: string; key: string },
): Promise<SealedNamespaceExport> {
  const payload = JSON.stringify(data);
  const cipher = await new TransitApi(requester, transit.mount).encrypt(transit.key, payload);
  return {
    format: SEALED_EXPORT_FORMAT,
    namespace: data.namespace,
    transit,
    payloadSha256: sha256Hex(payload),
    ciphertext: cipher.ciphertext,
  };
}

/** Open a sealed export; throws `TypeError` for a document that is not one or does not match its checksum. */
export async function openNamespaceExport(requester: Requester, sealed: unknown, source = "export"): Promise<NamespaceExport> {
  const doc = sealed as Partial<SealedNamespaceExport> | null;
  if (doc === null || typeof doc !== "object" || doc.format !== SEALED_EXPORT_FORMAT)
    throw new OpsInputError(`${source} is not a sealed namespace export ("format": "${SEALED_EXPORT_FORMAT}")`);
  if (!doc.transit || typeof doc.transit.mount !== "string" || typeof doc.transit.key !== "string" || typeof doc.ciphertext !== "string") {
    throw new OpsInputError(`${source}: transit { mount, key } and ciphertext are required`);
  }
  const text = await new TransitApi(requester, doc.transit.mount).decrypt(doc.transit.key, doc.ciphertext, { as: "text" });
  if (sha256Hex(text) !== doc.payloadSha256)
    throw new OpsInputError(`${source}: the decrypted payload does not match payloadSha256 (tampered or wrong key)`);
  return parseNamespaceExport(JSON.parse(text), source);
}
