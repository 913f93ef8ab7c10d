/**
 * TLS certificate login: `POST auth/<mount>/login`. The credential is the client certificate
 * presented during the TLS handshake, so the {@link Requester} must be a transport
 * configured for mutual TLS (e.g. `HttpTransport` with `tls: { ca, cert, key }`); this class
 * holds no key material itself.
 */
import { AuthMethod, normaliseMountPath, postLogin } from "../auth-method";
import { AuthResult } from "../auth-result";
import { Requester } from "../../transport/requester";

/** Options of {@link CertAuth}. */
export interface CertAuthOptions {
  /** Name of the trusted certificate role (`auth/cert/certs/<name>`) to match. @default try every role */
  readonly role?: string;
  /** Mount path below `auth/`. @default "cert" */
  readonly mountPath?: string;
}

/** Log in with the TLS client certificate the transport presents. */
export class CertAuth implements AuthMethod {
  /** Always `cert`. */
  public readonly name = "cert";
  /** Mount path below `auth/`. */
  public readonly mountPath: string;
  private readonly role: string | undefined;

  /** A certificate login; the certificate itself is configured on the transport. */
  constructor(options: CertAuthOptions = {}) {
    this.mountPath = normaliseMountPath(options.mountPath, "cert");
    this.role = options.role;
  }

  /** Log in; rejects with an `AuthLoginError` naming the mount and Vault's reason. */
  login(requester: Requester): Promise<AuthResult> {
    return postLogin(requester, this, "login", this.role === undefined ? {} : { name: this.role });
  }
}
