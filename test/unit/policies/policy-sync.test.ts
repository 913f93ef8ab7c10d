import { PolicyBuilder } from "../../../policies/policy-builder";
import { PolicyStore, formatSyncPlan, readVersionStamp, stampedHcl, syncPolicies } from "../../../policies/policy-sync";

class MemoryStore implements PolicyStore {
  public readonly policies = new Map<string, string>([
    ["root", ""],
    ["default", 'path "auth/token/lookup-self" { capabilities = ["read"] }'],
  ]);
  public async list() {
    return [...this.policies.keys()];
  }
  public async read(name: string) {
    return this.policies.get(name);
  }
  public async write(name: string, text: string) {
    this.policies.set(name, text);
  }
  public async delete(name: string) {
    this.policies.delete(name);
  }
}

describe("syncPolicies", () => {
  const doc = new PolicyBuilder("app").allow("secret/data/app/*", ["read"]).build();

  it("writes the stamp as the first line and reads it back", () => {
    const text = stampedHcl(doc, "git:abc");
    expect(text.split("\n")[0]).toBe("# vaultsmith-version: git:abc");
    expect(readVersionStamp(text)).toBe("git:abc");
    expect(readVersionStamp('path "x" {}')).toBeUndefined();
    expect(() => stampedHcl(doc, "a\nb")).toThrow("one line");
  });

  it("is a dry run by default and never prunes built-in policies", async () => {
    const store = new MemoryStore();
    store.policies.set("orphan", 'path "x" { capabilities = ["read"] }');
    const plan = await syncPolicies(store, [doc], { stamp: "s1", prune: true });
    expect(plan.map((a) => `${a.kind}:${a.name}`)).toEqual(["create:app", "delete:orphan"]);
    expect(store.policies.has("app")).toBe(false);
    expect(formatSyncPlan(plan, false)).toContain("2 change(s) planned (dry run; use --apply to write)");
    await syncPolicies(store, [doc], { stamp: "s1", prune: true, apply: true });
    expect([...store.policies.keys()].sort()).toEqual(["app", "default", "root"]);
  });

  it("compares canonically: reformatted but equal text is unchanged, a real change is an update", async () => {
    const store = new MemoryStore();
    store.policies.set("app", '# vaultsmith-version: old\npath "secret/data/app/*" {capabilities=["read"]}');
    expect(await syncPolicies(store, [doc], { stamp: "new" })).toEqual([{ kind: "unchanged", name: "app", previousStamp: "old" }]);
    const wider = new PolicyBuilder("app").allow("secret/data/app/*", ["read", "update"]).build();
    expect((await syncPolicies(store, [wider], { stamp: "new" }))[0].kind).toBe("update");
  });
});
