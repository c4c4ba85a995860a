module.exports = {
  displayName: 'stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/stack',
  // Unit specs beside the code; integration specs run the built services as
  // real processes, so the global setup builds them first (a cache hit once built).
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/integration/**/*.spec.ts',
  ],
  globalSetup: '<rootDir>/integration/global-setup.ts',
};
