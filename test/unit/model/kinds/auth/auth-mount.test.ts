/**
 * What every auth method shares, on its own: the mount and its tune block, the token fields of
 * roles (rule, attributes, construct input) and policy references by name or construct.
 */
import { toPlain } from "../../../../../model/graph";
import {
  authMount,
  authMountFields,
  authRolesSchema,
  authWithRolesInput,
  checkTokenFields,
  policyNames,
  roleInput,
  roleTokenIssues,
  tokenAttributes,
  tuneBlock,
} from "../../../../../model/kinds/auth/auth-mount";
import { z } from "zod";

describe("auth mount", () => {
  it("authMount: type, path, description, tune and namespace on one vault_auth_backend", () => {
    const mount = authMount(
      "o",
      "approle",
      "apps",
      "machines",
      { maxLeaseTtl: 3600, tokenType: "batch" },
      { owner: "o", namespace: "team" },
    );
    expect(toPlain([mount])).toEqual([
      {
        type: "vault_auth_backend",
        id: "o.mount",
        protect: false,
        attributes: {
          type: "approle",
          path: "apps",
          description: "machines",
          tune: [{ max_lease_ttl: "3600s", token_type: "batch" }],
          namespace: "team",
        },
      },
    ]);
    expect(authMount("o", "cert", "cert", undefined, undefined, { owner: "o" }).attributes).toEqual({ type: "cert", path: "cert" });
  });

  it("tuneBlock: nothing without a tune, durations as seconds strings, only the fields set", () => {
    expect(tuneBlock(undefined)).toBeUndefined();
    expect(tuneBlock({ defaultLeaseTtl: 0, maxLeaseTtl: 7200, listingVisibility: "unauth", tokenType: "default-service" })).toEqual([
      { default_lease_ttl: "0s", max_lease_ttl: "7200s", listing_visibility: "unauth", token_type: "default-service" },
    ]);
  });

  it("authMountFields: the path defaults to the method's name; tune values are checked", () => {
    const schema = z.strictObject(authMountFields("ldap"));
    expect(schema.parse({})).toEqual({ path: "ldap" });
    expect(schema.parse({ path: "/corp/", tune: { defaultLeaseTtl: "1h" } })).toEqual({ path: "corp", tune: { defaultLeaseTtl: 3600 } });
    expect(schema.safeParse({ tune: { listingVisibility: "public" } }).success).toBe(false);
    expect(schema.safeParse({ tune: { tokenType: "default" } }).success).toBe(false);
    for (const listingVisibility of ["unauth", "hidden"])
      expect(schema.parse({ tune: { listingVisibility } }).tune).toEqual({ listingVisibility });
    for (const tokenType of ["default-service", "default-batch", "service", "batch"]) {
      expect(schema.parse({ tune: { tokenType } }).tune).toEqual({ tokenType });
    }
  });
});

describe("auth roles and token fields", () => {
  const roles = authRolesSchema({ extra: z.string().optional() });

  it("authRolesSchema: name, the method's fields and the token fields; none by default", () => {
    expect(roles.parse(undefined)).toEqual([]);
    expect(roles.parse([{ name: "r", extra: "x", tokenTtl: "1h", tokenType: "batch" }])).toEqual([
      { name: "r", extra: "x", policies: [], tokenTtl: 3600, tokenBoundCidrs: [], tokenType: "batch" },
    ]);
    expect(roles.safeParse([{ name: "r", unknown: 1 }]).success).toBe(false);
    expect(roles.safeParse([{ name: "r", tokenType: "default-batch" }]).success).toBe(false);
    for (const tokenType of ["default", "service", "batch"]) expect(roles.parse([{ name: "r", tokenType }])[0].tokenType).toBe(tokenType);
  });

  it("checkTokenFields: a TTL above the max TTL is refused; equal or either unset is fine", () => {
    expect(checkTokenFields({ tokenTtl: 7200, tokenMaxTtl: 3600 })).toEqual([
      { path: ["tokenTtl"], message: "token TTL 7200s (2h) exceeds token max TTL 3600s (1h)" },
    ]);
    expect(checkTokenFields({ tokenTtl: 3600, tokenMaxTtl: 3600 })).toEqual([]);
    expect(checkTokenFields({ tokenTtl: 7200 })).toEqual([]);
    expect(checkTokenFields({ tokenMaxTtl: 60 })).toEqual([]);
  });

  it("roleTokenIssues: each role's issue under roles[i]; nothing without roles", () => {
    expect(roleTokenIssues(undefined)).toEqual([]);
    expect(roleTokenIssues([{}, { tokenTtl: 120, tokenMaxTtl: 60 }])).toEqual([
      { path: ["roles", 1, "tokenTtl"], message: "token TTL 120s (2m) exceeds token max TTL 60s (1m)" },
    ]);
  });

  it("tokenAttributes: sorted unique policies and CIDRs, CIDRs left out when none", () => {
    expect(
      tokenAttributes({
        policies: ["b", "a", "b"],
        tokenTtl: 60,
        tokenMaxTtl: 120,
        tokenPeriod: 30,
        tokenBoundCidrs: ["10.0.0.0/8", "10.0.0.0/8", "127.0.0.1/32"],
        tokenType: "service",
        tokenNoDefaultPolicy: true,
      }),
    ).toEqual({
      token_policies: ["a", "b"],
      token_ttl: 60,
      token_max_ttl: 120,
      token_period: 30,
      token_bound_cidrs: ["10.0.0.0/8", "127.0.0.1/32"],
      token_type: "service",
      token_no_default_policy: true,
    });
    expect(tokenAttributes({ policies: [], tokenBoundCidrs: [] }).token_bound_cidrs).toBeUndefined();
  });

  it("policyNames, roleInput and authWithRolesInput: policies by name or construct, unset options dropped", () => {
    expect(policyNames(undefined)).toEqual([]);
    expect(policyNames(["a", { policyName: "b" }])).toEqual(["a", "b"]);
    expect(roleInput({ name: "r", policies: [{ policyName: "p" }], tokenTtl: undefined })).toEqual({ name: "r", policies: ["p"] });
    expect(authWithRolesInput({ path: "apps" })).toEqual({ path: "apps", roles: [] });
    expect(authWithRolesInput({ roles: [{ policies: ["x"] }] })).toEqual({ roles: [{ policies: ["x"] }] });
  });
});
