import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { cleanOpenSslText, describeNetworkFailure, namedFetch } from "../../../cli/errors";

describe("network failures in one line", () => {
  it("names the address, the cause and the fix for common codes", () => {
    const coded = (code: string, message = code) =>
      Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) });
    expect(describeNetworkFailure("http://a:1", coded("ECONNREFUSED"))).toBe(
      "nothing answers at http://a:1 (connection refused): check the address (VAULT_ADDR or --address) and that the server is running",
    );
    expect(describeNetworkFailure("http://a:1", coded("ENOTFOUND"))).toMatch(/^cannot resolve the host of http:\/\/a:1 \(ENOTFOUND\)/);
    expect(describeNetworkFailure("https://a:1", coded("DEPTH_ZERO_SELF_SIGNED_CERT"))).toMatch(/not trusted .*set VAULT_CACERT/);
    expect(describeNetworkFailure("http://a:1", new Error("something else"))).toBeUndefined();
  });

  it("strips OpenSSL's error-stack framing", () => {
    expect(
      cleanOpenSslText(
        "80FC82BBE27F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n",
      ),
    ).toBe("wrong version number");
  });

  it("tells an https address pointed at a plain-HTTP server to use http://", async () => {
    const server = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(namedFetch(address)(`${address}/v1/sys/health`, { method: "GET", headers: {} })).rejects.toThrow(
        `${address} does not speak TLS (it answered in plain HTTP): use http:// instead of https:// in the address`,
      );
    } finally {
      server.close();
    }
  });
});
