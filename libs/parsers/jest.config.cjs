module.exports = {
  displayName: 'parsers',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/parsers',
};
