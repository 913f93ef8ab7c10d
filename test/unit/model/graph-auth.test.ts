import { toPlain } from "../../../model/graph";
import { appRoleFragment, appRoleAuthSchema } from "../../../model/kinds/auth/approle";
import { certAuthFragment, certAuthSchema } from "../../../model/kinds/auth/cert";
import { jwtFragment, jwtAuthSchema } from "../../../model/kinds/auth/jwt-oidc";
import { kubernetesFragment, kubernetesAuthSchema } from "../../../model/kinds/auth/kubernetes";
import { ldapFragment, ldapAuthSchema } from "../../../model/kinds/auth/ldap";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("auth fragments", () => {
  it("AppRole: mount without tune, role bound to sorted policies with TTLs in seconds", () => {
    const spec = appRoleAuthSchema.parse({
      roles: [
        { name: "app", policies: ["b", "a"], tokenTtl: "1h", tokenMaxTtl: "4h", secretIdTtl: "24h", tokenBoundCidrs: ["10.0.0.0/8"] },
      ],
    });
    const plain = toPlain(appRoleFragment(spec, { owner: "auth-approle" }).resources);
    expect(plain[0].attributes).toEqual({ type: "approle", path: "approle" });
    expect(plain[1]).toEqual({
      type: "vault_approle_auth_backend_role",
      id: "auth-approle.role-app",
      protect: false,
      attributes: {
        backend: "${auth-approle.mount.path}",
        role_name: "app",
        bind_secret_id: true,
        secret_id_ttl: 86_400,
        token_policies: ["a", "b"],
        token_ttl: 3600,
        token_max_ttl: 14_400,
        token_bound_cidrs: ["10.0.0.0/8"],
      },
    });
  });

  it("a tune block is emitted only when set", () => {
    const spec = appRoleAuthSchema.parse({ tune: { maxLeaseTtl: "8h", listingVisibility: "hidden" } });
    expect(appRoleFragment(spec, { owner: "a" }).resources.find((r) => r.type === "vault_auth_backend")?.attributes.tune).toEqual([
      { max_lease_ttl: "28800s", listing_visibility: "hidden" },
    ]);
  });

  it("Kubernetes: config and roles with sorted service accounts", () => {
    const spec = kubernetesAuthSchema.parse({
      kubernetesHost: "https://k8s.example.com:6443",
      roles: [{ name: "web", serviceAccountNames: ["web", "api"], serviceAccountNamespaces: ["prod"], policies: ["web"], tokenTtl: "20m" }],
    });
    const plain = toPlain(kubernetesFragment(spec, { owner: "k" }).resources);
    expect(plain.map((d) => d.type)).toEqual([
      "vault_auth_backend",
      "vault_kubernetes_auth_backend_config",
      "vault_kubernetes_auth_backend_role",
    ]);
    expect(plain[1].attributes).toEqual({ backend: "${k.mount.path}", kubernetes_host: "https://k8s.example.com:6443" });
    expect(plain[2].attributes).toEqual({
      backend: "${k.mount.path}",
      role_name: "web",
      bound_service_account_names: ["api", "web"],
      bound_service_account_namespaces: ["prod"],
      token_policies: ["web"],
      token_ttl: 1200,
    });
  });

  it("LDAP mounts itself (no vault_auth_backend) and maps groups to policies; bind password is a write-only input", () => {
    const spec = ldapAuthSchema.parse({
      url: "ldaps://ldap.example.com",
      userdn: "ou=people,dc=example,dc=com",
      binddn: "cn=vault",
      bindpass: { variable: "ldap_bindpass" },
      groups: [{ name: "ops team", policies: ["ops"] }],
    });
    const plain = toPlain(ldapFragment(spec, { owner: "l" }).resources);
    expect(plain.map((d) => d.type)).toEqual(["vault_ldap_auth_backend", "vault_ldap_auth_backend_group"]);
    expect(plain[0].attributes).toEqual({
      path: "ldap",
      url: "ldaps://ldap.example.com",
      userdn: "ou=people,dc=example,dc=com",
      binddn: "cn=vault",
      bindpass_wo: "${var.ldap_bindpass}",
      bindpass_wo_version: 1,
      insecure_tls: false,
    });
    expect(plain[1]).toMatchObject({
      id: "l.group-ops-team",
      attributes: { backend: "${l.backend.path}", groupname: "ops team", policies: ["ops"] },
    });
  });

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

  it("Cert: mount and role with the trusted CA", () => {
    const spec = certAuthSchema.parse({
      roles: [{ name: "nodes", certificate: PEM, allowedCommonNames: ["*.example.com"], policies: ["node"] }],
    });
    const plain = toPlain(certAuthFragment(spec, { owner: "c" }).resources);
    expect(plain[0].attributes).toEqual({ type: "cert", path: "cert" });
    expect(plain[1].attributes).toEqual({
      backend: "${c.mount.path}",
      name: "nodes",
      certificate: PEM,
      allowed_common_names: ["*.example.com"],
      token_policies: ["node"],
    });
    expect(certAuthSchema.safeParse({ roles: [{ name: "x", certificate: "not pem" }] }).success).toBe(false);
  });
});
