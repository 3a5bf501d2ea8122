#!/usr/bin/env bash
# The peer dependency ranges promise that the oldest versions they admit work. This installs
# exactly those floors (the lower bound of each range in package.json, projen excepted: it is only
# the optional peer of the cdk8s-devsecops/projen entry point) over the development tree, then
# type-checks and runs the tests against them. Run it last: it leaves the floors installed
# (`npm ci` restores the locked versions).
set -euo pipefail
cd "$(dirname "$0")/.."
floors="$(node -p "Object.entries(require('./package.json').peerDependencies)
  .filter(([n]) => n !== 'projen')
  .map(([n, r]) => { const m = /^\\^(\\d+\\.\\d+\\.\\d+)$/.exec(r); if (!m) throw new Error(n + ': peer range ' + r + ' is not ^x.y.z'); return n + '@' + m[1]; })
  .join(' ')")"
echo "installing the peer floors: $floors"
npm install --no-save --no-audit --no-fund --loglevel=error $floors
node -e "for (const s of process.argv.slice(1)) { const [n, v] = s.split(/@(?=[^@]+$)/); const got = require(n + '/package.json').version; if (got !== v) { console.error(n + ' is ' + got + ', not the floor ' + v); process.exit(1); } }" $floors
npx tsc --noEmit -p test/tsconfig.json
npx jest --ci --silent --coverage=false
echo "the tests pass with the peer floors: $floors"
