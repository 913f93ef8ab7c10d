import { JwtOidcAuth } from "../../../../constructs/cdktf/jwt-oidc-auth";
import { onlyResource, synth } from "./synth-helpers";

describe("JwtOidcAuth", () => {
  it("JWT for CI: JWKS, bound issuer, role with audiences and claims", () => {
    const json = synth(
      (stack) =>
        new JwtOidcAuth(stack, "ci", {
          jwksUrl: "https://ci.example.com/.well-known/jwks",
          boundIssuer: "https://ci.example.com",
          roles: [
            {
              name: "deploy",
              userClaim: "sub",
              boundAudiences: ["vault"],
              boundClaims: { ref: "refs/heads/main" },
              policies: ["deploy"],
              tokenTtl: "10m",
            },
          ],
        }),
    );
    expect(onlyResource(json, "vault_jwt_auth_backend")).toEqual({
      path: "jwt",
      type: "jwt",
      jwks_url: "https://ci.example.com/.well-known/jwks",
      bound_issuer: "https://ci.example.com",
    });
    expect(onlyResource(json, "vault_jwt_auth_backend_role")).toEqual({
      backend: expect.stringMatching(/^\$\{vault_jwt_auth_backend\./),
      role_name: "deploy",
      role_type: "jwt",
      user_claim: "sub",
      bound_audiences: ["vault"],
      bound_claims: { ref: "refs/heads/main" },
      token_policies: ["deploy"],
      token_ttl: 600,
    });
  });

  it("OIDC for people: mounted at oidc, client secret write-only from an ephemeral variable", () => {
    const json = synth(
      (stack) =>
        new JwtOidcAuth(stack, "sso", {
          type: "oidc",
          oidcDiscoveryUrl: "https://idp.example.com",
          oidcClientId: "vault",
          oidcClientSecretVariable: "oidc_client_secret",
          defaultRole: "dev",
          roles: [
            {
              name: "dev",
              userClaim: "email",
              allowedRedirectUris: ["https://vault.example.com/ui/vault/auth/oidc/oidc/callback"],
              oidcScopes: ["profile", "email"],
            },
          ],
        }),
    );
    expect(onlyResource(json, "vault_jwt_auth_backend")).toEqual({
      path: "oidc",
      type: "oidc",
      oidc_discovery_url: "https://idp.example.com",
      oidc_client_id: "vault",
      oidc_client_secret_wo: "${var.oidc_client_secret}",
      oidc_client_secret_wo_version: 1,
      default_role: "dev",
    });
    expect(json.variable?.oidc_client_secret).toMatchObject({ sensitive: true, ephemeral: true });
    expect(onlyResource(json, "vault_jwt_auth_backend_role")).toMatchObject({ role_type: "oidc", oidc_scopes: ["email", "profile"] });
  });

  it("refuses an OIDC role without redirect URIs and a mount without key source", () => {
    expect(() =>
      synth(
        (stack) =>
          new JwtOidcAuth(stack, "sso", {
            type: "oidc",
            oidcDiscoveryUrl: "https://idp.example.com",
            oidcClientId: "v",
            roles: [{ name: "dev", userClaim: "email" }],
          }),
      ),
    ).toThrow(/JwtOidcAuth\(sso\)\.roles\[0\]\.allowedRedirectUris/);
    expect(() => synth((stack) => new JwtOidcAuth(stack, "none", {}))).toThrow(
      /JwtOidcAuth\(none\): set exactly one of oidcDiscoveryUrl, jwksUrl, jwtValidationPubkeys/,
    );
  });
});
