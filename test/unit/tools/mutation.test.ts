import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CI_MODULES, MODULES, scoreReport } from "../../../tools/mutation";

const ROOT = join(__dirname, "../../..");

describe("npm run test:mutation configuration", () => {
  it("mutates exactly the listed modules, each with unit tests that exist", () => {
    const config = JSON.parse(readFileSync(join(ROOT, "stryker.config.json"), "utf8")) as {
      mutate: string[];
      thresholds: { break: number };
    };
    expect([...config.mutate].sort()).toEqual(Object.keys(MODULES).sort());
    expect(config.thresholds.break).toBe(80);
    for (const [module, tests] of Object.entries(MODULES)) {
      expect(existsSync(join(ROOT, module))).toBe(true);
      expect(tests.length).toBeGreaterThan(0);
      for (const test of tests) {
        expect(test).toMatch(/^test\/unit\/.*\.test\.ts$/);
        expect(existsSync(join(ROOT, test))).toBe(true);
      }
    }
  });

  it("the CI subset is a part of the listed modules", () => {
    expect(CI_MODULES.length).toBeGreaterThan(0);
    for (const module of CI_MODULES) expect(Object.keys(MODULES)).toContain(module);
    expect(CI_MODULES.length).toBeLessThan(Object.keys(MODULES).length);
  });
});

describe("scoreReport", () => {
  const report = (...statuses: string[]) => ({ files: { "a.ts": { mutants: statuses.map((status) => ({ status })) } } });

  it("scores as Stryker does: timeouts count as detected, no coverage as undetected, compile errors not at all", () => {
    expect(scoreReport(report("Killed", "Timeout", "Survived", "NoCoverage", "CompileError", "Ignored", "RuntimeError"))).toEqual({
      mutants: 7,
      killed: 2,
      survived: 2,
      invalid: 3,
      score: 50,
    });
  });

  it("is 100 % without valid mutants", () => {
    expect(scoreReport(report()).score).toBe(100);
    expect(scoreReport(report("CompileError")).score).toBe(100);
  });
});
