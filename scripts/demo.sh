#!/usr/bin/env bash
# Run the gateway locally on SQLite with a demo tenant (hash "demo"), print the values to paste
# into the IdP and a fresh SCIM token, then serve http://127.0.0.1:8000 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh --runtime
bash scripts/venv.sh

export DJANGO_DEBUG=1
unset DATABASE_URL
python=.venv/bin/python
port=${PORT:-8000}
export INONE_BASE_URL=${INONE_BASE_URL:-http://127.0.0.1:$port}

$python manage.py migrate --noinput --verbosity 0
$python manage.py demosetup
$python manage.py tenantsetup demo
echo
echo "SCIM token for the demo tenant (shown once; run this script again for another):"
$python manage.py createscimtoken demo --name "demo $(date -u +%Y-%m-%dT%H:%M:%SZ)" | tail -n 1
echo
echo "Panel: $INONE_BASE_URL/   Admin: $INONE_BASE_URL/admin/"
exec $python manage.py runserver "127.0.0.1:$port"
