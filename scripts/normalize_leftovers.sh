#!/usr/bin/env bash
# Digits and symbols left in the narration scripts of real books: every book of a corpus
# (default ../shared/corpus) extracted and normalized into a temporary folder, its scripts
# checked with `bookvoice normalize --check`, and the leftovers counted per book.
#
#   scripts/normalize_leftovers.sh [CORPUS_DIR] [--list]
#
# --list prints every leftover (FILE:LINE:COLUMN: TOKEN) instead of the counts alone.
set -uo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
list=${2:-}
bin=target/release/bookvoice
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus; nothing to check" >&2; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-50s %8s %8s\n' book words leftovers
for epub in "$corpus"/*.epub; do
  name=$(basename "$epub" .epub)
  work="$out/$name"
  if ! "$bin" convert "$epub" --stop-after script --no-images -w "$work" -q >/dev/null 2>&1; then
    printf '%-50s %8s %8s\n' "$name" - "(not converted)"
    continue
  fi
  words=$(cat "$work"/script/*.txt 2>/dev/null | wc -w)
  count=0
  for script in "$work"/script/*.txt; do
    [ -e "$script" ] || continue
    found=$("$bin" normalize --check -f "$script" -q 2>/dev/null)
    if [ -n "$found" ]; then
      count=$((count + $(printf '%s\n' "$found" | wc -l)))
      [ "$list" = --list ] && printf '%s\n' "$found" | sed "s|$work/script/|$name: |"
    fi
  done
  printf '%-50s %8s %8s\n' "$name" "$words" "$count"
done
