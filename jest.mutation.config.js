/**
 * Jest for `npm run test:mutation` (StrykerJS): only unit tests, which start no server. The test
 * files are those tools/mutation.ts names for the module under test (VAULTSMITH_MUTATION_TESTS,
 * comma-separated), else every test file of tools/mutation-modules.json (a plain `stryker run`).
 * A short list matters: each mutant's run loads every test file Jest selects, even when none of
 * their tests is picked by Stryker's per-test filter.
 * @type {import('jest').Config}
 */
// A CommonJS config file: Jest loads it with require, so it reads its inputs the same way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { env } = require("node:process");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const modules = require("./tools/mutation-modules.json");

const files = env.VAULTSMITH_MUTATION_TESTS ? env.VAULTSMITH_MUTATION_TESTS.split(",") : [...new Set(Object.values(modules).flat())];

module.exports = {
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testMatch: files.map((pattern) => `<rootDir>/${pattern}`),
  testEnvironment: "node",
  testTimeout: 120000,
};
