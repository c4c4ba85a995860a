module.exports = require('../../tools/webpack/node-service.webpack')(__dirname, {
  // The parser's worker threads load this file beside main.js.
  additionalEntryPoints: [
    { entryName: 'parse-worker', entryPath: 'libs/parsers/src/lib/parse-worker.ts' },
  ],
});
