#!/usr/bin/env bash
# Run the test suite against PostgreSQL (DATABASE_URL, default: local server, database "inone";
# pytest-django creates and drops test_inone). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh
bash scripts/venv.sh

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/inone}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-test-secret-key-used-only-by-the-test-suite}
export INONE_BASE_URL=${INONE_BASE_URL:-https://inone.useinsider.com}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-testserver,127.0.0.1,localhost}
export DJANGO_DEBUG=0

exec .venv/bin/python -m pytest "$@"
