#!/usr/bin/env bash
# Builds and pushes the voiceapi, worker and console images to Artifact Registry with the .NET SDK's container support
# (`dotnet publish -t:PublishContainer`; no Docker needed). Docker users: Dockerfile.production builds the same images.
#   usage: deploy/build-images.sh REGISTRY TAG
#   REGISTRY: LOCATION-docker.pkg.dev/PROJECT/REPOSITORY   TAG: e.g. the commit SHA
# Image names come from each project's ContainerRepository (leadgen-voiceapi, leadgen-worker, leadgen-console): the names the publisher
# puts in the Cloud Run YAML. Prints one line per image: <service>=<registry>/<image>:<tag>. Pushing authenticates through the Docker credential
# helper that `gcloud auth configure-docker LOCATION-docker.pkg.dev` installs.
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || die "usage: build-images.sh REGISTRY TAG"
registry="${1%/}" tag="$2"
[[ "$registry" == */* ]] || die "REGISTRY must be HOST/PROJECT/REPOSITORY (was '$registry')"
registry_host="${registry%%/*}"
repository_prefix="${registry#*/}"

for service in voiceapi worker console; do
  case "$service" in
    voiceapi) project="$repo_root/LeadGen.VoiceApi/LeadGen.VoiceApi.csproj" ;;
    worker) project="$repo_root/LeadGen.Worker/LeadGen.Worker.csproj" ;;
    console) project="$repo_root/LeadGen.Console/LeadGen.Console.csproj" ;;
  esac
  image="$(dotnet msbuild "$project" -getProperty:ContainerRepository)"
  [[ -n "$image" ]] || die "$project sets no ContainerRepository"
  log "publishing $registry/$image:$tag"
  dotnet publish "$project" -c Release --nologo -v quiet -t:PublishContainer \
    -p:ContainerRegistry="$registry_host" \
    -p:ContainerRepository="$repository_prefix/$image" \
    -p:ContainerImageTags="$tag" >&2
  echo "$service=$registry/$image:$tag"
done
