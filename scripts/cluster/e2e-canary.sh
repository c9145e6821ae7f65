#!/usr/bin/env bash
# API canary end-to-end on a running cluster (scripts/cluster/e2e.sh runs it after cluster.sh up
# and wait-applications.sh):
#   complete  a canary of the API from image A to image B completes (pauses promoted step by step,
#             the rendered analysis included) and B becomes stable;
#   abort     a canary back to A whose analysis always fails is aborted and B stays stable.
# Both images are built from apps/api/Dockerfile with different VERSION args and loaded into kind.
# Argo CD's automated sync of the API is paused during the test (it would revert the image) and
# restored afterwards. Needs kubectl-argo-rollouts.
#
#   e2e-canary.sh complete|abort
set -euo pipefail

readonly E2E_NAME=e2e-canary
case "${BASH_SOURCE[0]}" in */*) here=${BASH_SOURCE[0]%/*} ;; *) here=. ;; esac
# shellcheck source=scripts/cluster/e2e-lib.sh
source "$here/e2e-lib.sh"

mode=${1:-}
case "$mode" in
  complete | abort) ;;
  *)
    printf 'usage: e2e-canary.sh complete|abort\n' >&2
    exit 2
    ;;
esac

require_e2e_tools
find_rollout api
pause_sync
cleanup() {
  restore_sync
  kubectl -n "$namespace" delete analysistemplate e2e-always-fail --ignore-not-found >/dev/null
}
trap cleanup EXIT

stable_image() {
  kubectl -n "$namespace" get rollout api -o jsonpath='{.spec.template.spec.containers[0].image}{" "}{.status.stableRS}{" "}{.status.currentPodHash}'
}

if [ "$mode" = complete ]; then
  step "building images A and B"
  build_variant api a
  build_variant api b
  step "baseline: image A"
  kubectl argo rollouts -n "$namespace" set image api "$container=payday-e2e/api:a" >/dev/null
  [ "$(drive api)" = Healthy ] || fail "baseline rollout to image A did not become Healthy"

  step "canary A -> B must complete"
  kubectl argo rollouts -n "$namespace" set image api "$container=payday-e2e/api:b" >/dev/null
  [ "$(drive api)" = Healthy ] || fail "canary to image B did not complete"
  read -r image stable current <<<"$(stable_image)"
  if [ "$image" != "payday-e2e/api:b" ] || [ "$stable" != "$current" ]; then
    fail "image B is not stable after the canary (image $image, stable $stable, current $current)"
  fi
  step "canary completed: B is stable ($stable)"

  exit 0
fi

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
phase=$(drive api)
aborted=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.status.abort}')
if [ "$phase" != Degraded ] || [ "$aborted" != true ]; then
  fail "the failing analysis did not abort the canary (phase $phase, abort '$aborted')"
fi
stable_pod=$(kubectl -n "$namespace" get pods -l "rollouts-pod-template-hash=$(kubectl -n "$namespace" get rollout api -o jsonpath='{.status.stableRS}')" \
  -o jsonpath='{.items[0].spec.containers[0].image}')
[ "$stable_pod" = "payday-e2e/api:b" ] || fail "after the abort the stable pods run $stable_pod, expected image B"
step "canary aborted by the failing analysis; B stayed stable"
