module.exports = {
  displayName: 'pipeline-e2e',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Each spec file runs whole stacks of real processes: on two cores, files
  // side by side would only slow each other down past their deadlines.
  maxWorkers: 1,
  testTimeout: 300_000,
  globalSetup: '<rootDir>/src/support/global-setup.ts',
};
