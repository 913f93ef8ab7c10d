/**
 * Replays the recorded server regressions against the real servers, so each recorded expectation
 * stays true for the pinned server versions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RequestValue } from "../../../policies/parameter-constraints";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors } from "../../support/server-binaries";
import { mountKv1, sendAs, serverCapabilities, tokenWithPolicies, writePolicy } from "./policy-server";

interface Regressions {
  capabilities: { name: string; policies: string[]; expected: Record<string, Record<"openbao" | "vault", string[]>> }[];
  requests: {
    name: string;
    policies: string[];
    request: { operation: "create" | "read"; data: Record<string, RequestValue> };
    expected: Record<"openbao" | "vault", "allowed" | "refused">;
  }[];
}

const regressions = JSON.parse(readFileSync(join(__dirname, "../../fixtures/policies/server-regressions.json"), "utf8")) as Regressions;

describe.each(selectedFlavors())("recorded regressions still hold on a real %s server", (flavor) => {
  let server: DevServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await mountKv1(server, "kv1");
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function tokenFor(policies: readonly string[]): Promise<string> {
    const run = counter++;
    const names = policies.map((_, i) => `regression-${run}-${i}`);
    for (const [i, text] of policies.entries()) await writePolicy(server, names[i], text);
    return tokenWithPolicies(server, names);
  }

  it.each(regressions.capabilities)("capabilities: $name", async ({ policies, expected }) => {
    const token = await tokenFor(policies);
    const answer = await serverCapabilities(server, token, Object.keys(expected));
    for (const [path, byFlavor] of Object.entries(expected)) expect([path, [...answer[path]].sort()]).toEqual([path, byFlavor[flavor]]);
  });

  it.each(regressions.requests)("requests: $name", async ({ policies, request, expected }) => {
    const token = await tokenFor(policies);
    const path = `kv1/regression-${counter}`;
    const answer = await sendAs(
      server,
      token,
      request.operation === "create" ? { method: "PUT", path, body: request.data } : { method: "GET", path },
    );
    expect(answer.status === 403 ? "refused" : "allowed").toBe(expected[flavor]);
  });
});
