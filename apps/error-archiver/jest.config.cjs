module.exports = {
  displayName: 'error-archiver',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/error-archiver',
};
