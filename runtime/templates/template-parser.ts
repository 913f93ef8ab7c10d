/**
 * The configuration template syntax: text with references in `{{ … }}`.
 *
 * A reference is a source and its arguments, separated by blanks, then optional filters after
 * `|`. Arguments are bare words or double-quoted strings with JSON escapes.
 *
 *   {{ kv <mount> <path> <field> }}              a KV v2 secret's field (latest version)
 *   {{ database <name> username|password }}      dynamic credentials a LeaseManager keeps under <name>
 *   {{ static <mount> <role> username|password }} a database static role's current credentials
 *   {{ pki <name> certificate|private_key|issuing_ca|ca_chain|serial|not_after }}
 *                                               a certificate a CertificateManager keeps under <name>
 *   {{ transit <mount> <key> decrypt "<vault:v1:…>" }}  the plaintext of a ciphertext (UTF-8)
 *   {{ transit <mount> <key> latest_version }}  the key's newest version
 *   {{ "text" }}                                a literal (write `{{ "{{" }}` for a literal `{{`)
 *
 * Filters: `quote` (a JSON string: valid in YAML, `.env` and properties values), `base64`, `trim`.
 *
 * The whole template is parsed before any value is fetched, so a syntax error is reported with
 * its line and nothing is read; the set of references is what a watched template follows.
 */
import { TemplateSyntaxError } from "./template-errors";

/** What a reference reads. */
export type TemplateSource =
  | { readonly kind: "kv"; readonly mount: string; readonly path: string; readonly field: string }
  | { readonly kind: "database"; readonly name: string; readonly field: "username" | "password" }
  | { readonly kind: "static"; readonly mount: string; readonly role: string; readonly field: "username" | "password" }
  | { readonly kind: "pki"; readonly name: string; readonly field: PkiField }
  | { readonly kind: "transit-decrypt"; readonly mount: string; readonly key: string; readonly ciphertext: string }
  | { readonly kind: "transit-version"; readonly mount: string; readonly key: string }
  | { readonly kind: "literal"; readonly text: string };

/** Fields of a managed certificate a template may use. */
export type PkiField = "certificate" | "private_key" | "issuing_ca" | "ca_chain" | "serial" | "not_after";

/** Filters applied to a value, left to right. */
export type TemplateFilter = "quote" | "base64" | "trim";

/** One `{{ … }}`. */
export interface TemplateReference {
  readonly source: TemplateSource;
  readonly filters: readonly TemplateFilter[];
  /** 1-based position of its `{{`. */
  readonly line: number;
  readonly column: number;
  /** The reference as written, without the braces (names only: a template holds no secrets). */
  readonly text: string;
}

/** A parsed template: text pieces and references, in order. */
export interface ParsedTemplate {
  readonly name: string;
  readonly parts: readonly (string | TemplateReference)[];
  readonly references: readonly TemplateReference[];
}

const FILTERS: ReadonlySet<string> = new Set(["quote", "base64", "trim"]);
const PKI_FIELDS: ReadonlySet<string> = new Set(["certificate", "private_key", "issuing_ca", "ca_chain", "serial", "not_after"]);
const TOKEN = /"(?:[^"\\]|\\.)*"|\||[^\s|"]+/g;

