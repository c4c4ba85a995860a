module.exports = require('../webpack/node-service.webpack')(__dirname);
