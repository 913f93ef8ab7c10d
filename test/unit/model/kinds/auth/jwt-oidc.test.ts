import { toPlain } from "../../../../../model/graph";
import { checkJwt, jwtAuthSchema, jwtFragment, jwtInput, jwtIssues, jwtProps } from "../../../../../model/kinds/auth/jwt-oidc";

describe("auth fragments", () => {
  it("JWT/OIDC mounts itself; roles carry claims and redirect URIs", () => {
    const spec = jwtAuthSchema.parse({
      path: "oidc",
      type: "oidc",
      oidcDiscoveryUrl: "https://idp.example.com",
      oidcClientId: "vault",
      oidcClientSecret: { variable: "oidc_secret" },
      roles: [
        {
          name: "dev",
          userClaim: "email",
          boundClaims: { groups: "dev" },
          allowedRedirectUris: ["https://vault.example.com/ui/vault/auth/oidc/oidc/callback"],
          policies: ["dev"],
        },
      ],
    });
    const plain = toPlain(jwtFragment(spec, { owner: "j" }).resources);
    expect(plain[0].attributes).toEqual({
      path: "oidc",
      type: "oidc",
      oidc_discovery_url: "https://idp.example.com",
      oidc_client_id: "vault",
      oidc_client_secret_wo: "${var.oidc_secret}",
      oidc_client_secret_wo_version: 1,
    });
    expect(plain[1].attributes).toEqual({
      backend: "${j.backend.path}",
      role_name: "dev",
      role_type: "oidc",
      user_claim: "email",
      bound_claims: { groups: "dev" },
      allowed_redirect_uris: ["https://vault.example.com/ui/vault/auth/oidc/oidc/callback"],
      token_policies: ["dev"],
    });
  });

  it("JWT with keys: public keys, issuer, default role, tune and namespace; a role's type defaults to the mount's", () => {
    const spec = jwtAuthSchema.parse({
      jwtValidationPubkeys: ["PEM-B", "PEM-A"],
      boundIssuer: "https://iss",
      defaultRole: "ci",
      tune: { defaultLeaseTtl: "1h" },
      roles: [{ name: "ci", userClaim: "sub", boundAudiences: ["b", "a", "b"], oidcScopes: ["openid"], groupsClaim: "groups" }],
    });
    const plain = toPlain(jwtFragment(spec, { owner: "j", namespace: "team" }).resources);
    expect(plain.map((r) => [r.type, r.id])).toEqual([
      ["vault_jwt_auth_backend", "j.backend"],
      ["vault_jwt_auth_backend_role", "j.role-ci"],
    ]);
    expect(plain[0].attributes).toEqual({
      path: "jwt",
      type: "jwt",
      jwt_validation_pubkeys: ["PEM-B", "PEM-A"],
      bound_issuer: "https://iss",
      default_role: "ci",
      tune: [{ default_lease_ttl: "3600s" }],
      namespace: "team",
    });
    expect(plain[1].attributes).toEqual({
      backend: "${j.backend.path}",
      role_name: "ci",
      role_type: "jwt",
      user_claim: "sub",
      bound_audiences: ["a", "b"],
      groups_claim: "groups",
      oidc_scopes: ["openid"],
      token_policies: [],
      namespace: "team",
    });
  });
});

