import fc from "fast-check";
import { envNames, requireEnv, resolveEnv } from "../../../model/env";

describe("resolveEnv", () => {
  it("replaces references in nested strings and lists unresolved ones with their path", () => {
    const input = { a: { role_id: "${ROLE}", url: "https://${HOST}:8200" }, list: ["${MISSING}", "plain"] };
    const { value, unresolved } = resolveEnv(input, { ROLE: "r-1", HOST: "vault.local" });
    expect(value).toEqual({ a: { role_id: "r-1", url: "https://vault.local:8200" }, list: ["${MISSING}", "plain"] });
    expect(unresolved).toEqual([{ path: "list[0]", name: "MISSING" }]);
  });

  it("keeps $${NAME} as a literal ${NAME}", () => {
    expect(resolveEnv({ s: "$${HOME}" }, { HOME: "/root" }).value).toEqual({ s: "${HOME}" });
  });

  it("leaves numbers and booleans alone", () => {
    expect(resolveEnv({ n: 1, b: true }, {}).value).toEqual({ n: 1, b: true });
  });

  it("requireEnv names every unset variable and its field", () => {
    expect(() => requireEnv({ auth: { secret_id: "${SECRET}" } }, {})).toThrow("auth.secret_id: environment variable SECRET is not set");
    expect(requireEnv({ x: "${A}" }, { A: "1" })).toEqual({ x: "1" });
  });

  it("lists the names referenced in a text", () => {
    expect(envNames("${A} and ${B_2}")).toEqual(["A", "B_2"]);
  });
});

describe("resolveEnv with malformed references and odd values", () => {
  it("leaves text that is not a well-formed ${NAME} untouched", () => {
    for (const text of ["${}", "${1A}", "${A-B}", "${A", "$A", "${ A }", "${\u00e9}", "{A}"])
      expect(resolveEnv({ s: text }, { A: "x", "1A": "y", "A-B": "z", é: "w" })).toEqual({ value: { s: text }, unresolved: [] });
  });

  it("replaces every occurrence, an empty value included, and never re-expands a substituted value", () => {
    const { value } = resolveEnv({ s: "${A}${A}-${E}-${B}" }, { A: "${B}", B: "b", E: "" });
    expect(value).toEqual({ s: "${B}${B}--b" });
  });

  it("keeps unicode and huge values byte for byte", () => {
    const big = "x".repeat(1_000_000);
    expect(resolveEnv({ s: "[${U}] ${BIG}" }, { U: "pässwörd-🔑", BIG: big }).value).toEqual({ s: `[pässwörd-🔑] ${big}` });
  });

  it("walks nested arrays and objects, leaving null, numbers and booleans alone, with bracketed paths", () => {
    const { value, unresolved } = resolveEnv({ a: [null, 1, false, ["${X}"]], "odd key": { k: "${Y}" } }, {});
    expect(value).toEqual({ a: [null, 1, false, ["${X}"]], "odd key": { k: "${Y}" } });
    expect(unresolved.map((r) => r.name)).toEqual(["X", "Y"]);
    expect(unresolved[0].path).toBe("a[3][0]");
  });

  it("requireEnv lists every unset variable, not only the first", () => {
    expect(() => requireEnv({ a: "${P}", b: ["${Q}"] }, {})).toThrow(
      /a: environment variable P is not set[\s\S]*b\[0\]: environment variable Q is not set/,
    );
  });

  it("property: a string without '${' is returned unchanged, and one reference resolves to its value", () => {
    fc.assert(
      fc.property(
        fc.string().filter((t) => !t.includes("${") && !t.endsWith("$")),
        fc.string(),
        (text, v) => {
          expect(resolveEnv(text, { A: v }).value).toBe(text);
          expect(resolveEnv(`${text}\${A}`, { A: v }).value).toBe(`${text}${v}`);
        },
      ),
    );
  });
});
