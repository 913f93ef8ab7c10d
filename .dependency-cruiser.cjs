/**
 * Import-cycle check (`npm run lint:cycles`, part of `npm run lint`): no cycle between files, none
 * between folders (a folder that imports another may not be imported back by it, directly or
 * through others), and the top-level layers point one way:
 *   runtime  <-  policies  <-  model  <-  drift  <-  constructs  <-  stacks  <-  cli
 * (runtime imports none of ours; the CLI may use them all). Type-only imports count: a cycle of
 * types is still a knot in the design.
 */
/** One rule per layer: it may not import any layer listed after it. */
function layers(order) {
  return order.slice(0, -1).map((layer, i) => ({
    name: `layer-${layer}`,
    severity: "error",
    comment: `${layer} is below ${order.slice(i + 1).join(", ")}: it may not import them`,
    from: { path: `^${layer}/` },
    to: { path: `^(${order.slice(i + 1).join("|")})/` },
  }));
}

module.exports = {
  forbidden: [
    {
      name: "no-file-cycle",
      severity: "error",
      comment: "Two modules that import each other (directly or through others) cannot be understood or moved apart.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      severity: "error",
      comment: "A folder's imports must point one way: lower layers never import the layers above them.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    ...layers(["runtime", "policies", "model", "drift", "constructs", "stacks", "cli"]),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|test/fixtures/import-rules)/" },
  },
};
