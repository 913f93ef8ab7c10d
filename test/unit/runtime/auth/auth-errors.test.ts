import { VaultConnectionError, VaultHttpError } from "../../../../runtime";
import { AuthChainError, AuthLoginError } from "../../../../runtime";
import { toAuthLoginError } from "../../../../runtime/auth/auth-errors";

const target = { authMethod: "approle", mountPath: "approle-ci" };

describe("toAuthLoginError", () => {
  it("keeps status, Vault's messages and the request id of an HTTP refusal", () => {
    const error = toAuthLoginError(
      target,
      "POST",
      "auth/approle-ci/login",
      new VaultHttpError("POST", "auth/approle-ci/login", 400, ["invalid role or secret ID"], "req-9"),
    );
    expect(error).toBeInstanceOf(AuthLoginError);
    expect(error).toMatchObject({ authMethod: "approle", mountPath: "approle-ci", status: 400, requestId: "req-9", method: "POST" });
    expect(error.message).toBe("approle login at auth/approle-ci failed with HTTP 400: invalid role or secret ID (request req-9)");
  });

  it("names the unreachable address and the socket error, with no status", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const error = toAuthLoginError(
      target,
      "POST",
      "auth/approle-ci/login",
      new VaultConnectionError("POST", "auth/approle-ci/login", "http://127.0.0.1:1", cause),
    );
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("no answer from http://127.0.0.1:1: ECONNREFUSED connect ECONNREFUSED");
  });

  it("keeps only the name of an unknown failure, whose message might hold anything", () => {
    const error = toAuthLoginError(target, "POST", "p", new TypeError("credential s3cr3t leaked into a message"));
    expect(error.message).not.toContain("s3cr3t");
    expect(error.message).toContain("TypeError");
    expect(error.cause).toBeUndefined();
  });

  it("passes an AuthLoginError through unchanged", () => {
    const original = new AuthLoginError(target, "POST", "p", { status: 403, errors: [], requestId: undefined });
    expect(toAuthLoginError(target, "POST", "p", original)).toBe(original);
  });
});

describe("AuthChainError", () => {
  it("lists every method's failure in order", () => {
    const a = new AuthLoginError({ authMethod: "kubernetes", mountPath: "k8s" }, "POST", "auth/k8s/login", {
      status: 403,
      errors: ["permission denied"],
      requestId: undefined,
    });
    const b = new AuthLoginError(target, "POST", "auth/approle-ci/login", {
      status: undefined,
      errors: [],
      requestId: undefined,
      reason: "no answer",
    });
    const chain = new AuthChainError([a, b]);
    expect(chain.failures).toEqual([a, b]);
    expect(chain.message).toMatch(/^every auth method failed \(kubernetes@k8s, approle@approle-ci\)/);
  });
});
