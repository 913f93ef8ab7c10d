import { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { Server, createServer } from "node:http";
import { HttpTransport, VaultHttpError, VaultProtocolError } from "../../../../runtime";

describe("HttpTransport", () => {
  it("rejects an address that is not http or https", () => {
    expect(() => new HttpTransport({ address: "ftp://vault:8200" })).toThrow('address must be http:// or https://, got "ftp://vault:8200"');
  });

  it("rejects an address that is not a URL", () => {
    expect(() => new HttpTransport({ address: "not a url" })).toThrow(/Invalid URL/);
  });

  it("normalises the address to its origin and refuses a path it would otherwise drop", async () => {
    const transport = new HttpTransport({ address: "https://vault.internal:8200/" });
    expect(transport.address).toBe("https://vault.internal:8200");
    await transport.close();
    expect(() => new HttpTransport({ address: "https://lb.internal/vault" })).toThrow(
      'address must be scheme://host[:port] without a path, got "https://lb.internal/vault"',
    );
  });

  it("shows neither the token nor the TLS key to inspect or JSON.stringify", async () => {
    const transport = new HttpTransport({ address: "https://vault.internal:8200", token: "tok-secret-123", tls: { key: "KEY-MATERIAL" } });
    const shown = `${inspect(transport, { showHidden: true, depth: 10 })} ${JSON.stringify(transport)} ${JSON.stringify({ nested: transport })}`;
    expect(shown).toContain("https://vault.internal:8200");
    expect(shown).not.toContain("tok-secret-123");
    expect(shown).not.toContain("KEY-MATERIAL");
    await transport.close();
  });
});

describe("HttpTransport against a misbehaving proxy", () => {
  let server: Server;
  let address: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.includes("html")) {
        res.writeHead(200, { "content-type": "text/html" }).end("<html>login page of some proxy</html>");
      } else {
        res.writeHead(502, { "content-type": "text/plain", "retry-after": "2" }).end("bad gateway");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("turns a 2xx non-JSON body into a VaultProtocolError that names the content type, not the body", async () => {
    const transport = new HttpTransport({ address, token: "tok-should-not-leak" });
    try {
      const failure = await transport.send({ method: "GET", path: "secret/data/html" }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultProtocolError);
      expect((failure as VaultProtocolError).message).toBe(
        "GET secret/data/html: HTTP 200 with a body that is not a JSON object (text/html, 37 bytes) — is a proxy in the way?",
      );
      expect(String(failure)).not.toContain("login page");
      expect(String(failure)).not.toContain("tok-should-not-leak");
    } finally {
      await transport.close();
    }
  });

  it("keeps a non-JSON error status as a VaultHttpError with its Retry-After", async () => {
    const transport = new HttpTransport({ address });
    try {
      const failure = await transport.send({ method: "GET", path: "sys/health" }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(VaultHttpError);
      expect((failure as VaultHttpError).status).toBe(502);
      expect((failure as VaultHttpError).retryAfterMs).toBe(2_000);
    } finally {
      await transport.close();
    }
  });
});
