#!/usr/bin/env bash
# Back up Collectifs DS: the database (pg_dump, custom format) and the media folder (the issued documents), into a
# new dated folder with a SHA-256SUMS file. See docs/exploitation.md, « Sauvegarde et restauration ».
#
#   scripts/sauvegarder.sh [DOSSIER_PARENT]
#
# Reads DATABASE_URL (a postgres:// URL, as in /etc/collectifs-ds/collectifs.env) and MEDIA_ROOT; the parent
# folder defaults to $SAUVEGARDE_DIR, else var/sauvegardes. Prints the path of the new backup folder.
# With SAUVEGARDE_JOURS=N (N > 0), the backups of that parent folder older than N days are then deleted.
# The backup contains personal data: it is written for the current user only (umask 077).
set -euo pipefail
umask 077

racine=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
parent=${1:-${SAUVEGARDE_DIR:-$racine/var/sauvegardes}}
: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL à sauvegarder}"
media=${MEDIA_ROOT:-$racine/var/media}

case $DATABASE_URL in
    postgres://* | postgresql://*) ;;
    *) echo "sauvegarder: DATABASE_URL n'est pas une URL PostgreSQL (postgres://…)" >&2; exit 2 ;;
esac
if [[ ! -d $media ]]; then  # no document issued yet: the archive is empty
    echo "sauvegarder: attention, le dossier des documents $media n'existe pas (MEDIA_ROOT) : archive vide" >&2
    media_vide=$(mktemp -d)
    media=$media_vide
fi

# The PostgreSQL client binaries of the newest installed version (Debian's /usr/bin ones are pg_wrapper links).
pg_outil() {
    local nom=$1 candidat
    for candidat in $(ls -d /usr/lib/postgresql/*/bin/"$nom" 2>/dev/null | sort -V -r) "$(command -v "$nom" || true)"; do
        if [[ -n $candidat && -x $candidat ]]; then
            echo "$candidat"
            return 0
        fi
    done
    echo "sauvegarder: $nom introuvable (paquet postgresql-client)" >&2
    return 1
}
PG_DUMP=${PG_DUMP:-$(pg_outil pg_dump)}

mkdir -p "$parent"
dossier=$parent/$(date +%Y%m%d-%H%M%S)
if ! mkdir "$dossier" 2>/dev/null; then  # two backups in the same second
    dossier=$(mktemp -d "$dossier-XXXX")
fi
# An interrupted backup leaves no folder that looks complete.
nettoyer() {
    local status=$?
    if [[ $status -ne 0 ]]; then rm -rf "$dossier"; fi
    if [[ -n ${media_vide:-} ]]; then rmdir "$media_vide"; fi
}
trap nettoyer EXIT

"$PG_DUMP" --format=custom --no-owner --no-privileges --file="$dossier/base.dump" --dbname="$DATABASE_URL"
tar --create --gzip --file="$dossier/media.tar.gz" --directory="$media" .
(cd "$dossier" && sha256sum base.dump media.tar.gz >SHA256SUMS)

if [[ ${SAUVEGARDE_JOURS:-0} -gt 0 ]]; then
    find "$parent" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime "+$SAUVEGARDE_JOURS" -exec rm -rf {} +
fi
echo "$dossier"
