const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join, relative } = require('path');

/**
 * The webpack configuration every Node process of the workspace builds with:
 * one bundle at dist/<project folder>/main.js, a generated package.json of
 * only the dependencies the bundle uses, and source maps.
 *
 * @param {string} projectDir the project's folder (its __dirname)
 * @param {{ additionalEntryPoints?: { entryName: string, entryPath: string }[] }} [extra]
 */
module.exports = (projectDir, extra = {}) => ({
  output: {
    path: join(__dirname, '../../dist', relative(join(__dirname, '../..'), projectDir)),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
      ...extra,
    }),
  ],
});
