import { App } from 'cdk8s';
import { buildBankPlatform } from './platform';

// Output directory: $CDK8S_OUTDIR (set by `npx projen synth` and `cdk8s synth`), else dist/.
const app = new App();
buildBankPlatform(app);
app.synth();
