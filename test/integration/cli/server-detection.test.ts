import { detectServer } from "../../../cli/server-detection";
import { DevServer, startDevServer } from "../../support/dev-server";
import { selectedFlavors, serverBinary } from "../../support/server-binaries";

describe.each(selectedFlavors())("detectServer against a real %s dev server", (flavor) => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer(flavor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("reports the edition, the version the server reports and its features", async () => {
    const found = await detectServer(server.address, { token: server.token });
    const expected =
      flavor === "openbao"
        ? { target: { edition: "openbao", version: "2.6.1" }, namespaces: true }
        : { target: { edition: "vault-ce", version: serverBinary(flavor).version }, namespaces: false };
    expect(found.target).toEqual(expected.target);
    expect(server.version.startsWith(found.target.version)).toBe(true);
    expect(found.features).toEqual({
      namespaces: expected.namespaces,
      "sentinel-policies": false,
      "lease-count-quotas": false,
      // OpenBao 2.x refuses audit devices created through the API.
      "api-audit-devices": flavor !== "openbao",
    });
  });
});
