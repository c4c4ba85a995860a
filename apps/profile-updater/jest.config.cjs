module.exports = {
  displayName: 'profile-updater',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/profile-updater',
};
