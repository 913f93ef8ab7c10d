import { PolicyBuilder, canonicalCapabilities } from "../../../policies/policy-builder";
import { PolicyValidationError } from "../../../policies/policy-error";

describe("PolicyBuilder", () => {
  it("builds rules in declaration order with canonical capability order", () => {
    const doc = new PolicyBuilder("app-a").allow("secret/data/app-a/*", ["read", "create", "read"]).deny("secret/data/app-a/admin").build();
    expect(doc).toEqual({
      name: "app-a",
      rules: [
        { path: "secret/data/app-a/*", capabilities: ["create", "read"] },
        { path: "secret/data/app-a/admin", capabilities: ["deny"] },
      ],
    });
    expect(Object.isFrozen(doc)).toBe(true);
  });

  it("carries parameter constraints and wrapping TTLs (durations parsed like Vault)", () => {
    const doc = new PolicyBuilder("p")
      .allow("auth/approle/role/r/secret-id", ["update"], {
        allowedParameters: { metadata: [] },
        deniedParameters: { ttl: ["0"] },
        requiredParameters: ["metadata"],
        minWrappingTtl: "1s",
        maxWrappingTtl: "1m30s",
      })
      .build();
    expect(doc.rules[0]).toEqual({
      path: "auth/approle/role/r/secret-id",
      capabilities: ["update"],
      allowedParameters: { metadata: [] },
      deniedParameters: { ttl: ["0"] },
      requiredParameters: ["metadata"],
      minWrappingTtlSeconds: 1,
      maxWrappingTtlSeconds: 90,
    });
  });

  it.each([
    ["App", /would be stored by Vault as "app"/],
    ["", /must not be empty/],
    ["my app", /whitespace/],
    ["root", /reserved/],
  ])("refuses the policy name %j", (name, message) => {
    expect(() => new PolicyBuilder(name)).toThrow(message);
  });

  it("refuses +* the way Vault does, naming the builder and the path", () => {
    const build = () => new PolicyBuilder("p").allow("secret/+*", ["read"]);
    expect(build).toThrow(PolicyValidationError);
    expect(build).toThrow('PolicyBuilder("p"): path "secret/+*": invalid use of wildcards (\'+*\' is forbidden)');
  });

  it("refuses max_wrapping_ttl below min_wrapping_ttl", () => {
    expect(() => new PolicyBuilder("p").allow("x", ["read"], { minWrappingTtl: "2h", maxWrappingTtl: "1h" })).toThrow(
      "max_wrapping_ttl cannot be less than min_wrapping_ttl",
    );
  });

  it("refuses unknown capabilities, empty grants, deny inside allow and bad durations", () => {
    expect(() => new PolicyBuilder("p").rule({ path: "x", capabilities: ["fly" as never] })).toThrow('invalid capability "fly"');
    expect(() => new PolicyBuilder("p").allow("x", [])).toThrow("at least one capability");
    expect(() => new PolicyBuilder("p").allow("x", ["read", "deny"])).toThrow("use deny(path)");
    expect(() => new PolicyBuilder("p").allow("x", ["read"], { maxWrappingTtl: "soon" })).toThrow(
      'path "x".max_wrapping_ttl: invalid duration',
    );
    expect(() => new PolicyBuilder("p").allow("x", ["read"], { minWrappingTtl: -5 })).toThrow("must not be negative");
  });

  it("refuses parameter keys Vault would refuse or silently collapse", () => {
    expect(() => new PolicyBuilder("p").allow("x", ["create"], { allowedParameters: { "a*": [] } })).toThrow(
      "cannot contain non-tail wildcards",
    );
    expect(() => new PolicyBuilder("p").allow("x", ["create"], { allowedParameters: { Foo: [], foo: ["a"] } })).toThrow("lower-cases them");
    expect(() => new PolicyBuilder("p").allow("x", ["create"], { allowedParameters: { "/a/b/*": [] } })).not.toThrow();
  });

  it("refuses unbalanced template braces and HCL template sequences", () => {
    expect(() => new PolicyBuilder("p").allow("a/{{identity.entity.id}}/x}}", ["read"])).toThrow("unbalanced templating characters");
    expect(() => new PolicyBuilder("p").allow("a/${x}", ["read"])).toThrow("template sequences");
    expect(() => new PolicyBuilder("p").allow("a/{{identity.entity.id}}/*", ["read"])).not.toThrow();
  });

  it("canonicalCapabilities keeps only deny when deny is present", () => {
    expect(canonicalCapabilities(["sudo", "deny", "read"])).toEqual(["deny"]);
    expect(canonicalCapabilities(["list", "create", "list"])).toEqual(["create", "list"]);
  });
});
