/**
 * The programs the chain's Tekton steps run: POSIX `sh` scripts (run by the curl and git images'
 * busybox `sh`) and jq programs (run by the jq image, which has no shell). Every input reaches a
 * script through an environment variable set from a TaskRun param, never by substitution into
 * the script text, so a value cannot inject shell code.
 *
 * test/supply-chain runs them with `sh` and `jq` against fixtures.
 */

/**
 * Downloads the source artifact Flux's source-controller serves (a .tar.gz of the revision) and
 * unpacks it for grype. Env: SOURCE_URL, SOURCE_REVISION, WORK.
 */
export const FETCH_SOURCE_SCRIPT = `#!/bin/sh
set -eu
case "$SOURCE_URL" in
  http://*|https://*) ;;
  *) echo "security-scan: the source URL is not http(s): $SOURCE_URL" >&2; exit 2 ;;
esac
mkdir -p "$WORK/source"
curl --fail --silent --show-error --location --retry 3 --max-time 300 --output "$WORK/source.tar.gz" "$SOURCE_URL"
tar -xzf "$WORK/source.tar.gz" -C "$WORK/source"
rm -f "$WORK/source.tar.gz"
echo "security-scan: fetched revision $SOURCE_REVISION"
`;

/**
 * jq: the severity rank of a grype or Harbor severity name, on the scale of RegistrySeverity
 * (none 0 .. critical 4). Negligible and Unknown rank 0: only the strictest threshold (NONE)
 * blocks them, as Harbor's prevention does.
 */
const RANK = 'def rank: ({"critical": 4, "high": 3, "medium": 2, "low": 1}[ascii_downcase] // 0);';

/**
 * jq (run with `--exit-status --raw-output --argjson threshold <rank> --arg name <severity>`):
 * prints the findings at or above the threshold and ends with `true` only when there are none,
 * so jq exits 0 to pass the source on and 1 to stop the chain. A report without a `matches`
 * array fails (exit 5): the gate never passes what it could not read.
 */
export const GRYPE_GATE_PROGRAM = [
  RANK,
  'if (.matches | type) != "array" then error("security-scan: the report is not grype JSON (no matches array)") else . end',
  '| [.matches[] | select(((.vulnerability.severity // "Unknown") | rank) >= $threshold)',
  '   | "\\(.vulnerability.severity // "Unknown") \\(.vulnerability.id) in \\(.artifact.name) \\(.artifact.version)"] as $blocking',
  '| "security-scan: \\(.matches | length) findings, \\($blocking | length) at or above \\($name)",',
  '  ($blocking[] | "  blocked: " + .),',
  '  ($blocking | length == 0)',
].join('\n');

/**
 * Reads Harbor's scan overview of the built digest with the tenant's robot, waiting for the scan
 * Harbor runs on push to finish. Env: IMAGE (`<host>/<project>/<repository>@sha256:<hex>`),
 * REGISTRY_HOST, HARBOR_USERNAME, HARBOR_PASSWORD, REPORT, WORK, ATTEMPTS, INTERVAL.
 */
