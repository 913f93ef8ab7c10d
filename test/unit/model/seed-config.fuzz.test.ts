/**
 * Fuzzing the `vault_integration` loader (model's seed loader) and what the runtime builds from
 * its result (runtime/config): random and mutated text yields a configuration or a
 * ModelValidationError; a configuration that loads yields client options or a ClientConfigError.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { ModelValidationError } from "../../../model/errors";
import { loadSeedConfig } from "../../../model/seed-config";
import { ClientConfigError, clientOptionsFromConfig } from "../../../runtime/config/client-from-config";
import { fuzz, textAround } from "../../support/fuzz";

const valid = readFileSync(join(__dirname, "../../../examples/cdktf/vault_integration.yaml"), "utf8");
const env = { VAULT_ROLE_ID: "role", VAULT_SECRET_ID: "secret" };
/** PEM files are not read from disk: every path reads as a fixed, unusable PEM. */
const readPem = (): string => "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function loadAndBuild(text: string): void {
  let config;
  try {
    config = loadSeedConfig(text, { env, envMode: "report" }).config;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    return;
  }
  try {
    clientOptionsFromConfig(config, { readPem });
  } catch (error) {
    expect(error).toBeInstanceOf(ClientConfigError);
  }
}

describe("vault_integration YAML under fuzzing", () => {
  it("the valid seed of the mutations loads", () => {
    expect(loadSeedConfig(valid, { env }).config.engines.kv?.mount_path).toBe("secret");
  });

  it("random and mutated text: a configuration or a ModelValidationError, then options or a ClientConfigError", () => {
    fuzz("vault_integration YAML (loadSeedConfig + clientOptionsFromConfig)", textAround(valid), loadAndBuild, 1_000);
  });

  it("any value under vault_integration: the same", () => {
    fuzz(
      "vault_integration from arbitrary values",
      fc.anything(),
      (value) => loadAndBuild(stringify({ vault_integration: value }) ?? ""),
      500,
    );
  });
});
