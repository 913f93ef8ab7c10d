/**
 * `npm run api:check` / `npm run api:update`: the public API of every subpath the package exports
 * (package.json `exports`), as API Extractor reports in etc/api/<subpath>.api.md. `api:check`
 * fails when the built declarations differ from the checked-in report, so the surface changes only
 * on purpose: run `api:update` and commit the report with the change. Reads dist/ (run the build first).
 *
 * API Extractor (Microsoft's, the tool TypeScript libraries use for this) rather than a hand-made
 * export lister: it follows re-exports and types through the declarations and reports the
 * signatures, so a changed parameter shows up, not only an added or removed name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Extractor, ExtractorConfig, IConfigFile } from "@microsoft/api-extractor";

const ROOT = join(__dirname, "..");
const update = process.argv.includes("--update");

interface ExportTarget {
  readonly types?: string;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, ExportTarget | string> };
const base = ExtractorConfig.loadFile(join(ROOT, "etc/api/api-extractor.json"));

/** Each declaration entry point once, named after its subpath (`./stacks/pulumi` → `stacks-pulumi`). */
const entries = new Map<string, string>();
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (typeof target === "string" || !target.types) continue;
  const name = subpath === "." ? "runtime" : subpath.slice(2).replace(/\//g, "-");
  if (![...entries.values()].includes(target.types)) entries.set(name, target.types);
}

let failed = 0;
for (const [name, types] of entries) {
  const configObject: IConfigFile = {
    ...base,
    projectFolder: ROOT,
    mainEntryPointFilePath: join(ROOT, types),
    apiReport: { ...base.apiReport, enabled: true, reportFileName: name },
  };
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: join(ROOT, "etc/api/api-extractor.json"),
    packageJsonFullPath: join(ROOT, "package.json"),
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: (m) => (m.handled = true) });
  const changed = result.apiReportChanged;
  if (!result.succeeded || (changed && !update)) failed++;
  process.stdout.write(
    `${name.padEnd(14)} ${changed ? (update ? "report updated" : "API CHANGED — run npm run api:update and commit etc/api/" + name + ".api.md") : "unchanged"}\n`,
  );
}
if (failed > 0) {
  process.stderr.write(`api-report: ${failed} entry point(s) differ from etc/api/: review the change, then npm run api:update\n`);
  process.exitCode = 1;
}
