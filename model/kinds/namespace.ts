/**
 * The namespace kind: schema, graph descriptor and construct props.
 */
import { AttrRef, compact, FragmentOptions, ownerId, ResourceDescriptor, StringValue } from "../graph";
import { z } from "zod";

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
