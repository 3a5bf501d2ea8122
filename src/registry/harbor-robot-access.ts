/**
 * One permission of a Harbor project robot: a resource and an action of Harbor's RBAC
 * vocabulary (as in `src/common/rbac/const.go`, project scope, Harbor v2.15).
 *
 * Use the constants for what builds and runtimes need; `HarborRobotAccess.of(resource, action)`
 * for anything else. Pairs outside Harbor's project-scope vocabulary are refused when the robot
 * is created.
 */
export class HarborRobotAccess {
  /** Pull images (`repository` / `pull`). */
  public static readonly PULL_REPOSITORY = new HarborRobotAccess('repository', 'pull');
  /** Push images (`repository` / `push`); Harbor requires pull with it. */
  public static readonly PUSH_REPOSITORY = new HarborRobotAccess('repository', 'push');
  /** Read artifacts (`artifact` / `read`), e.g. scan reports and signatures. */
  public static readonly READ_ARTIFACT = new HarborRobotAccess('artifact', 'read');
  /** List artifacts (`artifact` / `list`). */
  public static readonly LIST_ARTIFACT = new HarborRobotAccess('artifact', 'list');
  /** List tags (`tag` / `list`). */
  public static readonly LIST_TAG = new HarborRobotAccess('tag', 'list');
  /** Create tags (`tag` / `create`). */
  public static readonly CREATE_TAG = new HarborRobotAccess('tag', 'create');
  /** List accessories: signatures, SBOMs (`accessory` / `list`). */
  public static readonly LIST_ACCESSORY = new HarborRobotAccess('accessory', 'list');
  /** Read scan results (`scan` / `read`). */
  public static readonly READ_SCAN = new HarborRobotAccess('scan', 'read');
  /** Start a vulnerability scan (`scan` / `create`). */
  public static readonly CREATE_SCAN = new HarborRobotAccess('scan', 'create');
  /** Start SBOM generation (`sbom` / `create`). */
  public static readonly CREATE_SBOM = new HarborRobotAccess('sbom', 'create');
  /** Read SBOMs (`sbom` / `read`). */
  public static readonly READ_SBOM = new HarborRobotAccess('sbom', 'read');

  /**
   * Harbor's project-scope robot vocabulary: resource -> allowed actions. Harbor v2.15,
   * `src/common/rbac/const.go` (project scope); `member`, `robot` and `configuration` are left
   * out because a project robot cannot hold them.
   */
  public static vocabulary(): { [resource: string]: string[] } {
    return JSON.parse(JSON.stringify(VOCABULARY));
  }

  /** True when `resource`/`action` is in Harbor's project-scope robot vocabulary. */
  public static isKnown(resource: string, action: string): boolean {
    return (VOCABULARY[resource] ?? []).includes(action);
  }

  /** Any pair; validated against Harbor's vocabulary when a robot is created with it. */
  public static of(resource: string, action: string): HarborRobotAccess {
    return new HarborRobotAccess(resource, action);
  }

  /** Harbor resource (`repository`, `artifact`, `tag`, ...). */
  public readonly resource: string;
  /** Harbor action (`pull`, `push`, `read`, `list`, ...). */
  public readonly action: string;

  private constructor(resource: string, action: string) {
    this.resource = resource;
    this.action = action;
  }

  /** `resource:action`, as Harbor's UI and logs show it. */
  public toString(): string {
    return `${this.resource}:${this.action}`;
  }
}

const VOCABULARY: { [resource: string]: string[] } = {
  'repository': ['list', 'pull', 'push', 'delete'],
  'artifact': ['read', 'list', 'delete'],
  'artifact-addition': ['read'],
  'artifact-label': ['create', 'delete'],
  'accessory': ['list'],
  'tag': ['create', 'delete', 'list'],
  'scan': ['create', 'stop', 'read'],
  'sbom': ['create', 'stop', 'read'],
  'label': ['create', 'read', 'update', 'delete', 'list'],
  'metadata': ['create', 'read', 'update', 'delete', 'list'],
  'quota': ['read'],
  'log': ['list'],
  'immutable-tag': ['create', 'update', 'delete', 'list'],
  'tag-retention': ['create', 'read', 'update', 'delete', 'list', 'operate'],
  'notification-policy': ['create', 'read', 'update', 'delete', 'list'],
  'preheat-policy': ['create', 'read', 'update', 'delete', 'list'],
};
