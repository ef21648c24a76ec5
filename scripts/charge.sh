#!/usr/bin/env bash
# The bounded load test (`make charge`, docs/charge.md): on a throwaway PostgreSQL cluster (scripts/with-postgres.sh)
# and, for RQ, a throwaway Redis (scripts/with-redis.sh), load the demo data and the load test's accounts, start
# gunicorn (production settings, several workers, loopback only) and a task worker, run the journeys of
# demo.charge.parcours for a fixed time, stop the servers, check the invariants (`charge_verifier`), print the
# French report and keep it under var/charge/. Everything is stopped and deleted when the script ends.
#
#   scripts/charge.sh
#
# Options, by environment:
#   CHARGE_DUREE         seconds of load                                               [120]
#   CHARGE_UTILISATEURS  virtual users per role (5 roles)                              [5]
#   CHARGE_WORKERS_WEB   gunicorn workers                                              [4]
#   CHARGE_TACHES        rq (RQ worker on a throwaway Redis) or db (db_worker)          [rq when redis-server exists]
# Exit code: 0 when the run had no error and no invariant is violated, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ -z ${CHARGE_TACHES:-} ]]; then
    if command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server ]]; then
        CHARGE_TACHES=rq
    else
        CHARGE_TACHES=db
    fi
fi
if [[ $CHARGE_TACHES != rq && $CHARGE_TACHES != db ]]; then
    echo "charge: CHARGE_TACHES vaut rq ou db, pas « $CHARGE_TACHES »" >&2
    exit 64
fi
export CHARGE_TACHES

if [[ -z ${CHARGE_DANS_LE_CLUSTER:-} ]]; then
    export CHARGE_DANS_LE_CLUSTER=1
    if [[ $CHARGE_TACHES == rq ]]; then
        exec scripts/with-postgres.sh scripts/with-redis.sh "$0" "$@"
    fi
    exec scripts/with-postgres.sh "$0" "$@"
fi

PYTHON=${PYTHON_CHARGE:-.venv/bin/python}
DUREE=${CHARGE_DUREE:-120}
UTILISATEURS=${CHARGE_UTILISATEURS:-5}
WORKERS_WEB=${CHARGE_WORKERS_WEB:-4}

