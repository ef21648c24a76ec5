#!/usr/bin/env bash
# The national benchmark (`make bench`, docs/banc.md): on a throwaway PostgreSQL cluster (scripts/with-postgres.sh),
# build the national dataset in database "collectifs" and the Loire's in "collectifs_loire" (`banc_generer`),
# measure the key pages on both (`banc_mesurer`), print the table and keep it under var/banc/. The cluster is
# deleted when the script ends, whatever the outcome.
#
#   scripts/bench.sh
#
# Sizes and options, by environment (defaults: the national scale of issue 13):
#   BANC_DEPARTEMENTS  all, or codes separated by commas (the Loire, 42, must be among them)   [all]
#   BANC_CAMPAGNES     campaigns per département                                               [3]
#   BANC_COLLECTIFS    collectifs per campaign and département                                 [30]
#   BANC_MEMBRES       members per collectif                                                   [16]
#   BANC_ECHANTILLON   collectifs per département and campaign built through the services (the rest in bulk) [1]
#   BANC_REPETITIONS   measured requests per page, role and dataset                            [30]
#   BANC_CHAUFFE       warm-up rounds                                                          [3]
#   BANC_COMPARER      the JSON of a previous run: also print the deltas                       []
# A quick run: BANC_DEPARTEMENTS=42,69,01 BANC_COLLECTIFS=5 BANC_MEMBRES=8 BANC_REPETITIONS=10 make bench
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ -z ${BANC_DANS_LE_CLUSTER:-} ]]; then
    BANC_DANS_LE_CLUSTER=1 exec scripts/with-postgres.sh "$0" "$@"
fi

PYTHON=${PYTHON_BANC:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=config.settings.banc
NATIONAL_URL=$DATABASE_URL
LOIRE_URL=${DATABASE_URL/\/collectifs\?//collectifs_loire?}
DEPARTEMENTS=${BANC_DEPARTEMENTS:-all}
TAILLE=(--campagnes "${BANC_CAMPAGNES:-3}" --collectifs "${BANC_COLLECTIFS:-30}" --membres "${BANC_MEMBRES:-16}"
    --echantillon "${BANC_ECHANTILLON:-1}")

echo "banc: création de la base du jeu Loire"
"$PYTHON" - "$NATIONAL_URL" <<'PY'
import sys

import psycopg

with psycopg.connect(sys.argv[1], autocommit=True) as connexion:
    connexion.execute("CREATE DATABASE collectifs_loire")
PY

# Each database is migrated and filled as alias "default" (data migrations then write where they should); only
# the measurement reads both, through the router of config.settings.banc.
for jeu in national loire; do
    if [[ $jeu == national ]]; then url=$NATIONAL_URL; codes=$DEPARTEMENTS; else url=$LOIRE_URL; codes=42; fi
    echo "banc: migrations et génération du jeu $jeu (départements : $codes)"
    DATABASE_URL=$url BANC_DATABASE_URL_LOIRE='' "$PYTHON" manage.py migrate --noinput -v 0
    DATABASE_URL=$url BANC_DATABASE_URL_LOIRE='' "$PYTHON" manage.py banc_generer --departements "$codes" "${TAILLE[@]}"
    # The national report of the syntheses' year (through its service), for the report page.
    DATABASE_URL=$url BANC_DATABASE_URL_LOIRE='' "$PYTHON" manage.py shell -c \
        "from demo.banc.mesure import rapport_national_preparer; print('banc: rapport national', rapport_national_preparer())"
done

mkdir -p var/banc
SORTIE=var/banc/banc-$(date +%Y%m%d-%H%M%S).md
echo "banc: mesures (${BANC_REPETITIONS:-30} requêtes par couple)"
DATABASE_URL=$NATIONAL_URL BANC_DATABASE_URL_LOIRE=$LOIRE_URL "$PYTHON" manage.py banc_mesurer \
    --repetitions "${BANC_REPETITIONS:-30}" --chauffe "${BANC_CHAUFFE:-3}" --sortie "$SORTIE" \
    ${BANC_COMPARER:+--comparer "$BANC_COMPARER"}
