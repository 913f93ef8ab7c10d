/**
 * `npm run test:deploy`: the acceptance suite (not part of `npm test`, like a terraform
 * provider's acceptance tests). It synthesizes the stacks, applies them with terraform and the
 * real terraform-provider-vault against OpenBao dev servers and 3-node TLS Raft clusters (the
 * Cassandra estate's database engine against a real Cassandra), checks the live servers, plans
 * again, drifts, and destroys. Global setup stops at once when no provider can be installed.
 * One worker: a Cassandra node and three OpenBao nodes already fill a 2-core machine.
 * @type {import('jest').Config}
 */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

module.exports = {
  displayName: "deploy",
  transform: tsJest,
  testEnvironment: "node",
  testMatch: ["<rootDir>/test/deploy/**/*.test.ts"],
  globalSetup: "<rootDir>/test/deploy/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  testTimeout: 900000,
  maxWorkers: 1,
};
