/**
 * `tsx examples/ci/drift-report.ts <stack>=<plan.json> ...` — judge the JSON of
 * `terraform show -json <planfile>` for each stack, print what changed, exit 0 (clean),
 * 2 (drift) or 1 (error). Used by the workflow next to this file.
 */
import { readFileSync } from "node:fs";
import { KNOWN_FLAPPING_ATTRIBUTES, analysePlan, combineReports, DriftReport } from "../../constructs/drift/plan-drift";

/** Judge `args` (`stack=path` pairs) and return the combined exit code and text. */
export function driftReport(
  args: readonly string[],
  read: (path: string) => string = (p) => readFileSync(p, "utf8"),
): { exitCode: 0 | 1 | 2; text: string } {
  if (args.length === 0) return { exitCode: 1, text: "usage: drift-report <stack>=<plan.json> ...\n" };
  const reports: DriftReport[] = args.map((arg) => {
    const [stack, path] = arg.includes("=") ? (arg.split("=", 2) as [string, string]) : [arg, arg];
    let text: string;
    try {
      text = read(path);
    } catch (e) {
      const error = `cannot read ${path}: ${(e as Error).message}`;
      return { exitCode: 1, resources: [], error, text: `${stack}: error: ${error}\n` };
    }
    return analysePlan(text, { stack, ignoreAttributes: KNOWN_FLAPPING_ATTRIBUTES });
  });
  return combineReports(reports);
}

if (require.main === module) {
  const { exitCode, text } = driftReport(process.argv.slice(2));
  process.stdout.write(text);
  process.exit(exitCode);
}
