import { VaultClient, VaultHttpError } from "../../../../runtime";
import { DevServer, startDevServer } from "../../../support/dev-server";
import { selectedFlavors } from "../../../support/server-binaries";

describe.each(selectedFlavors())("KV v2 against a real %s dev server", (flavor) => {
  let server: DevServer;
  let client: VaultClient;

  beforeAll(async () => {
    server = await startDevServer(flavor);
    client = new VaultClient({ address: server.address, token: server.token });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("writes versions and reads the latest and a given version", async () => {
    const kv = client.kv("secret");
    const v1 = await kv.write("app/db", { user: "app", password: "first" });
    const v2 = await kv.write("app/db", { user: "app", password: "second" });
    expect(v1.version).toBe(1);
    expect(v2.version).toBe(2);
    expect(Date.parse(v2.createdTime)).toBeGreaterThanOrEqual(Date.parse(v1.createdTime));

    const latest = await kv.read("app/db");
    expect(latest?.data).toEqual({ user: "app", password: "second" });
    expect(latest?.metadata.version).toBe(2);

    const first = await kv.read("app/db", { version: 1 });
    expect(first?.data).toEqual({ user: "app", password: "first" });
    expect(first?.metadata.version).toBe(1);
  });

  it("enforces check-and-set with a typed error naming the path", async () => {
    const kv = client.kv();
    await kv.write("app/cas", { n: 1 }, { cas: 0 });
    const failure = await kv.write("app/cas", { n: 2 }, { cas: 0 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(VaultHttpError);
    const err = failure as VaultHttpError;
    expect(err.status).toBe(400);
    expect(err.path).toBe("secret/data/app/cas");
    expect(err.message).toContain("check-and-set");
    expect(err.message).not.toContain(server.token);
    expect((await kv.write("app/cas", { n: 2 }, { cas: 1 })).version).toBe(2);
  });

  it("reads a missing secret as undefined and refuses a bad token with 403", async () => {
    expect(await client.kv().read("does/not/exist")).toBeUndefined();
    const stranger = new VaultClient({ address: server.address, token: "not-a-real-token" });
    try {
      const failure = await stranger
        .kv()
        .read("app/db")
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultHttpError);
      expect((failure as VaultHttpError).status).toBe(403);
    } finally {
      await stranger.close();
    }
  });
});
