#!/usr/bin/env bash
# Frontend blue/green end-to-end on a running cluster (scripts/cluster/e2e.sh runs it after the API
# canary): a new frontend image goes to the preview stack, the rendered pre-promotion analysis runs,
# including its smoke-test Job that requests real pages through the preview Service, and only once
# that AnalysisRun is Successful does the Rollout switch the active Service to the new pods.
# Argo Rollouts labels the run `rollout-type: PrePromotion` (argo-rollouts v1.9.1
# pkg/apis/rollouts/v1alpha1/types.go RolloutTypeLabel, RolloutTypePrePromotionLabel).
set -euo pipefail

readonly E2E_NAME=e2e-bluegreen
case "${BASH_SOURCE[0]}" in */*) here=${BASH_SOURCE[0]%/*} ;; *) here=. ;; esac
# shellcheck source=scripts/cluster/e2e-lib.sh
source "$here/e2e-lib.sh"

require_e2e_tools
find_rollout frontend
templates=$(kubectl -n "$namespace" get rollout frontend \
  -o jsonpath='{.spec.strategy.blueGreen.prePromotionAnalysis.templates[*].templateName}')
[ -n "$templates" ] || fail "the frontend Rollout in $namespace has no prePromotionAnalysis"
pause_sync
trap restore_sync EXIT

step "building frontend image C"
build_variant frontend c
kubectl argo rollouts -n "$namespace" set image frontend "$container=payday-e2e/frontend:c" >/dev/null
[ "$(drive frontend)" = Healthy ] || fail "the blue/green rollout of image C did not become Healthy"

hash=$(kubectl -n "$namespace" get rollout frontend -o jsonpath='{.status.currentPodHash}')
run=$(kubectl -n "$namespace" get analysisruns.argoproj.io \
  -l "rollout-type=PrePromotion,rollouts-pod-template-hash=$hash" \
  -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}' | tail -n 1)
read -r run_name run_phase <<<"$run"
[ -n "${run_name:-}" ] || fail "no pre-promotion AnalysisRun for pod-template-hash $hash"
[ "$run_phase" = Successful ] || fail "pre-promotion AnalysisRun $run_name is $run_phase, not Successful"
jobs=$(kubectl -n "$namespace" get analysisrun "$run_name" \
  -o jsonpath='{range .status.metricResults[*]}{.name}={.phase}{" "}{end}')
step "pre-promotion AnalysisRun $run_name: $jobs"
active=$(kubectl -n "$namespace" get service frontend -o jsonpath='{.spec.selector.rollouts-pod-template-hash}')
[ "$active" = "$hash" ] || fail "the active Service selects $active, not the promoted pods $hash"
step "blue/green promoted after its pre-promotion analysis: frontend serves image C ($hash)"
