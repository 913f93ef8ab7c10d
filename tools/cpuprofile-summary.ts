/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by file
 * (node_modules package or project file), top entries first. Usage: `tsx tools/cpuprofile-summary.ts <file> [top]`.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(url: string): string {
  if (url === "") return "(native/VM)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return url;
  const idx = url.indexOf("/wt-");
  return idx >= 0 ? url.slice(url.indexOf("/", idx + 1) + 1) : url;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx tools/cpuprofile-summary.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  total += dt;
  const { functionName, url, lineNumber } = node.callFrame;
  const fn = `${functionName || "(anonymous)"} ${where(url)}:${lineNumber + 1}`;
  selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + dt);
  const f = where(url);
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + dt);
  // Inclusive time of every function on the stack (each counted once per sample).
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame && frame.url !== "") onStack.add(`${frame.functionName || "(anonymous)"} ${where(frame.url)}:${frame.lineNumber + 1}`);
  }
  for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
});
const show = (title: string, map: Map<string, number>): void => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
};
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms`);
show("self time by file / package", selfByFile);
show("self time by function", selfByFn);
show("inclusive time by function", inclusive);
