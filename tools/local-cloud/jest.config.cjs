module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/local-cloud',
  // Unit specs beside the code, and specs against the emulators over real
  // sockets under integration/.
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/integration/**/*.spec.ts',
  ],
};
