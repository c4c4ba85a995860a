module.exports = {
  displayName: 'warehouse',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/warehouse',
};