TRAVAIL=$(mktemp -d /tmp/charge.XXXXXX)
GUNICORN_PID=""
WORKER_PID=""
arreter() {
    local pid
    for pid in "$GUNICORN_PID" "$WORKER_PID"; do
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    GUNICORN_PID=""
    WORKER_PID=""
}
nettoyer() {
    local status=$?
    trap - EXIT INT TERM
    arreter
    rm -rf "$TRAVAIL"
    exit "$status"
}
trap nettoyer EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production settings, with what they require; every secret is generated for this run and dies with it.
secret() { "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))'; }
export DJANGO_SETTINGS_MODULE=config.settings.prod
DJANGO_SECRET_KEY=$(secret)
JOURNAL_CLE_CONDENSE=$(secret)
CHARGE_MOT_DE_PASSE="Charge-$(secret)"
export DJANGO_SECRET_KEY JOURNAL_CLE_CONDENSE CHARGE_MOT_DE_PASSE
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 PROXIES_DE_CONFIANCE=0
export SITE_URL=http://127.0.0.1
# Every virtual user comes from 127.0.0.1: the API throttles (per address and per user) are raised for the run.
export API_DEBIT_ANONYME=1000000/min API_DEBIT_UTILISATEUR=1000000/min
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export FONDS_ATTRIBUANT_NOM="Fonds d'innovation sociale (test de charge)" FONDS_ATTRIBUANT_SIRET=13000000300017
export DATABASE_CONN_MAX_AGE=60
# The collected static files are kept between runs (collecting and compressing them takes minutes): the journeys
# never fetch them, the pages only need their manifest. They are collected again when a static file is newer.
export STATIC_ROOT=$PWD/var/charge/static MEDIA_ROOT=$TRAVAIL/media JOURNAL_CONDENSES_DIR=$TRAVAIL/condenses
export TASKS_BACKEND=$CHARGE_TACHES

mkdir -p var/charge
RAPPORT=var/charge/charge-$(date +%Y%m%d-%H%M%S).md
{
    echo "# Test de charge du $(date '+%d/%m/%Y à %H:%M')"
    echo
    echo "- Version : $(git rev-parse --short HEAD 2>/dev/null || echo inconnue) ; machine : $(nproc) cœur(s)."
    echo "- gunicorn : $WORKERS_WEB workers synchrones, réglages de production, sur 127.0.0.1 ; PostgreSQL 15 jetable."
    echo "- Tâches de fond : $([[ $CHARGE_TACHES == rq ]] && echo "RQ sur un Redis jetable (rqworker)" || echo "base de données (db_worker)")."
    echo "- Données : \`manage.py demo\` puis \`manage.py charge_preparer\` ($UTILISATEURS comptes par rôle)."
    echo
} >"$RAPPORT"

# One preparation step, timed; its output goes to the log, shown only when it fails.
etape() {
    local debut=$SECONDS
    if ! "$PYTHON" manage.py "$@" >>"$TRAVAIL/preparation.log" 2>&1; then
        cat "$TRAVAIL/preparation.log" >&2
        echo "charge: échec de manage.py $*" >&2
        exit 1
    fi
    echo "charge: manage.py $1 ($((SECONDS - debut)) s)"
    echo "- Préparation : \`manage.py $1\` en $((SECONDS - debut)) s." >>"$RAPPORT"
}
etape migrate --noinput
etape createcachetable
etape demo --force
etape charge_preparer --force --utilisateurs-par-role "$UTILISATEURS"
MANIFESTE=$STATIC_ROOT/staticfiles.json
if [[ ! -f $MANIFESTE ]] || [[ -n $(find static ./*/static .venv/lib -path '*/static/*' -type f \
        -newer "$MANIFESTE" -print -quit 2>/dev/null) ]]; then
    etape collectstatic --noinput --clear --ignore node_modules
else
    echo "charge: fichiers statiques à jour dans $STATIC_ROOT"
fi
echo >>"$RAPPORT"

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

echo "charge: gunicorn ($WORKERS_WEB workers) sur $BASE, tâches : $CHARGE_TACHES"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS_WEB" \
    --access-logfile "$TRAVAIL/acces.log" --error-logfile "$TRAVAIL/gunicorn.log" 2>>"$TRAVAIL/gunicorn.log" &
GUNICORN_PID=$!
if [[ $CHARGE_TACHES == rq ]]; then
    "$PYTHON" manage.py rqworker default --with-scheduler >"$TRAVAIL/worker.log" 2>&1 &
else
    "$PYTHON" manage.py db_worker --queue-name '*' >"$TRAVAIL/worker.log" 2>&1 &
fi
WORKER_PID=$!

# Up to 30 s for gunicorn to answer its health check.
if ! "$PYTHON" - "$BASE/healthz" <<'PY'; then
import sys
import time
import urllib.request

for _ in range(60):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as reponse:
            if reponse.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
    echo "charge: gunicorn ne répond pas" >&2
    cat "$TRAVAIL/gunicorn.log" >&2
    exit 1
fi

echo "charge: $DUREE s de charge, $UTILISATEURS utilisateur·rices virtuel·les par rôle"
statut_charge=0
"$PYTHON" -m demo.charge.parcours --duree "$DUREE" --utilisateurs-par-role "$UTILISATEURS" --base "$BASE" \
    --rapport "$RAPPORT" >/dev/null || statut_charge=$?

# Let the worker finish the jobs the run queued (notifications, documents), then stop everything.
sleep 5
arreter
if grep -q "Traceback" "$TRAVAIL/gunicorn.log" "$TRAVAIL/worker.log"; then
    {
        echo "## Journaux"
        echo
        echo "Des exceptions figurent dans les journaux de gunicorn ou du worker (nombre, exception) :"
        echo
        echo '```'
        # The exception that ended each traceback, counted (the stack itself stays in the logs).
        awk '/^Traceback/ { dans = 1; next } dans && /^[A-Za-z_][A-Za-z0-9_.]*(: |$)/ { print; dans = 0 }' \
            "$TRAVAIL/gunicorn.log" "$TRAVAIL/worker.log" | sort | uniq -c | sort -rn >"$TRAVAIL/exceptions.txt"
        head -20 "$TRAVAIL/exceptions.txt"
        echo '```'
        echo
        echo "Journaux complets : ${RAPPORT%.md}-gunicorn.log et ${RAPPORT%.md}-worker.log."
        echo
    } >>"$RAPPORT"
    cp "$TRAVAIL/gunicorn.log" "${RAPPORT%.md}-gunicorn.log"
    cp "$TRAVAIL/worker.log" "${RAPPORT%.md}-worker.log"
fi

statut_invariants=0
"$PYTHON" manage.py charge_verifier --rapport "$RAPPORT" >/dev/null || statut_invariants=$?

cat "$RAPPORT"
echo "charge: rapport écrit dans $RAPPORT"
if [[ $statut_charge -ne 0 || $statut_invariants -ne 0 ]]; then
    exit 1
fi
