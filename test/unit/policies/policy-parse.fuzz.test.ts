/**
 * Fuzzing the policy parsers: HCL (through hcl2json) and JSON, from random text, mutations of
 * real policies and arbitrary JSON values, yield a policy document or a PolicyValidationError
 * that names the file — never another exception.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { PolicyValidationError } from "../../../policies/policy-error";
import { parsePolicy, parsePolicyHcl, parsePolicyJson } from "../../../policies/policy-parse";
import { fuzz, fuzzAsync, textAround } from "../../support/fuzz";

const hcl = readFileSync(join(__dirname, "../../fixtures/policies/vault-docs/02-detailed.hcl"), "utf8");
const json = JSON.stringify({
  path: {
    "secret/data/orders/*": { capabilities: ["create", "read"], allowed_parameters: { "*": [] }, min_wrapping_ttl: "1s" },
    "sys/leases/renew": { capabilities: ["update"] },
  },
});

async function onlyTyped(run: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).file).toMatch(/^fuzz\./);
  }
}

function onlyTypedSync(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).file).toMatch(/^fuzz\./);
  }
}

describe("policy parsing under fuzzing", () => {
  it("the valid seeds of the mutations parse", async () => {
    expect((await parsePolicyHcl(hcl, { name: "p", file: "fuzz.hcl" })).rules.length).toBeGreaterThan(0);
    expect(parsePolicyJson(json, { name: "p", file: "fuzz.json" }).rules.length).toBe(2);
  });

  it("HCL: random and mutated text", async () => {
    await fuzzAsync(
      "policy HCL (parsePolicyHcl)",
      textAround(hcl),
      (text) => onlyTyped(() => parsePolicyHcl(text, { name: "p", file: "fuzz.hcl" })),
      400,
    );
  });

  it("JSON: random and mutated text", () => {
    fuzz(
      "policy JSON text (parsePolicyJson)",
      textAround(json),
      (text) => onlyTypedSync(() => parsePolicyJson(text, { name: "p", file: "fuzz.json" })),
      1_000,
    );
  });

  it("JSON: arbitrary JSON values, bare and under path", async () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.jsonValue().map((v) => ({ path: v })),
      fc.dictionary(fc.string(), fc.jsonValue()).map((d) => ({ path: d })),
    );
    await fuzzAsync(
      "policy JSON values (parsePolicy)",
      value,
      (v) => onlyTyped(() => parsePolicy(JSON.stringify(v) ?? "", { name: "p", file: "fuzz.json" })),
      800,
    );
  });
});
