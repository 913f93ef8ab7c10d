/**
 * Serves the current certificate to Node TLS servers, swapped in place on every renewal: as an
 * `SNICallback` for `tls.createServer` / `https.createServer`, and by `setSecureContext` on
 * servers attached with {@link SecureContextProvider.attach}. Handshakes in flight keep the
 * context they started with; the next one gets the new certificate — no restart, no gap.
 */
import { SecureContext, SecureContextOptions, Server, createSecureContext } from "node:tls";
import { inspect } from "node:util";
import type { IssuedCertificate } from "../engines/pki";
import { toCertificatePem } from "../engines/pki-parse";

/** Holds the current certificate as a TLS secure context. */
export class SecureContextProvider {
  #options: SecureContextOptions | undefined;
  #context: SecureContext | undefined;
  #serial: string | undefined;
  readonly #servers = new Set<Server>();
  readonly #extra: SecureContextOptions;

  /** @param extra options added to every context (e.g. `ca` and `requestCert` for mutual TLS, `minVersion`). */
  constructor(extra: SecureContextOptions = {}) {
    this.#extra = extra;
  }

  /** Make `certificate` the one served from now on. */
  update(certificate: IssuedCertificate): void {
    const chain = certificate.ca_chain.map((c) => toCertificatePem(c)).join("");
    const options = { ...this.#extra, key: certificate.private_key.pem(), cert: `${certificate.parsed.pem}\n${chain}` };
    this.#context = createSecureContext(options);
    this.#options = options;
    this.#serial = certificate.parsed.serial.colon;
    for (const server of this.#servers) server.setSecureContext(options);
  }

  /** The current context; `undefined` before the first certificate. */
  get context(): SecureContext | undefined {
    return this.#context;
  }

  /** Serial of the certificate being served. */
  get serial(): string | undefined {
    return this.#serial;
  }

  /** For `tls.createServer({ SNICallback })`: answers every handshake with the current context. */
  readonly sniCallback = (_servername: string, callback: (error: Error | null, context?: SecureContext) => void): void => {
    if (this.#context) callback(null, this.#context);
    else callback(new Error("no certificate obtained yet"));
  };

  /** Keep `server`'s default context current (`server.setSecureContext` on every renewal); returns a detach function. */
  attach(server: Server): () => void {
    this.#servers.add(server);
    if (this.#options) server.setSecureContext(this.#options);
    return () => this.#servers.delete(server);
  }

  /** What `util.inspect` shows: the serial served, never the key. */
  [inspect.custom](): string {
    return `SecureContextProvider(${this.#serial ?? "no certificate"})`;
  }

  /** What `JSON.stringify` shows: the serial served. */
  toJSON(): { serial: string | undefined } {
    return { serial: this.#serial };
  }
}
