import { BrokenCircuitError } from "cockatiel";
import { CertificatePinMismatchError, VaultConnectionError, VaultHttpError } from "../../../../runtime";
import { classifyFailure, isRetryable } from "../../../../runtime/transport/failure-kind";

function connectionError(code: string): VaultConnectionError {
  return new VaultConnectionError("GET", "secret/data/x", "http://127.0.0.1:1", Object.assign(new Error(code), { code }));
}

function http(status: number, ...errors: string[]): VaultHttpError {
  return new VaultHttpError("POST", "secret/data/x", status, errors, undefined);
}

describe("classifyFailure", () => {
  it.each([
    [connectionError("ECONNREFUSED"), "not-sent"],
    [connectionError("UND_ERR_CONNECT_TIMEOUT"), "not-sent"],
    [new BrokenCircuitError(), "not-sent"],
    [connectionError("ECONNRESET"), "maybe-sent"],
    [connectionError("UND_ERR_HEADERS_TIMEOUT"), "maybe-sent"],
    [connectionError("SELF_SIGNED_CERT_IN_CHAIN"), "fatal"],
    [connectionError("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), "fatal"],
    [new VaultConnectionError("GET", "x", "https://a", new CertificatePinMismatchError("a", ["pin"])), "fatal"],
    [http(503, "Vault is sealed"), "sealed"],
    [http(503, "error performing token check: OpenBao is sealed"), "sealed"],
    [http(500, "local node not active but active cluster node not found"), "not-active"],
    [http(307), "not-active"],
    [http(308), "not-active"],
    [http(429), "throttled"],
    [http(412), "throttled"],
    [
      http(
        400,
        "Waiting for the primary to upgrade from non-versioned to versioned data. This backend will be unavailable for a brief period",
      ),
      "throttled",
    ],
    [http(500, "internal error"), "server-error"],
    [http(502), "server-error"],
    [http(501), "fatal"],
    [http(400, "check-and-set parameter did not match"), "fatal"],
    [http(403, "permission denied"), "fatal"],
    [new TypeError("bug"), "fatal"],
  ])("%s → %s", (error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });
});

describe("connection failures before the request left", () => {
  // A host or network that cannot be reached, and a name that does not resolve, mean no byte of
  // the request reached the server: state-creating requests (logins, KV writes) may be retried.
  it.each(["EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"])("%s is not-sent, so a state-creating request is retried", (code) => {
    const kind = classifyFailure(connectionError(code));
    expect(kind).toBe("not-sent");
    expect(isRetryable(kind, "state-creating")).toBe(true);
  });

  it("finds the code deeper in the cause chain (undici wraps the socket error)", () => {
    const socket = Object.assign(new Error("connect EHOSTUNREACH"), { code: "EHOSTUNREACH" });
    const wrapped = new VaultConnectionError("GET", "x", "http://10.0.0.1:8200", new Error("fetch failed", { cause: socket }));
    expect(classifyFailure(wrapped)).toBe("not-sent");
  });
});

describe("the cause chain", () => {
  function chain(codes: readonly (string | undefined)[]): VaultConnectionError {
    let cause: Error | undefined;
    for (const code of [...codes].reverse()) cause = Object.assign(new Error(code ?? "wrapper", { cause }), code ? { code } : {});
    return new VaultConnectionError("GET", "x", "http://127.0.0.1:1", cause);
  }

  it("is not-sent when any error of the chain says so, even under a wrapper with another code", () => {
    expect(classifyFailure(chain(["UND_ERR_SOCKET", "ECONNREFUSED"]))).toBe("not-sent");
  });

  it("is fatal when any error of the chain is a TLS trust failure under a socket error", () => {
    expect(classifyFailure(chain(["ECONNRESET", "CERT_HAS_EXPIRED"]))).toBe("fatal");
  });

  it("looks at the error and 7 causes below it, no deeper (a cyclic chain ends)", () => {
    // chain() adds the VaultConnectionError itself above these: the 8th element is index 6 here.
    expect(classifyFailure(chain([undefined, undefined, undefined, undefined, undefined, undefined, "ECONNREFUSED"]))).toBe("not-sent");
    expect(classifyFailure(chain([undefined, undefined, undefined, undefined, undefined, undefined, undefined, "ECONNREFUSED"]))).toBe(
      "maybe-sent",
    );
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(classifyFailure(new VaultConnectionError("GET", "x", "http://127.0.0.1:1", a))).toBe("maybe-sent");
  });

  it("stops at a null cause", () => {
    expect(classifyFailure(new VaultConnectionError("GET", "x", "http://127.0.0.1:1", null))).toBe("maybe-sent");
    expect(classifyFailure(chain([undefined]))).toBe("maybe-sent");
  });
});

describe("TLS failures no retry can fix", () => {
  it.each(["ERR_TLS_DH_PARAM_SIZE", "ERR_SSL_WRONG_VERSION_NUMBER", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED"])(
    "%s is fatal",
    (code) => {
      expect(classifyFailure(connectionError(code))).toBe("fatal");
    },
  );

  it("a code that merely ends like a TLS prefix is not one", () => {
    expect(classifyFailure(connectionError("X_ERR_TLS"))).toBe("maybe-sent");
    expect(classifyFailure(connectionError("X_ERR_SSL"))).toBe("maybe-sent");
  });
});

describe("HTTP answers read by status and message together", () => {
  it.each([
    [http(503, "upstream connect error"), "server-error"],
    [http(400, "the barrier is already unsealed"), "fatal"],
    [http(400, "token is not active"), "fatal"],
    [http(500, "active node not found"), "not-active"],
    [http(503, "no active node"), "not-active"],
    [http(403, "Waiting for the primary to upgrade from non-versioned to versioned data."), "fatal"],
  ])("%s → %s", (error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });
});

describe("redirects from a standby", () => {
  it("308 (permanent redirect) is not-active and retried like 307, even for state-creating requests", () => {
    for (const status of [307, 308]) {
      const kind = classifyFailure(http(status));
      expect(kind).toBe("not-active");
      expect(isRetryable(kind, "state-creating")).toBe(true);
    }
  });
});

describe("isRetryable", () => {
  it("retries state-creating requests only when they provably did not execute", () => {
    expect(isRetryable("not-sent", "state-creating")).toBe(true);
    expect(isRetryable("sealed", "state-creating")).toBe(true);
    expect(isRetryable("not-active", "state-creating")).toBe(true);
    expect(isRetryable("throttled", "state-creating")).toBe(true);
    expect(isRetryable("maybe-sent", "state-creating")).toBe(false);
    expect(isRetryable("server-error", "state-creating")).toBe(false);
  });

  it("retries idempotent requests on every transient failure, never on fatal ones", () => {
    for (const kind of ["not-sent", "maybe-sent", "sealed", "not-active", "server-error", "throttled"] as const)
      expect(isRetryable(kind, "idempotent")).toBe(true);
    expect(isRetryable("fatal", "idempotent")).toBe(false);
  });
});
