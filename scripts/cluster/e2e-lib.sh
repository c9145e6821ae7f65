# shellcheck shell=bash
# Shared by the end-to-end scripts (e2e-canary.sh, e2e-bluegreen.sh): sourced, never run. Each
# script sets E2E_NAME first; the helpers find an app's Rollout and the Argo CD Application that
# owns it, pause that Application's automated sync (it would revert the test's image changes) and
# restore it on exit, build image variants into kind, and drive a Rollout to its end.

readonly CLUSTER_NAME="${PAYDAY_CLUSTER_NAME:-payday}"
readonly ENVIRONMENT="${PAYDAY_E2E_ENV:-dev}"
readonly TIMEOUT_SECONDS="${PAYDAY_E2E_TIMEOUT:-900}"
# Builtins only until the tools are checked, so a missing tool is named rather than `dirname`.
case "${BASH_SOURCE[0]}" in */*) repo_root=${BASH_SOURCE[0]%/*}/../.. ;; *) repo_root=../.. ;; esac
readonly repo_root

step() { printf '==> %s\n' "$*"; }
fail() {
  printf '%s: %s\n' "$E2E_NAME" "$1" >&2
  exit 1
}

require_e2e_tools() {
  local tool
  for tool in docker kind kubectl kubectl-argo-rollouts; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
  done
}

# Sets namespace, application and container for the Rollout named $1 in the environment.
find_rollout() {
  local name=$1
  namespace=$(kubectl get rollouts.argoproj.io -A \
    -o jsonpath="{range .items[?(@.metadata.name==\"$name\")]}{.metadata.namespace}{\"\\n\"}{end}" | grep -m1 "$ENVIRONMENT" || true)
  [ -n "$namespace" ] || fail "no $name Rollout in a namespace of environment '$ENVIRONMENT'"
  application=$(kubectl -n argocd get applications.argoproj.io \
    -o jsonpath='{range .items[*]}{.metadata.name} {.spec.destination.namespace}{"\n"}{end}' |
    awk -v ns="$namespace" -v app="$name" '$2 == ns && $1 ~ app { print $1; exit }')
  [ -n "$application" ] || fail "no Argo CD Application deploys the $name into $namespace"
  container=$(kubectl -n "$namespace" get rollout "$name" -o jsonpath='{.spec.template.spec.containers[0].name}')
  step "$name Rollout in $namespace (container $container), owned by Application $application"
}

# Pauses the Application's automated sync; restore_sync (run on EXIT) puts the policy back.
pause_sync() {
  sync_policy=$(kubectl -n argocd get application "$application" -o jsonpath='{.spec.syncPolicy}')
  kubectl -n argocd patch application "$application" --type json \
    -p '[{"op":"remove","path":"/spec/syncPolicy/automated"}]' >/dev/null
}
restore_sync() {
  step "restoring Argo CD sync for $application"
  kubectl -n argocd patch application "$application" --type merge \
    -p "{\"spec\":{\"syncPolicy\":${sync_policy:-null}}}" >/dev/null
}

# Builds apps/$1/Dockerfile as payday-e2e/$1:$2 and loads it into kind.
build_variant() {
  local app=$1 variant=$2
  docker build -q -f "$repo_root/apps/$app/Dockerfile" --build-arg "VERSION=0.0.0-e2e.$variant" \
    -t "payday-e2e/$app:$variant" "$repo_root" >/dev/null
  kind load docker-image --name "$CLUSTER_NAME" "payday-e2e/$app:$variant"
}

# Promotes Rollout $1 through pauses until it is Healthy or Degraded; prints the final phase.
drive() {
  local name=$1 deadline=$((SECONDS + TIMEOUT_SECONDS)) phase=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    phase=$(kubectl -n "$namespace" get rollout "$name" -o jsonpath='{.status.phase}')
    case "$phase" in
      Healthy | Degraded)
        printf '%s\n' "$phase"
        return 0
        ;;
      Paused) kubectl argo rollouts -n "$namespace" promote "$name" >/dev/null ;;
    esac
    sleep 10
  done
  fail "Rollout $name did not finish within ${TIMEOUT_SECONDS}s (phase $phase)"
}
