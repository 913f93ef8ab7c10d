/**
 * `KubernetesTokenReviewStandIn`: a minimal stand-in of the Kubernetes TokenReview API, not a
 * Kubernetes server. It is the one stand-in this project allows: Vault's and OpenBao's
 * kubernetes auth method validate a service-account JWT by POSTing it to
 * `/apis/authentication.k8s.io/v1/tokenreviews`, and running a real API server for a test is
 * out of reach. It listens on loopback over HTTPS with a certificate from a throw-away test CA
 * (OpenBao insists on `kubernetes_ca_cert` when `disable_local_ca_jwt` is set), issues service-account JWTs signed by a
 * key it generates (claims in the legacy `kubernetes.io/serviceaccount/...` form), and answers
 * reviews for tokens it issued, authenticating the reviewer by its own bearer JWT.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Server, createServer } from "node:https";
import { AddressInfo } from "node:net";
import { JwtSigningKey, createJwtSigningKey, epochSeconds } from "./jwt-keys";
import { serverTempDir } from "./run-registry";
import { createTestPki } from "./tls-ca";

/** A service account the stand-in issues a token for. */
export interface StandInServiceAccount {
  /** Namespace, e.g. `payments`. */
  readonly namespace: string;
  /** Service account name, e.g. `api`. */
  readonly name: string;
  /** UID. @default a random UUID */
  readonly uid?: string;
}

interface Issued {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  revoked: boolean;
}

const REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

/** Minimal stand-in of the Kubernetes TokenReview API (not a Kubernetes server). Call {@link stop}. */
export class KubernetesTokenReviewStandIn {
  /** The JWT Vault presents as `token_reviewer_jwt`. */
  public readonly reviewerJwt: string;
  /** Number of TokenReview requests answered (any outcome). */
  public reviews = 0;
  private readonly key: JwtSigningKey;
  private readonly issued = new Map<string, Issued>();

  private constructor(
    private readonly server: Server,
    /** `https://127.0.0.1:<port>`, for `kubernetes_host`. */
    public readonly host: string,
    /** PEM CA that signed the stand-in's certificate, for `kubernetes_ca_cert`. */
    public readonly caCert: string,
    key: JwtSigningKey,
    private readonly dir: string,
  ) {
    this.key = key;
    this.reviewerJwt = this.issue({ namespace: "kube-system", name: "vault-token-reviewer" });
  }

  /** PEM public key that signs the issued JWTs (for kubernetes auth's `pem_keys`). */
  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  /** Start the stand-in on a free loopback port. */
  static async start(): Promise<KubernetesTokenReviewStandIn> {
    const key = createJwtSigningKey();
    const dir = serverTempDir("k8s-token-review");
    const pki = await createTestPki(dir);
    const ready: { standIn?: KubernetesTokenReviewStandIn } = {};
    const server = createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
      if (!ready.standIn) return void res.writeHead(503).end();
      ready.standIn.handle(req, res).catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    ready.standIn = new KubernetesTokenReviewStandIn(server, `https://127.0.0.1:${port}`, pki.caCert, key, dir);
    return ready.standIn;
  }

  /** Issue a service-account JWT the stand-in will vouch for. */
  issue(account: StandInServiceAccount): string {
    const uid = account.uid ?? randomUUID();
    const now = epochSeconds();
    const jwt = this.key.sign({
      iss: "kubernetes/serviceaccount",
      sub: `system:serviceaccount:${account.namespace}:${account.name}`,
      iat: now,
      "kubernetes.io/serviceaccount/namespace": account.namespace,
      "kubernetes.io/serviceaccount/secret.name": `${account.name}-token`,
      "kubernetes.io/serviceaccount/service-account.name": account.name,
      "kubernetes.io/serviceaccount/service-account.uid": uid,
    });
    this.issued.set(jwt, { namespace: account.namespace, name: account.name, uid, revoked: false });
    return jwt;
  }

  /** Make a token fail review from now on, as if its service account had been deleted. */
  revoke(jwt: string): void {
    const entry = this.issued.get(jwt);
    if (entry) entry.revoked = true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST" || req.url !== REVIEW_PATH) return this.status(res, 404, "NotFound", "only TokenReview is served here");
    if (req.headers.authorization !== `Bearer ${this.reviewerJwt}`) return this.status(res, 401, "Unauthorized", "Unauthorized");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.reviews++;
    let review: { spec?: { token?: string; audiences?: string[] } };
    try {
      review = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof review;
    } catch {
      return this.status(res, 400, "BadRequest", "malformed TokenReview");
    }
    const entry = this.issued.get(review.spec?.token ?? "");
    const status =
      entry && !entry.revoked
        ? {
            authenticated: true,
            user: {
              username: `system:serviceaccount:${entry.namespace}:${entry.name}`,
              uid: entry.uid,
              groups: ["system:serviceaccounts", `system:serviceaccounts:${entry.namespace}`, "system:authenticated"],
            },
            audiences: review.spec?.audiences ?? [],
          }
        : { authenticated: false, user: {}, error: "token is not valid" };
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "TokenReview", apiVersion: "authentication.k8s.io/v1", metadata: {}, spec: review.spec ?? {}, status }));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
  }

  /** Stop listening. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
