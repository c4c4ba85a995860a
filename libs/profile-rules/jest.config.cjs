module.exports = {
  displayName: 'profile-rules',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/profile-rules',
};
