import { AttrRef } from "../../../../model/graph";
import { namespaceDescriptor, namespaceSchema } from "../../../../model/kinds/namespace";

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
