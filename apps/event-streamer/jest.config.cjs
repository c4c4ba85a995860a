module.exports = {
  displayName: 'event-streamer',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/event-streamer',
};
