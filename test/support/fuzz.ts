/**
 * Fuzzing helpers on fast-check: run a property a fixed number of times and print how many cases
 * ran (so the report can state it), and mutate valid text the way broken files come in —
 * characters flipped, dropped, duplicated, lines cut or swapped.
 */
import fc from "fast-check";

/** Print the cases a fuzz property ran, for the closing note. */
export function recordCases(name: string, runs: number): void {
  process.stderr.write(`[fuzz] ${name}: ${runs} cases\n`);
}

/** Run `property` `numRuns` times (sync), then record the cases. */
export function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => void, numRuns: number): void {
  let ran = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      ran++;
      check(value);
    }),
    { numRuns },
  );
  recordCases(name, ran);
}

/** Run an async `property` `numRuns` times, then record the cases. */
export async function fuzzAsync<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  numRuns: number,
): Promise<void> {
  let ran = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      ran++;
      await check(value);
    }),
    { numRuns },
  );
  recordCases(name, ran);
}

type Edit = { kind: "flip" | "drop" | "dup" | "cut-line" | "swap-lines" | "insert"; at: number; char: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom("flip", "drop", "dup", "cut-line", "swap-lines", "insert"),
  at: fc.nat(),
  char: fc.constantFrom(..."{}[]:\"',-#\n\t \\=*!&|>%@`0aZ\u0000é"),
});

function apply(text: string, e: Edit): string {
  if (text.length === 0) return e.char;
  const i = e.at % text.length;
  switch (e.kind) {
    case "flip":
      return text.slice(0, i) + e.char + text.slice(i + 1);
    case "drop":
      return text.slice(0, i) + text.slice(i + 1);
    case "dup":
      return text.slice(0, i) + text[i] + text.slice(i);
    case "insert":
      return text.slice(0, i) + e.char + text.slice(i);
    case "cut-line":
    case "swap-lines": {
      const lines = text.split("\n");
      const l = e.at % lines.length;
      if (e.kind === "cut-line") lines.splice(l, 1);
      else [lines[l], lines[(l + 1) % lines.length]] = [lines[(l + 1) % lines.length], lines[l]];
      return lines.join("\n");
    }
  }
}

/** `valid` with 1–8 random edits. */
export function mutated(valid: string): fc.Arbitrary<string> {
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => edits.reduce(apply, valid));
}

/** Random text of the kinds parsers see: arbitrary Unicode, mutations of `valid`, and `valid` cut short. */
export function textAround(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    mutated(valid),
    mutated(valid),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
  );
}
