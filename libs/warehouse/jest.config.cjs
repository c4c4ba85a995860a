module.exports = {
  displayName: 'warehouse',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/warehouse',
  // Unit specs beside the code, and integration specs that start real processes.
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/integration/**/*.spec.ts',
  ],
};
