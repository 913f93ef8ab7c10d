/**
 * Jest for `npm run test:mutation` (StrykerJS): the unit project only, no global setup — the
 * mutated modules are pure and their unit tests start no server.
 * @type {import('jest').Config}
 */
module.exports = {
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
  testEnvironment: "node",
  testTimeout: 120000,
};
