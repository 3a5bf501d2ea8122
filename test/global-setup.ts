/**
 * Runs once before the tests: says which tests will be skipped, and why, so a skipped test is
 * never silent. The tests that need ../shared (the strict validator, the upstream CRDs and charts)
 * skip themselves where it is absent (a user's clone); CI runs them with ../shared beside the clone.
 */
import * as fs from 'fs';
import * as path from 'path';

export default function globalSetup(): void {
  const shared = path.resolve(__dirname, '..', '..', 'shared');
  if (!fs.existsSync(path.join(shared, 'tools', 'kube-validate.cjs'))) {
    console.log(`\nSkipping the conformance tests (kube-validate --pss, upstream CRD schemas, chart renders): ${shared} not found.`
      + '\nThey need the steering repository beside this clone; CI runs them there.\n');
  }
}
