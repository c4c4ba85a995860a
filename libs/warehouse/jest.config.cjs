module.exports = {
  displayName: 'warehouse',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/warehouse',
  // Unit specs beside the code, and integration specs that start real processes.
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/integration/**/*.spec.ts',
  ],
  // The BigQuery client sends its requests through teeny-request, which loads
  // node-fetch 3 (ESM only) with a dynamic import() that Jest's CommonJS
  // runtime cannot run without --experimental-vm-modules. teeny-request is
  // compiled like our own code (its import() becomes a require()), and
  // node-fetch resolves to the CommonJS 2.x copy in node_modules, whose API
  // is the one teeny-request uses.
  transformIgnorePatterns: ['/node_modules/(?!teeny-request/)'],
  moduleNameMapper: {
    '^node-fetch$': '<rootDir>/../../node_modules/node-fetch/lib/index.js',
  },
};
