/**
 * Finds where things are in policy source text so errors can name a line. This is not a parser
 * (the HCL parser is `@cdktf/hcl2json`); it only skips strings and comments and tracks braces to
 * locate `path "<pattern>" {` blocks and the keys written inside them.
 */

/** One located `path` block. */
export interface LocatedBlock {
  /** The pattern as written (unescaped). */
  readonly path: string;
  /** 1-based line of the `path` keyword. */
  readonly line: number;
  /** 1-based line of each key's first appearance inside the block. */
  readonly keyLines: ReadonlyMap<string, number>;
}

/** Locate every top-level `path` block (HCL) or `"path"` member's entries (JSON), in source order. */
export function locatePathBlocks(text: string): LocatedBlock[] {
  const blocks: { path: string; line: number; keyLines: Map<string, number> }[] = [];
  let depth = 0;
  let line = 1;
  let i = 0;
  let current: { path: string; line: number; keyLines: Map<string, number>; depth: number } | undefined;
  let pendingPath: { path: string; line: number } | undefined;
  let jsonPathDepth: number | undefined;
  let lastWord: { word: string; line: number } | undefined;
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") line++;
      i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      i += 2;
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) {
        if (text[i] === "\n") line++;
        i++;
      }
      i += 2;
      continue;
    }
    if (c === '"') {
      const at = line;
      const value = readString();
      if (lastWord?.word === "path" && depth === 0) pendingPath = { path: value, line: lastWord.line };
      else if (jsonPathDepth !== undefined && depth === jsonPathDepth + 1 && isFollowedByColon(text, i)) {
        current = { path: value, line: at, keyLines: new Map(), depth: depth + 1 };
        blocks.push(current);
      } else if (depth === 1 && value === "path" && isFollowedByColon(text, i)) jsonPathDepth = 1;
      else if (current && depth === current.depth && !current.keyLines.has(value) && isFollowedByAssign(text, i))
        current.keyLines.set(value, at);
      lastWord = undefined;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i])) i++;
      const word = text.slice(start, i);
      if (current && depth === current.depth && !current.keyLines.has(word)) current.keyLines.set(word, line);
      lastWord = { word, line };
      continue;
    }
    if (c === "{") {
      depth++;
      if (pendingPath && depth === 1) {
        current = { ...pendingPath, keyLines: new Map(), depth: 1 };
        blocks.push(current);
      }
      pendingPath = undefined;
    } else if (c === "}") {
      if (current && depth === current.depth) current = undefined;
      depth--;
      if (jsonPathDepth !== undefined && depth <= jsonPathDepth) jsonPathDepth = undefined;
    } else if (c === "[") depth++;
    else if (c === "]") depth--;
    if (c !== " " && c !== "\t" && c !== "\r") lastWord = undefined;
    i++;
  }
  return blocks;
}

function isFollowedByColon(text: string, from: number): boolean {
  return /^\s*:/.test(text.slice(from, from + 64));
}

function isFollowedByAssign(text: string, from: number): boolean {
  return /^\s*[=:{]/.test(text.slice(from, from + 64));
}

/** 1-based line and column of character offset `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
