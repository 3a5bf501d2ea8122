import { App } from 'cdk8s';
import { buildBankPlatform } from './platform';

// Manifests: $CDK8S_OUTDIR (set by `npm run synth` and `cdk8s synth`), else dist/. Reports go to
// the sibling folder <outdir>-reports, never among the manifests.
const app = new App();
const platform = buildBankPlatform(app);
app.synth();
// Beside the reports: which images a change to each stack, store, builder and lifecycle rebases
// or rebuilds (policy-report.json and component-images.json are written by synth itself).
platform.buildImpact?.writeFile();
