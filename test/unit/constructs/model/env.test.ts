import { envNames, requireEnv, resolveEnv } from "../../../../constructs/model/env";

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
