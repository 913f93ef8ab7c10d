import { HttpTransport } from "../../../../runtime";

describe("HttpTransport", () => {
  it("rejects an address that is not http or https", () => {
    expect(() => new HttpTransport({ address: "ftp://vault:8200" })).toThrow('address must be http:// or https://, got "ftp://vault:8200"');
  });

  it("rejects an address that is not a URL", () => {
    expect(() => new HttpTransport({ address: "not a url" })).toThrow(/Invalid URL/);
  });

  it("normalises the address to its origin", async () => {
    const transport = new HttpTransport({ address: "https://vault.internal:8200/some/path/" });
    expect(transport.address).toBe("https://vault.internal:8200");
    await transport.close();
  });
});
