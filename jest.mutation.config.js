/**
 * Jest for `npm run test:mutation` (StrykerJS): only unit tests, which start no server. The test
 * files are those tools/mutation.ts names for the module under test (VAULTSMITH_MUTATION_TESTS,
 * comma-separated), else every `testFiles` entry of stryker.config.json. Stryker's --testFiles
 * narrows only its initial run: each mutant's run asks Jest for all tests related to the mutated
 * file, and Jest loads every one of those suites even when none of their tests is selected.
 * @type {import('jest').Config}
 */
// A CommonJS config file: Jest loads it with require, so it reads its inputs the same way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { env } = require("node:process");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testFiles } = require("./stryker.config.json");

const files = env.VAULTSMITH_MUTATION_TESTS ? env.VAULTSMITH_MUTATION_TESTS.split(",") : testFiles;

module.exports = {
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testMatch: files.map((pattern) => `<rootDir>/${pattern}`),
  testEnvironment: "node",
  testTimeout: 120000,
};
