/**
 * Templated policy paths against a real server: an entity with metadata, an alias on a userpass
 * mount and a group; the token from a real login is asked about `sys/capabilities-self`, and the
 * evaluator, given the same identity, must answer the same.
 */
import { IdentityContext } from "../../../policies/identity-template";
import { parsePolicy } from "../../../policies/policy-parse";
import { PolicyEvaluator } from "../../../policies/policy-evaluator";
import { DevServer, startDevServer } from "../../support/dev-server";
import { call } from "../../support/harness-http";
import { selectedFlavors } from "../../support/server-binaries";
import { tokenWithPolicies, writePolicy } from "./policy-server";

async function ok<T>(server: DevServer, method: "GET" | "PUT" | "POST", path: string, body?: unknown, token = server.token): Promise<T> {
  const res = await call<T & { errors?: string[] }>(server.address, method, path, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path} failed with ${res.status}: ${(res.body.errors ?? []).join("; ")}`);
  return res.body;
}

describe.each(selectedFlavors())("templated policies agree with a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("resolves entity, alias and group templates like the server, and skips unresolvable ones", async () => {
    await ok(server, "POST", "sys/auth/userpass", { type: "userpass" });
    const mounts = await ok<{ data: Record<string, { accessor: string }> }>(server, "GET", "sys/auth");
    const accessor = mounts.data["userpass/"].accessor;
    const entity = await ok<{ data: { id: string } }>(server, "POST", "identity/entity", {
      name: "alice-entity",
      metadata: { team: "red" },
    });
    const entityId = entity.data.id;
    await ok(server, "POST", "identity/entity-alias", { name: "alice", canonical_id: entityId, mount_accessor: accessor });
    const group = await ok<{ data: { id: string } }>(server, "POST", "identity/group", {
      name: "ops",
      member_entity_ids: [entityId],
      metadata: { env: "prod" },
    });
    const groupId = group.data.id;

    const templated = [
      'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }',
      'path "u/{{identity.entity.name}}/*" { capabilities = ["list"] }',
      'path "t/{{identity.entity.metadata.team}}/*" { capabilities = ["update"] }',
      `path "a/{{identity.entity.aliases.${accessor}.name}}" { capabilities = ["create"] }`,
      'path "g/{{identity.groups.names.ops.id}}/+" { capabilities = ["delete"] }',
      `path "gi/{{identity.groups.ids.${groupId}.name}}" { capabilities = ["read"] }`,
      'path "gm/{{identity.groups.names.ops.metadata.env}}/*" { capabilities = ["patch"] }',
      'path "missing/{{identity.entity.metadata.nokey}}/*" { capabilities = ["read"] }',
      'path "nogroup/{{identity.groups.names.nope.id}}" { capabilities = ["read"] }',
      'path "t/*" { capabilities = ["deny"] }',
      'path "sys/capabilities-self" { capabilities = ["update"] }',
    ].join("\n");
    await writePolicy(server, "tpl", templated);
    await ok(server, "POST", "auth/userpass/users/alice", {
      password: "pw-for-test",
      token_policies: "tpl",
      token_no_default_policy: true,
    });
    const login = await ok<{ auth: { client_token: string } }>(server, "POST", "auth/userpass/login/alice", { password: "pw-for-test" });

    const paths = [
      `secret/data/${entityId}/x`,
      "secret/data/other/x",
      "u/alice-entity/k",
      "u/alice/k",
      "t/red/x",
      "t/blue/x",
      "a/alice",
      `g/${groupId}/x`,
      "gi/ops",
      "gm/prod/x",
      "missing//x",
      "nogroup/",
    ];
    const answer = await ok<{ data: Record<string, string[]> }>(
      server,
      "POST",
      "sys/capabilities-self",
      { paths },
      login.auth.client_token,
    );

    const identity: IdentityContext = {
      entity: { id: entityId, name: "alice-entity", metadata: { team: "red" }, aliases: { [accessor]: { name: "alice" } } },
      groups: [{ id: groupId, name: "ops", metadata: { env: "prod" } }],
    };
    const evaluator = new PolicyEvaluator([await parsePolicy(templated, { name: "tpl", flavor })], { identity, flavor });
    for (const path of paths) expect([path, evaluator.capabilities(path)]).toEqual([path, [...answer.data[path]].sort()]);
    // Sanity: the identity really mattered.
    expect(answer.data[`secret/data/${entityId}/x`]).toEqual(["read"]);
    expect(answer.data["t/red/x"]).toEqual(["update"]);

    // A token without an entity: every templated path is skipped.
    const plain = await tokenWithPolicies(server, ["tpl"]);
    const anonymous = await ok<{ data: Record<string, string[]> }>(server, "POST", "sys/capabilities", { token: plain, paths });
    const noIdentity = new PolicyEvaluator([await parsePolicy(templated, { name: "tpl", flavor })], { flavor });
    for (const path of paths) expect([path, noIdentity.capabilities(path)]).toEqual([path, [...anonymous.data[path]].sort()]);
  });
});
