import {
  DatabaseInputError,
  LeaseRefusedError,
  PkiInputError,
  PkiRoleNotFoundError,
  TransitInputError,
  TransitKeyNotFoundError,
  VaultConnectionError,
  VaultError,
  VaultHttpError,
  VaultInputError,
  VaultRefusalError,
} from "../../../../runtime";
import { refusalText } from "../../../../runtime/core/errors";

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

  it("VaultRefusalError keeps the answer's status, errors, request id and Retry-After, and says what was refused first", () => {
    const source = new VaultHttpError("POST", "pki/issue/web", 400, ["unknown role: web"], "r-1", 2_000);
    const err = new PkiRoleNotFoundError(source, "web");
    expect(err).toBeInstanceOf(VaultRefusalError);
    expect(err).toBeInstanceOf(VaultHttpError);
    expect(err.name).toBe("PkiRoleNotFoundError");
    expect(err.message).toBe('PKI role "web" not found: POST pki/issue/web failed with HTTP 400: unknown role: web (request r-1)');
    expect([err.method, err.path, err.status, err.errors, err.requestId, err.retryAfterMs]).toEqual([
      "POST",
      "pki/issue/web",
      400,
      ["unknown role: web"],
      "r-1",
      2_000,
    ]);
    expect(new LeaseRefusedError(source, "database/creds/x/1", "expired")).toBeInstanceOf(VaultRefusalError);
    expect(new TransitKeyNotFoundError(source, { mount: "transit", key: "k" })).toBeInstanceOf(VaultRefusalError);
  });

  it("every engine's client-side refusal is a VaultInputError naming the field", () => {
    const pki = new PkiInputError("POST", "pki/sign/web", "csr", "not a PEM CSR");
    expect(pki.message).toBe("POST pki/sign/web: csr refused before sending: not a PEM CSR");
    const db = new DatabaseInputError("GET", "database/creds/", "role", "empty");
    const transit = new TransitInputError("POST", "transit/encrypt/k", "context", "mixed contexts", 3);
    expect(transit.message).toBe("POST transit/encrypt/k: context refused (batch item 3): mixed contexts");
    for (const err of [pki, db, transit]) expect(err).toBeInstanceOf(VaultInputError);
    expect([pki.field, db.field, transit.field]).toEqual(["csr", "role", "context"]);
  });

  it("refusalText joins the server's errors of an HTTP refusal, of the given status only", () => {
    const err = new VaultHttpError("GET", "x", 400, ["a", "b"], undefined);
    expect(refusalText(err)).toBe("a; b");
    expect(refusalText(err, 400)).toBe("a; b");
    expect(refusalText(err, 500)).toBeUndefined();
    expect(refusalText(new Error("a"))).toBeUndefined();
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
