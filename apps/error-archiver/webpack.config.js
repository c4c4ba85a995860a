module.exports = require('../../tools/webpack/node-service.webpack')(__dirname);
