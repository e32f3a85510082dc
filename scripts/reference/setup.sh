#!/usr/bin/env bash
# Makes the Python reference's virtual environment for `bookvoice bench --compare-reference`:
# kokoro-onnx 0.6.1 on the same ONNX Runtime version bookvoice loads, from PyPI.
#
#   scripts/reference/setup.sh [VENV] [cjk]      (default .venv-reference)
#
# With `cjk`, also misaki 0.9.4's Mandarin and Japanese G2P (jieba, pypinyin, fugashi with the
# unidic-lite dictionary), which Kokoro's own pipeline uses for zh and ja; its pyopenjtalk
# dependency compiles from source (a few minutes). The `unidic` package misaki pulls in wants
# a download at run time, so it is removed and fugashi falls back to unidic-lite.
set -euo pipefail
venv="${1:-.venv-reference}"
cjk="${2:-}"
if ! { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import kokoro_onnx' 2>/dev/null; }; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        kokoro-onnx==0.6.1 onnxruntime==1.31.1
fi
if [ "$cjk" = cjk ] && ! "$venv/bin/python" -c 'import misaki.zh, misaki.ja' 2>/dev/null; then
    echo "reference: installing misaki's Mandarin and Japanese G2P (a few minutes)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "misaki[zh,ja]==0.9.4" unidic-lite==1.0.8
    "$venv/bin/pip" uninstall --quiet -y unidic || true
fi
echo "reference ready: $venv/bin/python"
