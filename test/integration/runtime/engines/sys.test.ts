import { VaultClient, VaultConnectionError, VaultDeadlineError } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { freePort } from "../../../support/ports";
import { selectedFlavors, serverBinary } from "../../../support/server-binaries";

describe.each(selectedFlavors())("sys/ against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("reports an active, unsealed node of the version its binary reports, without a token", async () => {
    const health = await client.sys.health();
    expect(health.status).toBe(200);
    expect(health.state).toBe("active");
    expect(health.body.initialized).toBe(true);
    expect(health.body.sealed).toBe(false);
    expect(health.body.version).toBe(serverBinary(flavor).version);
  });

  it("reports seal status with the same version", async () => {
    const status = await client.sys.sealStatus();
    expect(status.sealed).toBe(false);
    expect(status.initialized).toBe(true);
    expect(status.version).toBe(serverBinary(flavor).version);
  });

  it("keeps retrying a node that does not listen until the deadline, then names the last connection error", async () => {
    const port = await freePort();
    const dead = new VaultClient({
      address: `http://127.0.0.1:${port}`,
      timeoutMs: 2_000,
      retry: { deadlineMs: 1_500, backoff: { minMs: 50, maxMs: 200 } },
    });
    try {
      const failure = await dead.sys.health().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultDeadlineError);
      const deadline = failure as VaultDeadlineError;
      expect(deadline.path).toBe("sys/health");
      expect(deadline.attempts).toBeGreaterThan(1);
      expect(deadline.cause).toBeInstanceOf(VaultConnectionError);
      expect((deadline.cause as VaultConnectionError).address).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await dead.close();
    }
  });
});
