/**
 * Two projects: `unit` (no server) and `integration` (real OpenBao / Vault processes, started
 * and stopped by test/support). Global setup/teardown reap every server process and temp dir.
 * @type {import('jest').Config}
 */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

module.exports = {
  transform: tsJest,
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  projects: [
    { displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"], transform: tsJest, testEnvironment: "node" },
    { displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"], transform: tsJest, testEnvironment: "node" },
  ],
  testTimeout: 120000,
  maxWorkers: 2,
};
