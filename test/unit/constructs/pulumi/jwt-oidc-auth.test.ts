import { JwtOidcAuth } from "../../../../constructs/pulumi/jwt-oidc-auth";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("JwtOidcAuth", () => {
  it("OIDC: mounts at the type, client secret from a config secret, map claims kept verbatim", async () => {
    await useMocks({ oidc_secret: "s" }, ["oidc_secret"]);
    new JwtOidcAuth("sso", {
      type: "oidc",
      oidcDiscoveryUrl: "https://sso.example.com",
      oidcClientId: "vault",
      oidcClientSecretVariable: "oidc_secret",
      roles: [
        {
          name: "people",
          userClaim: "email",
          boundClaims: { "https://example.com/tenant": "a" },
          allowedRedirectUris: ["https://vault/ui/vault/auth/oidc/oidc/callback"],
        },
      ],
    });
    await settle();
    const inputs = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(inputs.get("sso-backend")).toMatchObject({ type: "oidc", path: "oidc", oidcClientId: "vault" });
    expect(inputs.get("sso-backend")).toMatchObject({ oidcClientSecretWoVersion: 1 });
    expect(inputs.get("sso-backend")).not.toHaveProperty("oidcClientSecret");
    expect(inputs.get("sso-backend")?.oidcClientSecretWo).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "s",
    });
    expect(inputs.get("sso-role-people")).toMatchObject({
      backend: "ref:sso-backend.path",
      boundClaims: { "https://example.com/tenant": "a" },
    });
  });
});