describe("JWT/OIDC rules and construct input", () => {
  const role = { name: "r", userClaim: "sub" };

  it("checkJwt: exactly one key source; OIDC needs discovery URL and client id; OIDC roles need redirect URIs", () => {
    const check = (input: object) => checkJwt(jwtAuthSchema.parse(input));
    const oneSource = { path: [], message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys" };
    expect(check({})).toEqual([oneSource]);
    expect(check({ oidcDiscoveryUrl: "https://idp", jwksUrl: "https://idp/jwks" })).toEqual([oneSource]);
    expect(check({ type: "jwt", jwksUrl: "https://idp/jwks" })).toEqual([]);
    expect(check({ jwtValidationPubkeys: ["PEM"] })).toEqual([]);
    const needs = { path: ["oidcClientId"], message: "OIDC needs oidcDiscoveryUrl and oidcClientId" };
    expect(check({ type: "oidc", oidcDiscoveryUrl: "https://idp" })).toEqual([needs]);
    expect(check({ type: "oidc", oidcDiscoveryUrl: "https://idp", oidcClientId: "vault" })).toEqual([]);
    const redirect = { path: ["roles", 1, "allowedRedirectUris"], message: "an OIDC role needs at least one allowed redirect URI" };
    const oidc = { type: "oidc", oidcDiscoveryUrl: "https://idp", oidcClientId: "vault" };
    // The role's own type wins over the mount's, both ways.
    expect(check({ ...oidc, roles: [{ ...role, roleType: "jwt" }, role] })).toEqual([redirect]);
    expect(check({ jwksUrl: "https://idp/jwks", roles: [role, { ...role, roleType: "oidc" }] })).toEqual([redirect]);
    expect(check({ ...oidc, roles: [role, { ...role, allowedRedirectUris: ["https://app/cb"] }] })).toEqual([
      { ...redirect, path: ["roles", 0, "allowedRedirectUris"] },
    ]);
    expect(check({ jwksUrl: "https://idp/jwks", roles: [role, { ...role, tokenTtl: "2h", tokenMaxTtl: "1h" }] })).toEqual([
      { path: ["roles", 1, "tokenTtl"], message: "token TTL 7200s (2h) exceeds token max TTL 3600s (1h)" },
    ]);
  });

  it("jwtIssues leaves token TTLs to the shared role check and keeps the rest", () => {
    const spec = jwtAuthSchema.parse({ roles: [{ ...role, roleType: "oidc", tokenTtl: "2h", tokenMaxTtl: "1h" }] });
    expect(jwtIssues(spec)).toEqual([
      { path: [], message: "set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys" },
      { path: ["roles", 0, "allowedRedirectUris"], message: "an OIDC role needs at least one allowed redirect URI" },
    ]);
  });

  it("jwtInput: the path defaults to the type, the client secret becomes a secret input; jwtProps reverses it", () => {
    expect(jwtInput({})).toEqual({ path: "jwt", oidcClientSecret: undefined, roles: [] });
    expect(jwtInput({ type: "oidc" }).path).toBe("oidc");
    expect(jwtInput({ type: "oidc", path: "sso" }).path).toBe("sso");
    const input = jwtInput({
      jwksUrl: "https://idp/jwks",
      oidcClientSecretVariable: "secret_var",
      roles: [{ name: "r", userClaim: "sub", tokenTtl: undefined }],
    });
    expect(input).toEqual({
      jwksUrl: "https://idp/jwks",
      path: "jwt",
      oidcClientSecret: { variable: "secret_var" },
      roles: [{ name: "r", userClaim: "sub", policies: [] }],
    });
    expect(jwtInput({ oidcClientSecretVariable: "v", oidcClientSecretVersion: 3 }).oidcClientSecret).toEqual({ variable: "v", version: 3 });
    const props = jwtProps(
      jwtAuthSchema.parse(jwtInput({ jwksUrl: "https://idp/jwks", oidcClientSecretVariable: "v", oidcClientSecretVersion: 2 })),
    );
    expect(props).toMatchObject({ jwksUrl: "https://idp/jwks", oidcClientSecretVariable: "v", oidcClientSecretVersion: 2 });
    expect(props).not.toHaveProperty("oidcClientSecret");
    const withoutSecret = jwtProps(jwtAuthSchema.parse({ jwksUrl: "https://idp/jwks" }));
    expect([withoutSecret.oidcClientSecretVariable, withoutSecret.oidcClientSecretVersion, withoutSecret.path]).toEqual([
      undefined,
      undefined,
      "jwt",
    ]);
  });
});
