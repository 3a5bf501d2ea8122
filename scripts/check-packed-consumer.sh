#!/usr/bin/env bash
# The package as users get it. Packs the compiled library (run `npx projen compile` first) and:
#   1. checks what the tarball carries (size, no sources, no dependency test data);
#   2. installs it into an empty folder with only the documented peers, loads it, synthesizes a
#      small platform, and does it again after `npm ci` from the lock file that install left;
#   3. installs it the way cdk8s-cli installs a validation plugin (npm install <pkg> --no-save
#      --prefix <plugins>/<pkg>/<version>) and loads GatekeeperValidationPlugin through cdk8s-cli's
#      own PluginManager;
#   4. starts a platform repository with `npx cdk8s-devsecops new-platform` (the projen project
#      type), then runs its test, synth (through cdk8s synth, with the validation plugin) and diff
#      tasks, and validates its manifests with ../shared/tools/kube-validate.cjs --pss when present.
# Network: the npm registry only.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
shared="$(cd .. && pwd)/shared"
max_unpacked=$((10 * 1000 * 1000))

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { printf -- '--- %s\n' "$1"; }
npmq() { npm --no-audit --no-fund --loglevel=error "$@"; }

say "pack"
npm pack --json --pack-destination "$work" > "$work/pack.json"
tarball="$work/$(node -p "require('$work/pack.json')[0].filename")"
node - "$work/pack.json" "$max_unpacked" <<'JS'
const [file, max] = process.argv.slice(2);
const p = require(file)[0];
const bad = p.files.map((f) => f.path).filter((f) =>
  /(^|\/)testdata\//.test(f) || /^src\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f))
  || /^(examples|test|scripts|bench)\//.test(f) || /^node_modules\//.test(f));
console.log(`${p.filename}: ${p.entryCount} files, ${(p.size / 1e6).toFixed(2)} MB packed, ${(p.unpackedSize / 1e6).toFixed(2)} MB unpacked`);
if (bad.length) { console.error(`the package carries files users do not need:\n  ${bad.slice(0, 20).join('\n  ')}`); process.exit(1); }
if (p.unpackedSize > Number(max)) { console.error(`unpacked size ${p.unpackedSize} exceeds ${max} bytes`); process.exit(1); }
JS

peers="$(node -p "Object.entries(require('./package.json').peerDependencies).filter(([n]) => n !== 'projen').map(([n, v]) => n + '@' + v).join(' ')")"

say "fresh install into an empty folder, with only the peers: $peers"
consumer="$work/consumer"
mkdir -p "$consumer"
cat > "$consumer/package.json" <<'JSON'
{ "name": "consumer", "version": "1.0.0", "private": true }
JSON
cat > "$consumer/main.js" <<'JS'
const { App } = require('cdk8s');
const { DevSecOpsPlatform, NetworkPeer, NetworkPort, Tier } = require('cdk8s-devsecops');
const app = new App({ outdir: process.argv[2] });
const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
const web = platform.addTenant('web', { tier: Tier.STANDARD, team: 'web-eng' });
web.allowTo(NetworkPeer.tenant(payments), [NetworkPort.tcp(8443)]);
app.synth();
JS
(cd "$consumer" && npmq install "$tarball" $peers)
(cd "$consumer" && node main.js out1 && ls out1 | grep -q 'yaml$')
say "npm ci from the lock file the install left"
(cd "$consumer" && rm -rf node_modules && npmq ci && node main.js out2)
diff -r "$consumer/out1" "$consumer/out2" > /dev/null || { echo "the two synths differ" >&2; exit 1; }
echo "synthesized $(ls "$consumer/out1" | wc -l) files, identical after npm ci"

say "validation plugin, installed and loaded the way cdk8s-cli does"
version="$(node -p "require('./package.json').version")"
plugins="$work/plugins"
mkdir -p "$plugins/cdk8s-devsecops/$version"
npmq install "$tarball" --no-save --prefix "$plugins/cdk8s-devsecops/$version" > /dev/null
node - "$root" "$plugins" "$version" "$consumer/out1" <<'JS'
const [root, plugins, version, manifests] = process.argv.slice(2);
const fs = require('fs');
const path = require('path');
const { PluginManager } = require(path.join(root, 'node_modules/cdk8s-cli/lib/plugins/_manager'));
const loaded = new PluginManager(plugins).load({ pkg: 'cdk8s-devsecops', version, class: 'GatekeeperValidationPlugin' });
if (!loaded.package.path.startsWith(plugins)) throw new Error(`plugin loaded from ${loaded.package.path}, not the plugins dir`);
const { ValidationContext } = require(path.join(root, 'node_modules/cdk8s-cli/lib/plugins/validation'));
const files = fs.readdirSync(manifests).filter((f) => f.endsWith('.yaml')).map((f) => path.join(manifests, f));
const context = new ValidationContext(files, loaded.package.pkg, loaded.package.version, {}, false);
Promise.resolve(loaded.instance.validate(context)).then(() => {
  const r = context.report;
  if (!r.success) throw new Error(`plugin report: ${JSON.stringify(r.toJson?.() ?? r)}`);
  console.log(`GatekeeperValidationPlugin from ${path.relative(plugins, loaded.package.path)}: ${files.length} files, success`);
});
JS

say "platform repository through npx cdk8s-devsecops new-platform (projen)"
platform="$work/bank-platform"
npx --yes --package "$tarball" -- cdk8s-devsecops new-platform "$platform" --devsecops-version "file:$tarball" > "$work/new-platform.log" 2>&1 \
  || { cat "$work/new-platform.log" >&2; exit 1; }
tail -5 "$work/new-platform.log"
cd "$platform"
git init -q && git add -A && git -c user.name=ci -c user.email=ci@invalid commit -qm 'new platform'
npx projen test > "$work/test.log" 2>&1 || { cat "$work/test.log" >&2; exit 1; }
grep -E '^(Tests|Snapshots):' "$work/test.log"
npx projen synth > "$work/synth.log" 2>&1 || { cat "$work/synth.log" >&2; exit 1; }
grep -iE 'validation|violation|success' "$work/synth.log" | head -5 || true
npx projen diff | tail -3
if [ -f "$shared/tools/kube-validate.cjs" ]; then
  node "$shared/tools/kube-validate.cjs" --pss manifests | tail -3
fi
say "packed consumer: ok"
