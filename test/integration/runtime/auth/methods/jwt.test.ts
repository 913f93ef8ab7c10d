import { HttpTransport } from "../../../../../runtime";
import { AuthLoginError, JwtAuth } from "../../../../../runtime";
import { DevServer, startDevServer } from "../../../../support/dev-server";
import { JwtSigningKey, createJwtSigningKey, epochSeconds } from "../../../../support/jwt-keys";
import { selectedFlavors } from "../../../../support/server-binaries";
import { admin, enableAuth, writePolicy } from "../../../../support/vault-admin";

const AUDIENCE = "vaultsmith-ci";

describe.each(selectedFlavors())("JWT login against a real %s server", (flavor) => {
  let server: DevServer;
  let transport: HttpTransport;
  let key: JwtSigningKey;

  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = epochSeconds();
    return {
      iss: "https://ci.vaultsmith.test",
      sub: "repo:vaultsmith/app:ref:main",
      aud: AUDIENCE,
      iat: now,
      nbf: now - 5,
      exp: now + 300,
      ...overrides,
    };
  }

  beforeAll(async () => {
    server = await startDevServer(flavor);
    key = createJwtSigningKey();
    await enableAuth(server, "jwt", "ci-jwt");
    await admin(server, "POST", "auth/ci-jwt/config", {
      jwt_validation_pubkeys: [key.publicKeyPem],
      bound_issuer: "https://ci.vaultsmith.test",
    });
    await writePolicy(server, "ci-deploy", 'path "secret/data/deploy/*" { capabilities = ["read"] }');
    await admin(server, "POST", "auth/ci-jwt/role/deploy", {
      role_type: "jwt",
      user_claim: "sub",
      bound_audiences: [AUDIENCE],
      bound_claims: { sub: "repo:vaultsmith/app:ref:main" },
      token_policies: ["ci-deploy"],
      token_ttl: "5m",
    });
    transport = new HttpTransport({ address: server.address });
  });

  afterAll(async () => {
    await transport?.close();
    await server?.stop();
  });

  it("logs in with a JWT signed by the key the test generated, fetching a fresh JWT per login", async () => {
    let minted = 0;
    const method = new JwtAuth({ role: "deploy", mountPath: "ci-jwt", jwt: () => (minted++, key.sign(claims())) });
    const first = await method.login(transport);
    const second = await method.login(transport);
    expect(minted).toBe(2);
    expect(first.tokenPolicies).toEqual(expect.arrayContaining(["ci-deploy"]));
    expect(first.leaseDurationSeconds).toBe(300);
    expect(first.metadata.role).toBe("deploy");
    expect(second.clientToken).not.toBe(first.clientToken);
  });

  it("refuses a JWT signed by another key, without the JWT in the error", async () => {
    const forged = createJwtSigningKey().sign(claims());
    const failure = await new JwtAuth({ role: "deploy", mountPath: "ci-jwt", jwt: forged }).login(transport).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthLoginError);
    const error = failure as AuthLoginError;
    expect(error).toMatchObject({ authMethod: "jwt", mountPath: "ci-jwt", status: 400 });
    expect(error.errors.join(" ")).toMatch(/signature|verify|key/i);
    for (const text of [String(error), JSON.stringify(error)]) expect(text).not.toContain(forged);
  });

  it("refuses an expired JWT and a JWT whose claims the role does not bind", async () => {
    const now = epochSeconds();
    const expired = key.sign(claims({ iat: now - 3600, nbf: now - 3600, exp: now - 1800 }));
    const otherRepo = key.sign(claims({ sub: "repo:someone/else:ref:main" }));
    for (const jwt of [expired, otherRepo]) {
      const failure = await new JwtAuth({ role: "deploy", mountPath: "ci-jwt", jwt }).login(transport).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AuthLoginError);
      expect((failure as AuthLoginError).status).toBe(400);
      expect(JSON.stringify(failure)).not.toContain(jwt);
    }
  });
});
