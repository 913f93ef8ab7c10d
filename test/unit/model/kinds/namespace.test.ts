import { AttrRef } from "../../../../model/graph";
import { importNamespace, namespaceDescriptor, namespaceSchema } from "../../../../model/kinds/namespace";

describe("governance descriptors", () => {
  it("namespaces nest through the parent's path_fq", () => {
    const parent = namespaceDescriptor(namespaceSchema.parse({ path: "tenant-a" }), undefined, { owner: "ns-a" });
    const child = namespaceDescriptor(namespaceSchema.parse({ path: "team", customMetadata: { owner: "x" } }), parent.pathFq, {
      owner: "ns-a/ns-team",
    });
    expect(parent.resource.attributes).toEqual({ path: "tenant-a" });
    expect(child.resource.attributes).toEqual({
      path: "team",
      namespace: new AttrRef("ns-a.namespace", "path_fq"),
      custom_metadata: { owner: "x" },
    });
    expect(namespaceSchema.safeParse({ path: "a/b" }).success).toBe(false);
  });
});

describe("importNamespace", () => {
  it("joins an imported path to a literal parent and refuses one inside a created namespace", () => {
    expect(importNamespace("N(x)", "/team/app/", undefined)).toEqual({ path: "team/app", pathFq: "team/app" });
    expect(importNamespace("N(x)", "app", "team")).toEqual({ path: "app", pathFq: "team/app" });
    expect(() => importNamespace("N(x)", "app", new AttrRef("ns.namespace", "path_fq"))).toThrow(
      /N\(x\)\.path: cannot import a namespace inside a namespace this stack creates/,
    );
    expect(() => importNamespace("N(x)", "a//b", undefined)).toThrow(/N\(x\)\.path: expected namespace segments/);
  });
});
