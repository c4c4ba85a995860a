module.exports = {
  displayName: 'schema',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/schema',
};
