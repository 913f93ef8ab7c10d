import { hasTemplate, placeholderIdentity, resolveTemplate, templateSyntaxError } from "../../../policies/identity-template";

const identity = {
  entity: {
    id: "e1",
    name: "alice",
    metadata: { team: "red" },
    aliases: { auth_userpass_1: { id: "a1", name: "al", metadata: { m: "v" }, customMetadata: { c: "w" } } },
  },
  groups: [{ id: "g1", name: "ops", metadata: { env: "prod" } }],
  nowUnixSeconds: 1000,
};

describe("identity templates", () => {
  it.each([
    ["{{identity.entity.id}}", "e1"],
    ["{{ identity.entity.name }}", "alice"],
    ["{{identity.entity.metadata.team}}", "red"],
    ["{{identity.entity.aliases.auth_userpass_1.id}}", "a1"],
    ["{{identity.entity.aliases.auth_userpass_1.name}}", "al"],
    ["{{identity.entity.aliases.auth_userpass_1.metadata.m}}", "v"],
    ["{{identity.entity.aliases.auth_userpass_1.custom_metadata.c}}", "w"],
    ["{{identity.groups.ids.g1.name}}", "ops"],
    ["{{identity.groups.names.ops.id}}", "g1"],
    ["{{identity.groups.names.ops.metadata.env}}", "prod"],
    ["{{time.now}}", "1000"],
    ["{{time.now.plus.1h}}", "4600"],
  ])("resolves %s", (template, value) => {
    expect(resolveTemplate(`x/${template}/y`, identity)).toBe(`x/${value}/y`);
  });

  it.each([
    "{{identity.entity.metadata.missing}}",
    "{{identity.entity.aliases.other.name}}",
    "{{identity.groups.names.nope.id}}",
    "{{identity.entity.unknown}}",
    "{{something.else}}",
  ])("leaves %s unresolved", (template) => {
    expect(resolveTemplate(`x/${template}`, identity)).toBeUndefined();
  });

  it("fails every template without an entity or groups", () => {
    expect(resolveTemplate("x/{{identity.entity.id}}", {})).toBeUndefined();
    expect(resolveTemplate("x/{{identity.groups.ids.g1.name}}", { entity: identity.entity })).toBeUndefined();
    expect(resolveTemplate("plain/path", undefined)).toBe("plain/path");
  });

  it("detects templates and unbalanced braces as Vault does", () => {
    expect(hasTemplate("a/{{identity.entity.id}}")).toBe(true);
    expect(hasTemplate("a/b")).toBe(false);
    expect(templateSyntaxError("a/}}")).toContain("unbalanced");
    expect(templateSyntaxError("a/{{x")).toContain("unbalanced");
    expect(templateSyntaxError("a/{{x}}/{{y}}")).toBeUndefined();
  });

  it("builds a placeholder identity under which templates resolve to themselves", () => {
    const paths = [
      "s/{{identity.entity.id}}/*",
      "g/{{identity.groups.names.ops.metadata.env}}",
      "a/{{identity.entity.aliases.acc.metadata.k}}",
    ];
    const placeholder = placeholderIdentity(paths);
    for (const path of paths) expect(resolveTemplate(path, placeholder)).toBe(path);
  });
});
