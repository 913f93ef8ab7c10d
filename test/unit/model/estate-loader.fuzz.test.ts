/**
 * Fuzzing the estate YAML loader: any text — random, or a valid estate mutated — yields an
 * estate or a ModelValidationError whose issues carry a line; nothing else escapes.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { ModelValidationError } from "../../../model/errors";
import { loadEstateYaml } from "../../../model/estate-loader";
import { parseYaml } from "../../../model/yaml-loader";
import { fuzz, textAround } from "../../support/fuzz";
import { pkiEstate } from "./estate-fixtures";

const valid = stringify(pkiEstate());

function onlyTyped(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    for (const issue of (error as ModelValidationError).issues) expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe("estate YAML under fuzzing", () => {
  it("the valid seed of the mutations loads", () => {
    expect(loadEstateYaml(valid, { env: {} }).target.edition).toBe("openbao");
  });

  it("loadEstateYaml: an estate or a ModelValidationError, for random and mutated text", () => {
    fuzz("estate YAML (loadEstateYaml)", textAround(valid), (text) => onlyTyped(() => loadEstateYaml(text, { env: {} })), 1_500);
  });

  it("loadEstateYaml: an estate or a ModelValidationError, for any YAML value", () => {
    fuzz(
      "estate YAML from arbitrary values",
      fc.anything(),
      (value) => onlyTyped(() => loadEstateYaml(stringify(value) ?? "", { env: {} })),
      500,
    );
  });

  it("parseYaml: parsed data or a ModelValidationError with a line", () => {
    fuzz(
      "YAML syntax (parseYaml)",
      textAround(valid),
      (text) => {
        try {
          parseYaml(text, "fuzz.yaml");
        } catch (error) {
          expect(error).toBeInstanceOf(ModelValidationError);
          for (const issue of (error as ModelValidationError).issues) expect(issue.line).toBeGreaterThan(0);
        }
      },
      1_000,
    );
  });
});
