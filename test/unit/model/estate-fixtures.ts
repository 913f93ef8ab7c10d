/** Estate inputs shared by the model tests. */
import { EstateInput } from "../../../model/schema";

/** A small valid estate on OpenBao with a PKI hierarchy. */
export function pkiEstate(): EstateInput {
  return {
    target: { edition: "openbao", version: "2.6.1" },
    pki: {
      root: { mount: "pki-root", commonName: "Root CA", ttl: "87600h" },
      intermediates: [
        {
          mount: "pki",
          commonName: "Issuing CA",
          ttl: "43800h",
          maxLeaseTtl: "8760h",
          roles: [{ name: "server-cert", template: "server", ttl: "720h", allowedDomains: ["example.com"], allowSubdomains: true }],
        },
      ],
    },
  };
}

/** A field path and its new value (`undefined` deletes the field). */
export type Patch = readonly [readonly (string | number)[], unknown];

/** A deep copy of `base` (default {@link pkiEstate}) with `patches` applied. */
export function patched(patches: readonly Patch[], base: EstateInput = pkiEstate()): EstateInput {
  const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
  for (const [path, value] of patches) {
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy as unknown as EstateInput;
}
