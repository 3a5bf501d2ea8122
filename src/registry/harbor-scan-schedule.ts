import { Construct } from 'constructs';
import { IHarborProvider } from './harbor-provider';
import { InterrogationServices } from '../imports/harbor-interrogationservices.harbor.crossplane.io';
import { invalid } from '../private/errors';
import { PlatformLabels } from '../tenancy/labels';

/** How often Harbor rescans every artifact (new CVEs appear after push). */
export enum HarborScanFrequency {
  /** Every day. */
  DAILY = 'Daily',
  /** Every week. */
  WEEKLY = 'Weekly',
}

/** Props of `HarborScanSchedule`. */
export interface HarborScanScheduleProps {
  /** The Harbor API. */
  readonly provider: IHarborProvider;
  /**
   * Frequency of the scan-all job.
   * @default HarborScanFrequency.WEEKLY
   */
  readonly frequency?: HarborScanFrequency;
  /**
   * Name of the default scanner registration.
   * @default 'Trivy' (the registration the Harbor chart creates when `trivy.enabled`)
   */
  readonly defaultScanner?: string;
}

/**
 * Harbor's system scanning settings (`interrogationservices.harbor.crossplane.io/v1alpha1`
 * InterrogationServices, construct id `Resource`, cluster-scoped): the default scanner and the
 * scan-all schedule, so images pushed long ago are re-checked against new CVEs.
 */
export class HarborScanSchedule extends Construct {
  /** How often scan-all rescans every artifact. */
  public readonly frequency: HarborScanFrequency;

  constructor(scope: Construct, id: string, props: HarborScanScheduleProps) {
    super(scope, id);
    const frequency = props.frequency ?? HarborScanFrequency.WEEKLY;
    this.frequency = frequency;
    if (!Object.values(HarborScanFrequency).includes(frequency)) {
      invalid(this, 'frequency', 'is not a scan frequency', frequency, 'use HarborScanFrequency.WEEKLY or DAILY');
    }
    const scanner = props.defaultScanner ?? 'Trivy';
    if (typeof scanner !== 'string' || scanner.trim() === '') {
      invalid(this, 'defaultScanner', 'must be a scanner registration name', scanner, 'use "Trivy"');
    }
    new InterrogationServices(this, 'Resource', {
      metadata: { name: 'harbor-scanning', labels: { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE } },
      spec: {
        providerConfigRef: { name: props.provider.providerConfigName },
        forProvider: { defaultScanner: scanner, vulnerabilityScanPolicy: frequency },
      },
    });
  }
}
