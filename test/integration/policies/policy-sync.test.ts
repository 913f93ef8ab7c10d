/**
 * Sync against a real server: dry run changes nothing, apply creates/updates/deletes, the stamp is
 * on the stored policy, a second run is a no-op, and the built-in policies are never pruned.
 */
import { PolicyBuilder } from "../../../policies/policy-builder";
import { VaultClient } from "../../../runtime";
import { HttpPolicyStore, readVersionStamp, syncPolicies } from "../../../policies/policy-sync";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { writePolicy } from "./policy-server";

describe.each(selectedFlavors())("policy sync against a real %s server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;
  let store: HttpPolicyStore;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
    store = new HttpPolicyStore(client, server.address);
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("plans, applies with a version stamp, is idempotent, and prunes only what it owns", async () => {
    await writePolicy(server, "stale", 'path "old/*" { capabilities = ["read"] }');
    await writePolicy(server, "app-b", 'path "secret/data/app-b/*" { capabilities = ["read"] }');
    const desired = [
      new PolicyBuilder("app-a").allow("secret/data/app-a/*", ["read"]).build(),
      new PolicyBuilder("app-b").allow("secret/data/app-b/*", ["read", "update"]).build(),
    ];

    const plan = await syncPolicies(store, desired, { stamp: "git:abc123", prune: true, flavor });
    expect(plan.map((a) => `${a.kind} ${a.name}`)).toEqual(["create app-a", "update app-b", "delete stale"]);
    expect(await store.read("app-a")).toBeUndefined();

    await syncPolicies(store, desired, { stamp: "git:abc123", prune: true, apply: true, flavor });
    const stored = await store.read("app-a");
    expect(readVersionStamp(stored ?? "")).toBe("git:abc123");
    expect(stored).toContain('path "secret/data/app-a/*" {');
    expect(await store.read("stale")).toBeUndefined();
    expect(await store.list()).toEqual(expect.arrayContaining(["default", "root", "app-a", "app-b"]));

    const again = await syncPolicies(store, desired, { stamp: "git:def456", prune: true, flavor });
    expect(again.map((a) => `${a.kind} ${a.name} ${a.previousStamp}`)).toEqual([
      "unchanged app-a git:abc123",
      "unchanged app-b git:abc123",
    ]);
  });
});
