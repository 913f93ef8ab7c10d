/**
 * The namespace kind: schema, graph descriptor and construct props.
 */
import { AttrRef, compact, FragmentOptions, ownerId, ResourceDescriptor, StringValue } from "../graph";
import { z } from "zod";
import { throwLabelled, validateLabelled } from "../validation";

/** A namespace (nested ones name their parent). */
export const namespaceSchema = z.strictObject({
  path: z.string().regex(/^[A-Za-z0-9_-]+$/, "a namespace path is one segment; nest with `parent`"),
  parent: z.string().optional(),
  customMetadata: z.record(z.string(), z.string()).optional(),
});

/** Canonical namespace. */
export type NamespaceSpec = z.output<typeof namespaceSchema>;

/** A namespace; `parent` is the parent namespace's full path (a reference for one the graph creates). */
export function namespaceDescriptor(
  spec: NamespaceSpec,
  parent: StringValue | undefined,
  options: FragmentOptions,
): { resource: ResourceDescriptor; pathFq: AttrRef } {
  const resource: ResourceDescriptor = {
    type: "vault_namespace",
    id: `${ownerId(options.owner)}.namespace`,
    attributes: compact({ path: spec.path, namespace: parent ?? options.namespace, custom_metadata: spec.customMetadata }),
  };
  return { resource, pathFq: new AttrRef(resource.id, "path_fq") };
}

/** Props of `Namespace`. */
export interface NamespaceProps {
  /** Path segment of the namespace (nest by creating it inside another Namespace). */
  readonly path: string;
  /** Custom metadata. @default none */
  readonly customMetadata?: Readonly<Record<string, string>>;
}

/** A namespace, created here or imported: constructs created inside it are created in it. */
export interface INamespace {
  /** The path as given (one segment for a created namespace; an imported one may name several). */
  readonly path: string;
  /** Graph value of the fully qualified path (relative to the provider's namespace). */
  readonly pathFq: StringValue;
}

const importedNamespacePath = z
  .string()
  .transform((s) => s.replace(/^\/+|\/+$/g, ""))
  .refine((s) => /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(s), "expected namespace segments separated by '/' (letters, digits, '-', '_')");

/**
 * Validate the path of an imported namespace; `parent` is the enclosing namespace's full path
 * (a literal: an imported namespace cannot be nested in one this graph creates, whose full path is
 * only known at deploy time — import it with its full path instead).
 * @throws ModelValidationError naming `label`
 */
export function importNamespace(label: string, path: string, parent: StringValue | undefined): INamespace {
  const spec = validateLabelled(label, z.strictObject({ path: importedNamespacePath }), { path });
  if (parent !== undefined && typeof parent !== "string") {
    throwLabelled(label, [
      {
        path: ["path"],
        message: "cannot import a namespace inside a namespace this stack creates; import it with its full path at the stack level",
      },
    ]);
  }
  return { path: spec.path, pathFq: typeof parent === "string" ? `${parent}/${spec.path}` : spec.path };
}
