#!/usr/bin/env bash
# Run the gateway benchmarks on PostgreSQL (DATABASE_URL, default: the local server) with the
# same settings as the test suite. Arguments go to bench/gateway_bench.py.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/venv.sh
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/inone_bench}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-secret-key-used-only-by-benchmarks}
export INONE_BASE_URL=${INONE_BASE_URL:-https://inone.useinsider.com}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-testserver}
export DJANGO_DEBUG=0
export INONE_LOG_LEVEL=${INONE_LOG_LEVEL:-WARNING}

exec .venv/bin/python bench/gateway_bench.py "$@"
