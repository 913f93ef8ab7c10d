/** Load an estate (the model the constructs compile) from YAML, with line-numbered errors. */
import { resolveEnv } from "./env";
import { ModelValidationError } from "./errors";
import { parseEstate } from "./rules";
import { locateIssues, unsetEnvIssues } from "./validation";
import { Estate } from "./schema";
import { parseYaml } from "./yaml-loader";

/** Options of {@link loadEstateYaml}. */
export interface LoadEstateOptions {
  /** File name used in messages. @default "estate.yaml" */
  readonly file?: string;
  /** Environment `${NAME}` references are resolved from; every reference must resolve. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Parse estate YAML (camelCase keys, as in {@link Estate}).
 * @throws ModelValidationError with file, line and field path.
 */
export function loadEstateYaml(text: string, options: LoadEstateOptions = {}): Estate {
  const file = options.file ?? "estate.yaml";
  const { data, locate } = parseYaml(text, file);
  const { value, unresolved } = resolveEnv(data, options.env ?? process.env);
  if (unresolved.length > 0) {
    throw new ModelValidationError(locateIssues(unsetEnvIssues(unresolved), { file, locate }));
  }
  return parseEstate(value, { file, locate });
}
