module.exports = {
  displayName: 'pubsub-transport',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/pubsub-transport',
};
