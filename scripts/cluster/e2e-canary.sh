#!/usr/bin/env bash
# Canary end-to-end on a running cluster (npm run cluster:up, dev synced and healthy):
#   1. a canary of the API from image A to image B completes (pauses promoted step by step, the
#      rendered analysis included) and B becomes stable;
#   2. a canary back to A whose analysis always fails is aborted and B stays stable.
# Both images are built from apps/api/Dockerfile with different VERSION args and loaded into kind.
# Argo CD's automated sync of the dev API is paused during the test (it would revert the image)
# and restored afterwards. Run by .github/workflows/e2e-cluster.yml; needs kubectl-argo-rollouts.
set -euo pipefail

readonly CLUSTER_NAME="${PAYDAY_CLUSTER_NAME:-payday}"
readonly ENVIRONMENT="${PAYDAY_E2E_ENV:-dev}"
readonly TIMEOUT_SECONDS="${PAYDAY_E2E_TIMEOUT:-900}"
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly repo_root

step() { printf '==> %s\n' "$*"; }
fail() {
  printf 'e2e-canary: %s\n' "$1" >&2
  exit 1
}

for tool in docker kind kubectl kubectl-argo-rollouts; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done

# The namespace of the environment's API Rollout and the Argo CD Application that owns it.
namespace=$(kubectl get rollouts.argoproj.io -A \
  -o jsonpath='{range .items[?(@.metadata.name=="api")]}{.metadata.namespace}{"\n"}{end}' | grep -m1 "$ENVIRONMENT" || true)
[ -n "$namespace" ] || fail "no api Rollout in a namespace of environment '$ENVIRONMENT'"
application=$(kubectl -n argocd get applications.argoproj.io \
  -o jsonpath='{range .items[*]}{.metadata.name} {.spec.destination.namespace}{"\n"}{end}' |
  awk -v ns="$namespace" '$2 == ns && $1 ~ /api/ { print $1; exit }')
[ -n "$application" ] || fail "no Argo CD Application deploys the api into $namespace"
container=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.spec.template.spec.containers[0].name}')
step "api Rollout in $namespace (container $container), owned by Application $application"

step "building images A and B"
for variant in a b; do
  docker build -q -f "$repo_root/apps/api/Dockerfile" --build-arg "VERSION=0.0.0-e2e.$variant" \
    -t "payday-e2e/api:$variant" "$repo_root" >/dev/null
  kind load docker-image --name "$CLUSTER_NAME" "payday-e2e/api:$variant"
done

sync_policy=$(kubectl -n argocd get application "$application" -o jsonpath='{.spec.syncPolicy}')
restore() {
  step "restoring Argo CD sync for $application"
  kubectl -n argocd patch application "$application" --type merge -p "{\"spec\":{\"syncPolicy\":${sync_policy:-null}}}" >/dev/null
  kubectl -n "$namespace" delete analysistemplate e2e-always-fail --ignore-not-found >/dev/null
}
trap restore EXIT
kubectl -n argocd patch application "$application" --type json -p '[{"op":"remove","path":"/spec/syncPolicy/automated"}]' >/dev/null

# Promotes through pauses until the Rollout is Healthy or Degraded; prints the final phase.
drive() {
  local deadline=$((SECONDS + TIMEOUT_SECONDS)) phase
  while [ "$SECONDS" -lt "$deadline" ]; do
    phase=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.status.phase}')
    case "$phase" in
      Healthy | Degraded) printf '%s\n' "$phase"; return 0 ;;
      Paused) kubectl argo rollouts -n "$namespace" promote api >/dev/null ;;
    esac
    sleep 10
  done
  fail "Rollout did not finish within ${TIMEOUT_SECONDS}s (phase $phase)"
}

stable_image() {
  kubectl -n "$namespace" get rollout api -o jsonpath='{.spec.template.spec.containers[0].image}{" "}{.status.stableRS}{" "}{.status.currentPodHash}'
}

step "baseline: image A"
kubectl argo rollouts -n "$namespace" set image api "$container=payday-e2e/api:a" >/dev/null
[ "$(drive)" = Healthy ] || fail "baseline rollout to image A did not become Healthy"

step "canary A -> B must complete"
kubectl argo rollouts -n "$namespace" set image api "$container=payday-e2e/api:b" >/dev/null
[ "$(drive)" = Healthy ] || fail "canary to image B did not complete"
read -r image stable current <<<"$(stable_image)"
if [ "$image" != "payday-e2e/api:b" ] || [ "$stable" != "$current" ]; then
  fail "image B is not stable after the canary (image $image, stable $stable, current $current)"
fi
step "canary completed: B is stable ($stable)"

step "canary B -> A with an analysis that always fails must abort"
kubectl -n "$namespace" apply -f - >/dev/null <<EOF
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: e2e-always-fail
spec:
  metrics:
    - name: always-fail
      provider:
        job:
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers:
                  - name: fail
                    image: payday-e2e/api:a
                    command: ["node", "-e", "process.exit(1)"]
EOF
kubectl -n "$namespace" patch rollout api --type merge \
  -p '{"spec":{"strategy":{"canary":{"steps":[{"setWeight":50},{"analysis":{"templates":[{"templateName":"e2e-always-fail"}]}}]}}}}' >/dev/null
kubectl argo rollouts -n "$namespace" set image api "$container=payday-e2e/api:a" >/dev/null
phase=$(drive)
aborted=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.status.abort}')
if [ "$phase" != Degraded ] || [ "$aborted" != true ]; then
  fail "the failing analysis did not abort the canary (phase $phase, abort '$aborted')"
fi
stable_pod=$(kubectl -n "$namespace" get pods -l "rollouts-pod-template-hash=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.status.stableRS}')" \
  -o jsonpath='{.items[0].spec.containers[0].image}')
[ "$stable_pod" = "payday-e2e/api:b" ] || fail "after the abort the stable pods run $stable_pod, expected image B"
step "canary aborted by the failing analysis; B stayed stable"
