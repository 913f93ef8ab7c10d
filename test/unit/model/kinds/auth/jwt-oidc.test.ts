import { toPlain } from "../../../../../model/graph";
import { jwtFragment, jwtAuthSchema } from "../../../../../model/kinds/auth/jwt-oidc";

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
});
