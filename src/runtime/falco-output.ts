import { invalid } from '../private/errors';

/** Kind of a Falco output target beside JSON on stdout. */
export enum FalcoOutputKind {
  /** JSON on stdout only (collected with the node's container logs). */
  STDOUT = 'stdout',
  /** Falco's `http_output` posting each alert as JSON to a webhook. */
  WEBHOOK = 'webhook',
  /** Falco's `http_output` posting to a Falcosidekick instance, which fans alerts out. */
  FALCOSIDEKICK = 'falcosidekick',
}

/**
 * Where Falco sends alerts. Alerts are always JSON on stdout; a webhook or Falcosidekick target
 * receives the same JSON through Falco's `http_output`.
 */
export class FalcoOutput {
  /** JSON on stdout only. */
  public static stdoutJson(): FalcoOutput {
    return new FalcoOutput(FalcoOutputKind.STDOUT);
  }

  /** JSON on stdout and posted to an HTTPS webhook (`https://...`). */
  public static webhook(url: string): FalcoOutput {
    if (typeof url !== 'string' || !/^https:\/\/[^\s/]+(\/\S*)?$/.test(url)) {
      invalid('FalcoOutput.webhook', 'url', 'must be an https:// URL (alerts name workloads and commands)', url, 'use e.g. "https://siem.bank.example/falco"');
    }
    return new FalcoOutput(FalcoOutputKind.WEBHOOK, url);
  }

  /**
   * JSON on stdout and posted to Falcosidekick: an in-cluster Service URL
   * (`http://<service>.<namespace>.svc[.cluster.local]:2801`) or any https:// URL.
   */
  public static falcosidekick(url: string): FalcoOutput {
    const inCluster = /^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?(:\d+)?\/?$/.test(url ?? '');
    if (typeof url !== 'string' || !(inCluster || /^https:\/\/[^\s/]+(\/\S*)?$/.test(url))) {
      invalid('FalcoOutput.falcosidekick', 'url', 'must be an in-cluster Service URL or an https:// URL', url,
        'use e.g. "http://falcosidekick.falco-sidekick.svc:2801"');
    }
    return new FalcoOutput(FalcoOutputKind.FALCOSIDEKICK, url);
  }

  private constructor(
    /** The kind of target. */
    public readonly kind: FalcoOutputKind,
    /** The URL alerts are posted to, for a webhook or Falcosidekick. */
    public readonly url?: string,
  ) {}

  /** The Falco configuration keys for this output (merged into the pool's Config). */
  public toConfig(): { [key: string]: any } {
    return {
      json_output: true,
      json_include_output_property: true,
      json_include_tags_property: true,
      stdout_output: { enabled: true },
      syslog_output: { enabled: false },
      http_output: this.url ? { enabled: true, url: this.url, insecure: false } : { enabled: false },
    };
  }
}
