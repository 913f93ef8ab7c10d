/**
 * The "Composing stacks" section of docs/constructs.md runs as written: every ```ts block of the
 * section is named (`ts composing:<name>`), type-checked against the real entry points (the
 * `vaultsmith/cdktf` import resolves to constructs/cdktf), transpiled and run with the app's
 * output directory in a temp folder; then what the docs say about it is checked on the
 * synthesized stacks. A block without expectations here, or expectations without a block, fail.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "../../..");
const DOC = join(ROOT, "docs/constructs.md");

interface Snippet {
  readonly name: string;
  readonly line: number;
  readonly code: string;
}

/** The named TypeScript blocks of the "Composing stacks" section. */
function snippets(): Snippet[] {
  const text = readFileSync(DOC, "utf8");
  const start = text.indexOf("\n## Composing stacks\n");
  if (start < 0) throw new Error('docs/constructs.md has no "## Composing stacks" section');
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const firstLine = text.slice(0, start).split("\n").length;
  const out: Snippet[] = [];
  const fence = /^```(\S*)(?: (\S+))?\n([\s\S]*?)^```$/gm;
  for (const m of section.matchAll(fence)) {
    const line = firstLine + section.slice(0, m.index).split("\n").length - 1;
    if (m[1] !== "ts") throw new Error(`docs/constructs.md:${line}: a block of "Composing stacks" is not \`ts\` (every snippet is run)`);
    if (!m[2]?.startsWith("composing:")) throw new Error(`docs/constructs.md:${line}: name the block (\`ts composing:<name>\`)`);
    out.push({ name: m[2].slice("composing:".length), line, code: m[3] });
  }
  return out;
}

/** Type errors of `code` with `vaultsmith/cdktf` mapped to the source entry point. */
function typeErrors(snippet: Snippet): string[] {
  const file = join(ROOT, "test/unit/docs", `__snippet_${snippet.name}.ts`);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: { "vaultsmith/cdktf": ["constructs/cdktf/index.ts"] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === file ? snippet.code : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === file || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, onError, create) => (f === file ? ts.createSourceFile(f, snippet.code, v) : getSource(f, v, onError, create));
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map(
      (d) =>
        `docs/constructs.md:${snippet.line + 1 + (d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line : 0)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
}

/** Run the snippet; returns the output directory its App synthesized into. */
function run(snippet: Snippet): string {
  const outdir = mkdtempSync(join(tmpdir(), `doc-snippet-${snippet.name}-`));
  const js = ts.transpileModule(snippet.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const modules: Record<string, unknown> = {
    cdktf: jest.requireActual("cdktf"),
    "vaultsmith/cdktf": jest.requireActual("../../../constructs/cdktf"),
  };
  const req = (id: string): unknown => {
    if (!(id in modules)) throw new Error(`snippet ${snippet.name} imports "${id}", which the docs test does not provide`);
    return modules[id];
  };
  const previous = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    new Function("require", "exports", js)(req, {});
  } finally {
    if (previous === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = previous;
  }
  return outdir;
}

interface Synthesized {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

const stackOf = (outdir: string, name: string): Synthesized =>
  JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Synthesized;
const manifestOf = (outdir: string) =>
  JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
const policyOf = (s: Synthesized): string => String(Object.values(s.resource?.vault_policy ?? {})[0]?.policy);

/** What the section says about each snippet. */
const EXPECTATIONS: Readonly<Record<string, (outdir: string) => void>> = {
  objects: (outdir) => {
    const app = stackOf(outdir, "app");
    const platform = stackOf(outdir, "platform");
    // the app-owned role lives in the app stack and reads the CA through remote state
    expect(Object.keys(app.resource?.vault_pki_secret_backend_role ?? {})).toHaveLength(1);
    expect(platform.resource?.vault_pki_secret_backend_role).toBeUndefined();
    expect(Object.keys(app.data ?? {})).toEqual(["terraform_remote_state"]);
    expect(Object.keys(platform.output ?? {}).every((k) => k.startsWith("cross-stack-output-"))).toBe(true);
    // grants need literals only
    expect(policyOf(app)).toContain('path "pki-int/issue/app-server"');
    expect(policyOf(app)).toContain('path "secret/data/app/*"');
    expect(policyOf(app)).toContain('path "transit/encrypt/app"');
    // cdktf records the dependency itself
    expect(manifestOf(outdir).stacks.app.dependencies).toEqual(["platform"]);
  },
  importers: (outdir) => {
    const app = stackOf(outdir, "app");
    // nothing crosses through state; the order comes from addDependency
    expect(app.data).toBeUndefined();
    expect(stackOf(outdir, "platform").output).toBeUndefined();
    expect(manifestOf(outdir).stacks.app.dependencies).toEqual(["platform"]);
    const role = Object.values(app.resource?.vault_pki_secret_backend_role ?? {})[0];
    expect([role.backend, role.issuer_ref]).toEqual(["pki-int", "default"]);
    for (const path of ["pki-int/issue/app-server", "pki-int/sign/server", "secret/data/app/*", "transit/encrypt/app"]) {
      expect(policyOf(app)).toContain(`path "${path}"`);
    }
  },
};

describe('docs/constructs.md "Composing stacks" runs as written', () => {
  const found = snippets();

  it("has a check for every snippet and a snippet for every check", () => {
    expect(found.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  it.each(found.map((s) => [s.name, s] as const))("%s: type-checks, runs and synthesizes what the docs say", (name, snippet) => {
    expect(typeErrors(snippet)).toEqual([]);
    EXPECTATIONS[name](run(snippet));
  });
});
