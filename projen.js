// The `cdk8s-devsecops/projen` entry point: the platform repository project type (see lib/projen).
module.exports = require('./lib/projen');