export const FETCH_HARBOR_REPORT_SCRIPT = `#!/bin/sh
set -eu
case "$IMAGE" in
  *@sha256:*) ;;
  *) echo "image-scan: the image is not pinned by digest: $IMAGE" >&2; exit 2 ;;
esac
digest="\${IMAGE##*@}"
name="\${IMAGE%@*}"
host="\${name%%/*}"
path="\${name#*/}"
project="\${path%%/*}"
repository="\${path#*/}"
if [ "$host" != "$REGISTRY_HOST" ]; then
  echo "image-scan: the image is on $host, not on the platform registry $REGISTRY_HOST" >&2; exit 2
fi
if [ "$project" = "$path" ] || [ -z "$repository" ]; then
  echo "image-scan: the image names no repository inside a project: $IMAGE" >&2; exit 2
fi
# Harbor's API takes a repository name with "/" encoded twice.
encoded=$(printf '%s' "$repository" | sed 's|/|%252F|g')
url="https://$host/api/v2.0/projects/$project/repositories/$encoded/artifacts/$digest?with_scan_overview=true"
umask 077
printf 'machine %s login %s password %s\\n' "\${host%%:*}" "$HARBOR_USERNAME" "$HARBOR_PASSWORD" > "$WORK/netrc"
attempt=1
while :; do
  curl --fail --silent --show-error --netrc-file "$WORK/netrc" \\
    --header 'Accept: application/json' \\
    --header 'X-Accept-Vulnerabilities: application/vnd.security.vulnerability.report; version=1.1, application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0' \\
    --output "$REPORT" "$url"
  if grep -Eq '"scan_status" *: *"(Success|Error|Stopped)"' "$REPORT"; then break; fi
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "image-scan: Harbor has not finished scanning $IMAGE after $attempt reads" >&2; exit 3
  fi
  attempt=$((attempt + 1))
  sleep "$INTERVAL"
done
rm -f "$WORK/netrc"
echo "image-scan: read Harbor's report of $IMAGE"
`;

/**
 * jq (same arguments as the grype gate): judges Harbor's vulnerability overview. A missing
 * report or a scan that did not succeed fails (exit 5); findings at or above the threshold
 * print and end with `false` (exit 1).
 */
export const HARBOR_GATE_PROGRAM = [
  RANK,
  '[(.scan_overview // {}) | to_entries[] | select(.key | contains("vulnerability")) | .value] as $reports',
  '| if ($reports | length) == 0 then error("image-scan: Harbor has no vulnerability report for the artifact (is scan on push enabled?)") else $reports[0] end',
  '| if .scan_status != "Success" then error("image-scan: Harbor\'s scan status is \\(.scan_status // "missing"), not Success") else . end',
  '| [(.summary.summary // {}) | to_entries[] | select(.value > 0 and ((.key | rank) >= $threshold)) | "\\(.value) \\(.key)"] as $blocking',
  '| "image-scan: \\(.summary.total // 0) findings by \\(.scanner.name // "unknown scanner") \\(.scanner.version // ""), \\($blocking | length) severities at or above \\($name)",',
  '  ($blocking[] | "  blocked: " + .),',
  '  ($blocking | length == 0)',
].join('\n');

/**
 * Shell function `render <file>`: writes the workload's configuration with the scanned image,
 * as a multi-document YAML file (each document one JSON object, as Cartographer serialized it).
 * The one field replaced is the application container's `"image":"<IMAGE_REPOSITORY>"`, which
 * the library renders exactly once; anything else fails. Env: IMAGE, IMAGE_REPOSITORY,
 * DEPLOYMENT and SERVICE (each `---` and a newline, then the object's JSON; SERVICE may be empty).
 */
const RENDER_FUNCTION = `render() {
  case "$IMAGE" in
    "$IMAGE_REPOSITORY"@sha256:*) ;;
    *) echo "render: the scanned image $IMAGE is not a digest of $IMAGE_REPOSITORY" >&2; return 2 ;;
  esac
  digest="\${IMAGE#"$IMAGE_REPOSITORY"@sha256:}"
  if [ "\${#digest}" -ne 64 ] || [ -n "$(printf '%s' "$digest" | tr -d '0-9a-f')" ]; then
    echo "render: $IMAGE has no sha256 digest of 64 lowercase hex digits" >&2; return 2
  fi
  deployment=$(printf '%s' "$DEPLOYMENT" | sed '1{/^---$/d;}')
  count=$(printf '%s\\n' "$deployment" | grep -oF "\\"image\\":\\"$IMAGE_REPOSITORY\\"" | wc -l)
  if [ "$count" -ne 1 ]; then
    echo "render: the Deployment names image $IMAGE_REPOSITORY $count times, expected once (the application container)" >&2; return 2
  fi
  pattern=$(printf '%s' "$IMAGE_REPOSITORY" | sed 's/[][\\\\.*^$|/]/\\\\&/g')
  {
    printf -- '---\\n'
    printf '%s\\n' "$deployment" | sed "s|\\"image\\":\\"$pattern\\"|\\"image\\":\\"$IMAGE\\"|"
    if [ -n "\${SERVICE:-}" ]; then
      printf -- '---\\n'
      printf '%s\\n' "$SERVICE" | sed '1{/^---$/d;}'
    fi
  } > "$1"
}
`;

