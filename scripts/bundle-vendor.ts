/**
 * Runs after jsii in the compile task: every module in src/private/vendor/ re-exports a non-jsii
 * library the library runs, and here each compiled lib/private/vendor/<name>.js is replaced by one
 * self-contained CommonJS bundle of that library with everything it needs, its peers included.
 * The package therefore has no runtime dependency besides its peers (cdk8s, cdk8s-plus-28,
 * constructs), and works whatever node_modules layout npm gives the consumer.
 *
 * Beside each bundle, <name>.js.LICENSES.txt carries the name, version, license and license text
 * of every package inside it, as their licenses require for redistribution.
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src', 'private', 'vendor');
const LIB = path.join(ROOT, 'lib', 'private', 'vendor');

/** The package directory (…/node_modules/<name> or <@scope/name>) an input file belongs to. */
function packageDirOf(input: string): string | undefined {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? path.resolve(ROOT, m[1]) : undefined;
}

/** The package's own license file, or where to read it when the package ships none. */
function licenseText(dir: string, pkg: { license?: string; repository?: string | { url?: string } }): string {
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (file) return fs.readFileSync(path.join(dir, file), 'utf8').trim();
  if (!pkg.license) throw new Error(`bundle-vendor: ${dir} declares no license; it cannot be redistributed`);
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return `The npm package ships no license file. SPDX license expression: ${pkg.license}`
    + (repo ? `; license text in the source repository: ${repo}` : '') + '.';
}

function bundle(name: string): void {
  const outfile = path.join(LIB, `${name}.js`);
  const result = buildSync({
    entryPoints: [path.join(SRC, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const packages = new Map<string, { name: string; version: string; license: string; text: string }>();
  for (const input of Object.keys(result.metafile!.inputs)) {
    const dir = packageDirOf(input);
    if (!dir || packages.has(dir)) continue;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    packages.set(dir, { name: pkg.name, version: pkg.version, license: pkg.license, text: licenseText(dir, pkg) });
  }
  // A require() left in the bundle would be a runtime dependency the package does not declare.
  const code = fs.readFileSync(outfile, 'utf8');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const external = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !builtins.has(m));
  if (external.length > 0) throw new Error(`bundle-vendor: ${name}.js still requires ${[...new Set(external)].join(', ')}`);

  const list = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
  const header = `/* Bundled by scripts/bundle-vendor.ts from: ${list.map((p) => `${p.name}@${p.version} (${p.license})`).join(', ')}.\n`
    + `   License texts: ${name}.js.LICENSES.txt */\n`;
  fs.writeFileSync(outfile, header + code);
  fs.writeFileSync(`${outfile}.LICENSES.txt`, list.map((p) => `${p.name}@${p.version} (${p.license})\n\n${p.text}\n`).join('\n' + '-'.repeat(72) + '\n\n'));
  console.log(`bundled lib/private/vendor/${name}.js: ${list.map((p) => `${p.name}@${p.version}`).join(', ')} (${Math.round((header.length + code.length) / 1024)} KiB)`);
}

for (const f of fs.readdirSync(SRC).filter((x) => x.endsWith('.ts')).sort()) bundle(path.basename(f, '.ts'));
