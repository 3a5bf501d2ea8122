import { App } from 'cdk8s';
import { buildBankPlatform } from './platform';

// Output directory: $CDK8S_OUTDIR (set by `npx projen synth` and `cdk8s synth`), else dist/.
const app = new App();
const platform = buildBankPlatform(app);
app.synth();
// Beside the manifests: which images a change to each stack, store, builder and lifecycle
// rebases or rebuilds (policy-report.json and component-images.json are written by synth itself).
platform.buildImpact?.writeFile();