/** policy-check's first step: the configuration gator judges. Env: as `render`, plus CONFIG_FILE. */
export const RENDER_SCRIPT = `#!/bin/sh
set -eu
${RENDER_FUNCTION}mkdir -p "$(dirname "$CONFIG_FILE")"
render "$CONFIG_FILE"
echo "policy-check: rendered $(grep -c '^---$' "$CONFIG_FILE") objects with image $IMAGE"
`;

/**
 * The deployer: renders the configuration policy-check judged (the same function on the same
 * inputs, so the same bytes) and commits it to `<GITOPS_PATH>/<namespace>/<workload>.yaml`.
 * Env: as `render`, plus GITOPS_URL, GITOPS_BRANCH, GITOPS_PATH, WORKLOAD_NAME,
 * WORKLOAD_NAMESPACE, GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, WORK; for https GIT_USERNAME and
 * GIT_PASSWORD, for ssh GIT_SSH_DIR (ssh-privatekey and known_hosts).
 */
export const GIT_WRITER_SCRIPT = `#!/bin/sh
set -eu
${RENDER_FUNCTION}render "$WORK/rendered.yaml"
export HOME="$WORK/home"
mkdir -p "$HOME"
case "$GITOPS_URL" in
  https://*)
    if [ -z "\${GIT_USERNAME:-}" ] || [ -z "\${GIT_PASSWORD:-}" ]; then
      echo "deployer: the git credentials Secret has no username or password" >&2; exit 2
    fi
    git config --global credential.helper '!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$GIT_USERNAME" "$GIT_PASSWORD"; }; f'
    ;;
  *)
    cp "$GIT_SSH_DIR/ssh-privatekey" "$HOME/id"
    chmod 600 "$HOME/id"
    export GIT_SSH_COMMAND="ssh -i $HOME/id -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$GIT_SSH_DIR/known_hosts"
    ;;
esac
file="$GITOPS_PATH/$WORKLOAD_NAMESPACE/$WORKLOAD_NAME.yaml"
git clone --quiet --depth 1 --branch "$GITOPS_BRANCH" "$GITOPS_URL" "$WORK/repo"
cd "$WORK/repo"
attempt=1
while :; do
  mkdir -p "$(dirname "$file")"
  cp "$WORK/rendered.yaml" "$file"
  git add -- "$file"
  if git diff --cached --quiet; then
    echo "deployer: $file is already up to date"; exit 0
  fi
  git -c user.name="$GIT_AUTHOR_NAME" -c user.email="$GIT_AUTHOR_EMAIL" commit --quiet \\
    -m "Deploy $WORKLOAD_NAMESPACE/$WORKLOAD_NAME $IMAGE" \\
    -m "Source scanned by security-scan, image by image-scan, configuration judged by policy-check."
  if git push --quiet origin "HEAD:$GITOPS_BRANCH"; then
    echo "deployer: pushed $file"; exit 0
  fi
  if [ "$attempt" -ge 3 ]; then
    echo "deployer: could not push to $GITOPS_BRANCH after $attempt attempts" >&2; exit 1
  fi
  attempt=$((attempt + 1))
  git fetch --quiet --depth 1 origin "$GITOPS_BRANCH"
  git reset --quiet --hard FETCH_HEAD
done
`;