/** Parse `text` (named `name` in errors). */
export function parseTemplate(name: string, text: string): ParsedTemplate {
  const parts: (string | TemplateReference)[] = [];
  const references: TemplateReference[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{{", at);
    if (open < 0) {
      parts.push(text.slice(at));
      break;
    }
    if (open > at) parts.push(text.slice(at, open));
    const { line, column } = position(text, open);
    const close = text.indexOf("}}", open + 2);
    const nextOpen = text.indexOf("{{", open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close && !insideString(text.slice(open + 2, close))))
      throw new TemplateSyntaxError(name, line, column, "`{{` is not closed by `}}`");
    const inner = text.slice(open + 2, close).trim();
    const reference = parseReference(name, inner, line, column);
    parts.push(reference);
    references.push(reference);
    at = close + 2;
  }
  return { name, parts, references };
}

/** Whether an unterminated string makes the `{{` inside it literal. */
function insideString(inner: string): boolean {
  return /"(?:[^"\\]|\\.)*\{\{/.test(inner);
}

function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

function parseReference(name: string, inner: string, line: number, column: number): TemplateReference {
  const fail = (detail: string): never => {
    throw new TemplateSyntaxError(name, line, column, detail);
  };
  if (inner.length === 0) fail("empty reference `{{ }}`");
  // Stryker disable next-line ArrayDeclaration: equivalent: no token at all means a lone `"`, which the check below refuses either way.
  const tokens: string[] = inner.match(TOKEN) ?? [];
  if (tokens.join("").replace(/\s/g, "") !== inner.replace(/\s/g, "")) fail(`cannot read \`${inner}\` (an unterminated string?)`);
  const pipe = tokens.indexOf("|");
  const words = (pipe < 0 ? tokens : tokens.slice(0, pipe)).map((t) => unquote(t, fail));
  const filters: TemplateFilter[] = [];
  if (pipe >= 0) {
    const rest = tokens.slice(pipe);
    for (let i = 0; i < rest.length; i += 2) {
      const filter = rest[i + 1];
      if (rest[i] !== "|" || filter === undefined || filter === "|") fail("a `|` must be followed by one filter name");
      if (!FILTERS.has(filter)) fail(`unknown filter "${filter}" (known: ${[...FILTERS].join(", ")})`);
      filters.push(filter as TemplateFilter);
    }
  }
  if (words.length === 0) fail("a reference needs a source before its first `|`");
  const [head, ...args] = words;
  // Stryker disable next-line OptionalChaining,BooleanLiteral,MethodExpression: equivalent: there is a first token here, and a token that starts with `"` is a whole string, ending with one.
  const isLiteral = tokens[0]?.startsWith('"') ?? false;
  if (isLiteral && args.length > 0) fail("a literal takes no arguments");
  const source: TemplateSource = isLiteral ? { kind: "literal", text: head } : sourceOf(head, args, fail);
  return { source, filters, line, column, text: inner };
}

function sourceOf(head: string, args: readonly string[], fail: (detail: string) => never): TemplateSource {
  const count = (n: number, usage: string): void => {
    if (args.length !== n) fail(`\`${head}\` takes ${n} argument(s): {{ ${usage} }}`);
    if (args.some((a) => a.length === 0)) fail(`\`${head}\` arguments must not be empty`);
  };
  switch (head) {
    case "kv":
      count(3, "kv <mount> <path> <field>");
      return { kind: "kv", mount: args[0], path: args[1], field: args[2] };
    case "database":
      count(2, "database <name> username|password");
      return { kind: "database", name: args[0], field: credentialField(args[1], fail) };
    case "static":
      count(3, "static <mount> <role> username|password");
      return { kind: "static", mount: args[0], role: args[1], field: credentialField(args[2], fail) };
    case "pki":
      count(2, "pki <name> certificate|private_key|issuing_ca|ca_chain|serial|not_after");
      if (!PKI_FIELDS.has(args[1])) fail(`unknown certificate field "${args[1]}" (known: ${[...PKI_FIELDS].join(", ")})`);
      return { kind: "pki", name: args[0], field: args[1] as PkiField };
    case "transit":
      if (args[2] === "decrypt") {
        count(4, 'transit <mount> <key> decrypt "<ciphertext>"');
        return { kind: "transit-decrypt", mount: args[0], key: args[1], ciphertext: args[3] };
      }
      if (args[2] === "latest_version") {
        count(3, "transit <mount> <key> latest_version");
        return { kind: "transit-version", mount: args[0], key: args[1] };
      }
      return fail('`transit` takes `<mount> <key> decrypt "<ciphertext>"` or `<mount> <key> latest_version`');
    default:
      return fail(`unknown source "${head}" (known: kv, database, static, pki, transit, or a "quoted literal")`);
  }
}

function credentialField(value: string, fail: (detail: string) => never): "username" | "password" {
  if (value !== "username" && value !== "password") fail(`credential field must be username or password, got "${value}"`);
  return value as "username" | "password";
}

function unquote(token: string, fail: (detail: string) => never): string {
  // Stryker disable next-line MethodExpression: equivalent: a token that starts with `"` is a whole string, ending with one; a bare word has none.
  if (!token.startsWith('"')) return token;
  try {
    return JSON.parse(token) as string;
  } catch {
    return fail(`bad string ${token}`);
  }
}
