#!/usr/bin/env bash
# Prepares the repository a local cluster syncs from (cluster.sh up --local / --images): a throwaway
# clone of SOURCE's HEAD in which every Argo CD object under gitops/argocd/ names SERVED_URL instead
# of the rendered repository URL, and follows HEAD instead of `main`. With IMAGES (lines of
# "<app> <image@sha256:digest>"), dev's release block first names those images and gitops/ is
# re-rendered. Each change is a commit in the clone; SOURCE's work tree is never touched.
#
#   local-clone.sh SOURCE DEST SERVED_URL [IMAGES]
set -euo pipefail

if [ "$#" -lt 3 ] || [ "$#" -gt 4 ]; then
  printf 'usage: local-clone.sh SOURCE DEST SERVED_URL [IMAGES]\n' >&2
  exit 2
fi
source_repo=$1 dest=$2 served=$3 images=${4:-}
readonly source_repo dest served images
readonly registry_port="${PAYDAY_REGISTRY_PORT:-5001}"

commit() {
  git -C "$dest" -c user.name=cluster.sh -c user.email=cluster@localhost commit --quiet "$@"
}

root_app="$source_repo/gitops/argocd/application-payday-root.yaml"
rendered=""
if [ -f "$root_app" ]; then rendered=$(sed -n 's/^ *repoURL: *//p' "$root_app" | head -n 1); fi
if [ -z "$rendered" ]; then
  printf 'local-clone: no repoURL in gitops/argocd/application-payday-root.yaml (run npm run render)\n' >&2
  exit 1
fi

rm -rf "$dest"
git clone --quiet --no-hardlinks "$source_repo" "$dest"

if [ -n "$images" ]; then
  ln -sfn "$(cd "$source_repo" && pwd)/node_modules" "$dest/node_modules"
  (
    cd "$dest"
    IMAGES="$images" REGISTRY="localhost:$registry_port/payday" node --input-type=module -e '
      import { readFileSync, writeFileSync } from "node:fs";
      import { parseDocument } from "yaml";
      const file = "environments/dev.yaml";
      // parseDocument keeps the comments and key order of the hand-written file.
      const doc = parseDocument(readFileSync(file, "utf8"));
      doc.setIn(["images", "registry"], process.env.REGISTRY);
      for (const line of process.env.IMAGES.trim().split("\n")) {
        const [app, image] = line.split(" ");
        doc.setIn(["release", app, "image"], image);
        doc.setIn(["release", app, "version"], "0.0.0-local");
      }
      writeFileSync(file, doc.toString({ lineWidth: 0 }));
    '
    npm run --silent render
    rm node_modules
    git add environments/dev.yaml gitops/
  )
  commit -m "local cluster: dev runs images built from this checkout"
fi

find "$dest/gitops/argocd" -name '*.yaml' -exec sed -i -e "s#$rendered#$served#g" \
  -e 's#^\( *\)\(targetRevision\|revision\): main$#\1\2: HEAD#' {} +
commit -am "local cluster: Argo CD reads $served"
