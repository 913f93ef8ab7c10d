import { VaultConnectionError, VaultError, VaultHttpError } from "../../../../runtime";

describe("runtime errors", () => {
  it("VaultHttpError names method, path, status, Vault's messages and request id", () => {
    const err = new VaultHttpError("POST", "secret/data/app", 400, ["check-and-set parameter did not match"], "0d6c-11");
    expect(err).toBeInstanceOf(VaultError);
    expect(err.name).toBe("VaultHttpError");
    expect(err.message).toBe("POST secret/data/app failed with HTTP 400: check-and-set parameter did not match (request 0d6c-11)");
    expect(err.status).toBe(400);
    expect(err.requestId).toBe("0d6c-11");
  });

  it("VaultConnectionError keeps the cause and the address", () => {
    const cause = new Error("connect ECONNREFUSED 127.0.0.1:1");
    const err = new VaultConnectionError("GET", "sys/health", "http://127.0.0.1:1", cause);
    expect(err.message).toBe("GET sys/health to http://127.0.0.1:1 got no answer: connect ECONNREFUSED 127.0.0.1:1");
    expect(err.cause).toBe(cause);
    expect(err.address).toBe("http://127.0.0.1:1");
  });
});

describe("VaultHttpError from a body that is not Vault's", () => {
  it("keeps only the strings of `errors`, whatever a proxy in the way sent", () => {
    const fromString = new VaultHttpError("GET", "p", 502, "bad gateway" as unknown as string[], undefined);
    expect(fromString.errors).toEqual([]);
    expect(fromString.message).toBe("GET p failed with HTTP 502");
    const mixed = new VaultHttpError("GET", "p", 400, ["one", 2, null, "two"] as unknown as string[], undefined);
    expect(mixed.errors).toEqual(["one", "two"]);
    expect(mixed.message).toBe("GET p failed with HTTP 400: one; two");
  });
});
