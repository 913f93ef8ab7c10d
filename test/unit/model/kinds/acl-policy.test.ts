import { toPlain } from "../../../../model/graph";
import { aclPolicyDescriptor } from "../../../../model/kinds/acl-policy";

describe("governance descriptors", () => {
  it("ACL policy HCL comes from the shared renderer, at synthesis time", () => {
    const rules = [{ path: "secret/data/app/*", capabilities: ["read" as const] }];
    const doc = { name: "app", rules };
    const d = aclPolicyDescriptor("app", () => doc, { owner: "policy-app" });
    rules.push({ path: "transit/encrypt/k", capabilities: ["read"] });
    expect(toPlain([d])[0].attributes).toEqual({
      name: "app",
      policy: 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n\npath "transit/encrypt/k" {\n  capabilities = ["read"]\n}\n',
    });
  });
});
