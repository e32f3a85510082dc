#!/usr/bin/env bash
# Makes the Python reference's virtual environment for `bookvoice bench --compare-reference`:
# kokoro-onnx 0.6.1 on the same ONNX Runtime version bookvoice loads, from PyPI.
#
#   scripts/reference/setup.sh [VENV]      (default .venv-reference)
set -euo pipefail
venv="${1:-.venv-reference}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import kokoro_onnx' 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    kokoro-onnx==0.6.1 onnxruntime==1.31.1
echo "reference ready: $venv/bin/python"
