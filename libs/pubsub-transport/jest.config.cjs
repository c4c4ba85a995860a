module.exports = {
  displayName: 'pubsub-transport',
  preset: '../../jest.preset.js',
  // Unit specs beside the code; integration specs against the Pub/Sub emulator.
  roots: ['<rootDir>/src', '<rootDir>/integration'],
  coverageDirectory: '../../coverage/libs/pubsub-transport',
};
