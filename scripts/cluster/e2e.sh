#!/usr/bin/env bash
# The real-cluster end-to-end run of .github/workflows/e2e-cluster.yml, one step per argument (all
# of them, in order, without arguments). What only a real cluster can tell (docs/rehearsal.md):
#   bootstrap  kind, Argo CD, then the root Application alone (with the AppProject it belongs to):
#              everything else comes from Argo CD syncing gitops/argocd/
#   wait       every Argo CD Application Synced and Healthy
#   canary     one API canary to completion (scripts/cluster/e2e-canary.sh complete)
#   bluegreen  one frontend blue/green through its pre-promotion analysis, whose smoke-test Job
#              requests real pages through the preview Service (scripts/cluster/e2e-bluegreen.sh)
#   abort      one API canary aborted by a failing analysis (scripts/cluster/e2e-canary.sh abort)
#
#   e2e.sh [--dry-run] [STEP...]    --dry-run prints the steps and their commands, runs nothing
set -euo pipefail

readonly STEPS=(bootstrap wait canary bluegreen abort)
# Builtins only: --dry-run must work on a bare PATH.
case "${BASH_SOURCE[0]}" in
  */*) script_dir=${BASH_SOURCE[0]%/*} ;;
  *) script_dir=. ;;
esac
readonly script_dir

describe() {
  case "$1" in
    bootstrap) printf '%s' 'kind cluster, Argo CD, local images of this commit, then the root Application alone' ;;
    wait) printf '%s' 'every Argo CD Application Synced and Healthy' ;;
    canary) printf '%s' 'API canary to completion (image A, then A -> B)' ;;
    bluegreen) printf '%s' 'frontend blue/green through its pre-promotion analysis (smoke-test Job via the preview Service)' ;;
    abort) printf '%s' 'API canary aborted by a failing analysis (B -> A, B stays stable)' ;;
  esac
}

command_of() {
  case "$1" in
    bootstrap) printf '%s' 'bash scripts/cluster/cluster.sh up --images' ;;
    wait) printf '%s' 'bash scripts/cluster/wait-applications.sh' ;;
    canary) printf '%s' 'bash scripts/cluster/e2e-canary.sh complete' ;;
    bluegreen) printf '%s' 'bash scripts/cluster/e2e-bluegreen.sh' ;;
    abort) printf '%s' 'bash scripts/cluster/e2e-canary.sh abort' ;;
  esac
}

dry_run=false
selected=()
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=true ;;
    -h | --help)
      printf 'usage: e2e.sh [--dry-run] [STEP...]\nsteps: %s\n' "${STEPS[*]}"
      exit 0
      ;;
    *)
      known=false
      for s in "${STEPS[@]}"; do [ "$s" = "$arg" ] && known=true; done
      if [ "$known" != true ]; then
        printf 'e2e: unknown step: %s (steps: %s)\n' "$arg" "${STEPS[*]}" >&2
        exit 2
      fi
      selected+=("$arg")
      ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${STEPS[@]}")

n=0
for s in "${selected[@]}"; do
  n=$((n + 1))
  printf '%d. %s: %s\n   %s\n' "$n" "$s" "$(describe "$s")" "$(command_of "$s")"
  if [ "$dry_run" = false ]; then
    # The command strings name scripts relative to the repository root.
    (cd "$script_dir/../.." && eval "$(command_of "$s")")
  fi
done
