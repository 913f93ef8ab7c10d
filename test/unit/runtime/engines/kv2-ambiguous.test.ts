import { VaultConnectionError, VaultDeadlineError, VaultHttpError } from "../../../../runtime/core/errors";
import {
  candidateVersions,
  canonicalJson,
  decideAmbiguousWrite,
  isAmbiguousFailure,
  isCasMismatch,
} from "../../../../runtime/engines/kv2-ambiguous";

const sent = canonicalJson({ user: "app", n: 1 });
const at = (iso: string) => ({ createdTime: iso });

describe("canonicalJson", () => {
  it("ignores key order and drops undefined members as the request body does", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
  });
});

describe("isAmbiguousFailure", () => {
  it("treats a broken connection, a 5xx and a deadline after an attempt as maybe executed", () => {
    const reset = new VaultConnectionError(
      "POST",
      "secret/data/a",
      "http://n1",
      Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    );
    expect(isAmbiguousFailure(reset)).toBe(true);
    expect(isAmbiguousFailure(new VaultHttpError("POST", "secret/data/a", 500, ["internal error"], undefined))).toBe(true);
    expect(isAmbiguousFailure(new VaultDeadlineError("POST", "secret/data/a", 1000, 2))).toBe(true);
  });

  it("treats refused connections, 4xx and deadlines before any attempt as not executed", () => {
    const refused = new VaultConnectionError(
      "POST",
      "secret/data/a",
      "http://n1",
      Object.assign(new Error("refused"), { code: "ECONNREFUSED" }),
    );
    expect(isAmbiguousFailure(refused)).toBe(false);
    expect(isAmbiguousFailure(new VaultHttpError("POST", "secret/data/a", 400, ["bad"], undefined))).toBe(false);
    expect(isAmbiguousFailure(new VaultHttpError("POST", "secret/data/a", 503, ["Vault is sealed"], undefined))).toBe(false);
    expect(isAmbiguousFailure(new VaultDeadlineError("POST", "secret/data/a", 1000, 0))).toBe(false);
    expect(isAmbiguousFailure(new TypeError("x"))).toBe(false);
  });
});

describe("isCasMismatch", () => {
  it("recognises KV v2's check-and-set refusal and nothing else", () => {
    expect(
      isCasMismatch(new VaultHttpError("POST", "p", 400, ["check-and-set parameter did not match the current version"], undefined)),
    ).toBe(true);
    expect(isCasMismatch(new VaultHttpError("POST", "p", 400, ["check-and-set parameter required for this call"], undefined))).toBe(false);
    expect(isCasMismatch(new VaultHttpError("POST", "p", 500, ["check-and-set parameter did not match"], undefined))).toBe(false);
  });
});

describe("candidateVersions", () => {
  const versions = { "1": at("2026-01-01T00:00:00Z"), "2": at("2026-01-01T00:10:00Z"), "3": at("2026-01-01T00:20:00Z") };
  it("with cas n names only version n+1, when it exists", () => {
    expect(candidateVersions(1, 3, versions, 0, 0)).toEqual([2]);
    expect(candidateVersions(3, 3, versions, 0, 0)).toEqual([]);
    expect(candidateVersions(0, 0, {}, 0, 0)).toEqual([]);
  });
  it("without cas names the versions created since the write started (less the skew), newest first", () => {
    const started = Date.parse("2026-01-01T00:15:00Z");
    expect(candidateVersions(undefined, 3, versions, started, 0)).toEqual([3]);
    expect(candidateVersions(undefined, 3, versions, started, 6 * 60_000)).toEqual([3, 2]);
    expect(candidateVersions(undefined, 3, versions, Date.parse("2026-01-01T00:30:00Z"), 0)).toEqual([]);
  });
});

describe("decideAmbiguousWrite", () => {
  const v = (version: number, data: unknown, unreadable = false) => ({ version, createdTime: "", unreadable, data });

  describe("with cas n", () => {
    it("is applied when version n+1 holds exactly the data sent (in any key order)", () => {
      expect(decideAmbiguousWrite(sent, 4, { currentVersion: 5, versions: [v(5, { n: 1, user: "app" })] })).toEqual({
        kind: "applied",
        version: 5,
      });
    });
    it("is not applied, repeatable with the same cas, when there is no version n+1", () => {
      expect(decideAmbiguousWrite(sent, 4, { currentVersion: 4, versions: [] })).toEqual({ kind: "not-applied", retryCas: 4 });
      expect(decideAmbiguousWrite(sent, 0, { currentVersion: 0, versions: [] })).toEqual({ kind: "not-applied", retryCas: 0 });
    });
    it("is a conflict when version n+1 holds other data", () => {
      expect(decideAmbiguousWrite(sent, 4, { currentVersion: 6, versions: [v(5, { n: 2, user: "app" })] })).toEqual({
        kind: "conflict",
        version: 5,
      });
    });
    it("is unknown when version n+1 was deleted before it could be compared", () => {
      expect(decideAmbiguousWrite(sent, 4, { currentVersion: 5, versions: [v(5, undefined, true)] })).toEqual({
        kind: "unknown",
        version: 5,
      });
      expect(decideAmbiguousWrite(sent, 4, { currentVersion: 5, versions: [] })).toEqual({ kind: "unknown", version: 5 });
    });
  });

  describe("without cas", () => {
    it("is applied at the newest version since the start that holds the data sent", () => {
      const observed = { currentVersion: 9, versions: [v(7, { n: 1, user: "app" }), v(9, { other: true }), v(8, { user: "app", n: 1 })] };
      expect(decideAmbiguousWrite(sent, undefined, observed)).toEqual({ kind: "applied", version: 8 });
    });
    it("is not applied when no recent version holds it; the repeat is fenced by the current version", () => {
      expect(decideAmbiguousWrite(sent, undefined, { currentVersion: 9, versions: [v(9, { n: 2 })] })).toEqual({
        kind: "not-applied",
        retryCas: 9,
      });
      expect(decideAmbiguousWrite(sent, undefined, { currentVersion: 0, versions: [] })).toEqual({ kind: "not-applied", retryCas: 0 });
    });
    it("is unknown when a recent version that could be it is unreadable and none matches", () => {
      expect(decideAmbiguousWrite(sent, undefined, { currentVersion: 9, versions: [v(9, { n: 2 }), v(8, undefined, true)] })).toEqual({
        kind: "unknown",
        version: 8,
      });
    });
  });
});
