#!/usr/bin/env bash
# Install what the benchmark needs: wrk and nginx (with Lua) from Debian, LiteLLM's proxy in
# its own virtual environment (bench/.venv-litellm), and py-spy (into the same venv) for profiling.
# Idempotent: each step is skipped when already done. Pass --no-peer to skip LiteLLM.
set -euo pipefail
cd "$(dirname "$0")"
LITELLM_SPEC="${LITELLM_SPEC:-litellm[proxy]}"
PYTHON="${PYTHON:-python3}"

need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v nginx >/dev/null || need_apt+=(nginx-light)
[ -e /usr/share/nginx/modules-available/mod-http-lua.conf ] || need_apt+=(libnginx-mod-http-lua)
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  # Debian starts the packaged nginx service; the bench runs its own instance.
  $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
fi

if [ "${1:-}" != "--no-peer" ] && [ ! -x .venv-litellm/bin/litellm ]; then
  "$PYTHON" -m venv .venv-litellm
  .venv-litellm/bin/pip install --quiet --upgrade pip
  .venv-litellm/bin/pip install --quiet "$LITELLM_SPEC"
fi

# py-spy (optional, for `run.py --profile`) goes into the bench venv, not the project's.
if [ -x .venv-litellm/bin/pip ] && [ ! -x .venv-litellm/bin/py-spy ]; then
  .venv-litellm/bin/pip install --quiet py-spy || true
fi
echo "bench/setup.sh: ready (wrk $(command -v wrk), nginx $(command -v nginx))"
