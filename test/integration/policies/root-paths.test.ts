/**
 * Root-protected paths on a real server: with the operation's capability but without `sudo` the
 * request is refused, with `sudo` it passes; a path that is not root-protected passes without it.
 * The evaluator must decide each case the same way.
 */
import { PolicyBuilder } from "../../../policies/policy-builder";
import { renderHcl } from "../../../policies/hcl-render";
import { Operation, PolicyEvaluator } from "../../../policies/policy-evaluator";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { RealRequest, sendAs, tokenWithPolicies, writePolicy } from "./policy-server";

const CASES: readonly { path: string; operation: Operation; request: RealRequest; rootProtected: boolean }[] = [
  { path: "sys/audit", operation: "read", request: { method: "GET", path: "sys/audit" }, rootProtected: true },
  { path: "sys/config/cors", operation: "read", request: { method: "GET", path: "sys/config/cors" }, rootProtected: true },
  { path: "auth/token/accessors/", operation: "list", request: { method: "LIST", path: "auth/token/accessors/" }, rootProtected: true },
  { path: "sys/policies/acl/", operation: "list", request: { method: "LIST", path: "sys/policies/acl/" }, rootProtected: false },
  { path: "sys/mounts", operation: "read", request: { method: "GET", path: "sys/mounts" }, rootProtected: false },
];

describe.each(selectedFlavors())("root-protected paths on a real %s server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(CASES)("$operation $path needs sudo: $rootProtected", async ({ path, operation, request, rootProtected }) => {
    for (const sudo of [false, true]) {
      const name = `root-${path.replace(/\W+/g, "-")}-${sudo}`;
      const doc = new PolicyBuilder(name)
        .allow(path, sudo ? [operation === "list" ? "list" : "read", "sudo"] : [operation === "list" ? "list" : "read"])
        .build();
      await writePolicy(server, name, renderHcl(doc));
      const answer = await sendAs(server, await tokenWithPolicies(server, [name]), request);
      const decision = new PolicyEvaluator([doc], { flavor }).evaluate({ path, operation });
      expect({ sudo, refused: answer.status === 403 }).toEqual({ sudo, refused: rootProtected && !sudo });
      expect({ sudo, allowed: decision.allowed }).toEqual({ sudo, allowed: !(rootProtected && !sudo) });
    }
  });
});
