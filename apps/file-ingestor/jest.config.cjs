module.exports = {
  displayName: 'file-ingestor',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/file-ingestor',
};
