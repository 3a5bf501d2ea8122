import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyExemption, PolicyExemptionKind } from './exemption';
import { Config } from '../imports/gatekeeper-config.gatekeeper.sh';
import { invalid } from '../private/errors';

/** Props of the Gatekeeper Config. */
export interface GatekeeperSystemConfigProps {
  /**
   * Namespace Gatekeeper runs in (it reads only the Config named `config` there).
   * @default 'gatekeeper-system'
   */
  readonly namespace?: string;
  /**
   * Namespace exemptions from every policy (more with `addExemption()`).
   * @default []
   */
  readonly exemptions?: PolicyExemption[];
}

/**
 * Gatekeeper's `Config` (`config.gatekeeper.sh/v1alpha1`, name `config`): exemptions of whole
 * namespaces from every policy, for every Gatekeeper process. The synth-time evaluator honours
 * it, and each exemption's reason is kept in an annotation and in the policy report.
 */
export class GatekeeperSystemConfig extends Construct {
  /** Gatekeeper's default namespace. */
  public static readonly DEFAULT_NAMESPACE = 'gatekeeper-system';

  /** The namespace the Config is written to. */
  public readonly namespace: string;
  /** The L1 Config object. */
  public readonly resource: ApiObject;
  private readonly exemptionList: PolicyExemption[] = [];

  constructor(scope: Construct, id: string, props: GatekeeperSystemConfigProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? GatekeeperSystemConfig.DEFAULT_NAMESPACE;
    // Config.GVK keeps the generated kind and served version; the spec is lazy so that later
    // addExemption() calls reach the manifest.
    this.resource = new ApiObject(this, 'Resource', {
      ...Config.GVK,
      metadata: { name: 'config', namespace: this.namespace },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const e of props.exemptions ?? []) this.addExemption(e);
  }

  /** Adds a namespace exemption from every policy. */
  public addExemption(exemption: PolicyExemption): void {
    exemption._check(this);
    if (exemption.kind !== PolicyExemptionKind.NAMESPACES) {
      invalid(this, 'exemption', 'must be a namespace exemption (the Gatekeeper Config exempts namespaces only)', exemption.toJson(),
        'use PolicyExemption.namespaces(...), or add label exemptions to the constraints');
    }
    exemption._record(this.resource, 'Config/config');
    this.exemptionList.push(exemption);
    this.resource.metadata.addAnnotation('devsecops.cdk8s.io/exemptions', JSON.stringify(this.exemptionList.map((e) => e.toJson())));
  }

  /** Namespaces exempt from every policy. */
  public get exemptNamespaces(): string[] {
    return [...new Set(this.exemptionList.flatMap((e) => e.exemptNamespaces))];
  }

  /** The exemptions, with their reasons. */
  public get exemptions(): PolicyExemption[] {
    return [...this.exemptionList];
  }

  private renderSpec(): any {
    const namespaces = this.exemptNamespaces;
    return namespaces.length === 0 ? {} : { match: [{ excludedNamespaces: namespaces, processes: ['*'] }] };
  }
}
