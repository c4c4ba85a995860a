module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/local-cloud',
};
