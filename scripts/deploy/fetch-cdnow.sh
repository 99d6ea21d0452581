#!/usr/bin/env bash
# Puts the CDNOW data where the tests and .ci/run look for it: DEST/cdnow/CDNOW_master.txt and
# CDNOW_sample.txt (DEST is ../shared/data beside the repository, or $CLV_DATA_DIR). The data
# is not in this repository; the CI workflow calls this with the archive's address taken from
# the repository variable CDNOW_DATA_URL (docs/deployment.md: CI).
#
#   scripts/deploy/fetch-cdnow.sh URL [DEST]
#
# URL: a .zip, .tar.gz/.tgz or .tar holding both files anywhere inside, or a directory
# address ending in / that serves them by name (file:// works too). With CDNOW_DATA_TOKEN set,
# it is sent as a bearer token. Idempotent: files already there are kept.
set -euo pipefail
die() { echo "error: $*" >&2; exit 1; }

url=${1:-}
[ -n "$url" ] || die "usage: $0 URL [DEST] (the address of an archive holding CDNOW_master.txt and CDNOW_sample.txt)"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="${2:-${CLV_DATA_DIR:-$repo_root/../shared/data}}/cdnow"
files=(CDNOW_master.txt CDNOW_sample.txt)

have_all() { for f in "${files[@]}"; do [ -s "$dest/$f" ] || return 1; done; }
if have_all; then
  echo "CDNOW data already in $dest"
  exit 0
fi
command -v curl > /dev/null || die "curl is needed"
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { # url file
  local auth=()
  [ -n "${CDNOW_DATA_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $CDNOW_DATA_TOKEN")
  curl -fsSL --retry 3 "${auth[@]}" -o "$2" "$1" || die "could not fetch $1"
}

case "$url" in
  */)
    for f in "${files[@]}"; do fetch "$url$f" "$work/$f"; done
    ;;
  *.zip)
    command -v unzip > /dev/null || die "unzip is needed for $url"
    fetch "$url" "$work/data.zip"
    unzip -q -o "$work/data.zip" -d "$work" || die "$url is not a zip archive"
    ;;
  *.tar.gz | *.tgz | *.tar)
    fetch "$url" "$work/data.tar"
    tar -xf "$work/data.tar" -C "$work" || die "$url is not a tar archive"
    ;;
  *) die "$url: expected an address ending in .zip, .tar.gz, .tgz, .tar or /" ;;
esac
for f in "${files[@]}"; do
  found=$(find "$work" -type f -name "$f" | head -1)
  [ -n "$found" ] || die "$url holds no $f"
  cp "$found" "$dest/$f"
done
have_all || die "the files in $dest are empty"
echo "CDNOW data in $dest: $(wc -l < "$dest/CDNOW_master.txt") rows in CDNOW_master.txt, $(wc -l < "$dest/CDNOW_sample.txt") in CDNOW_sample.txt"
