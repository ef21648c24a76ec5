#!/usr/bin/env bash
# Restore a backup of scripts/sauvegarder.sh into a NEW database and a new (or empty) media folder.
# See docs/exploitation.md, « Sauvegarde et restauration ».
#
#   scripts/restaurer.sh DOSSIER_SAUVEGARDE NOUVELLE_BASE DOSSIER_MEDIA
#
# DATABASE_URL names the server and the role to connect with (its database part is ignored): the role must be
# allowed to create a database (a superuser, or the owner role given CREATEDB for the occasion). The new database
# must not exist yet; DOSSIER_MEDIA must not exist, or be empty. The checksums are verified first.
# The restored objects belong to the connecting role (pg_restore --no-owner) and carry no grants: run
# deploy/postgresql/roles.sql on the new database afterwards, then point DATABASE_URL and MEDIA_ROOT at them.
set -euo pipefail
umask 077

if [[ $# -ne 3 ]]; then
    echo "usage: $0 DOSSIER_SAUVEGARDE NOUVELLE_BASE DOSSIER_MEDIA" >&2
    exit 64
fi
sauvegarde=$1
base=$2
media=$3
: "${DATABASE_URL:?DATABASE_URL doit désigner le serveur PostgreSQL (et le rôle) de la restauration}"

if [[ ! $base =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "restaurer: nom de base invalide « $base » (minuscules, chiffres et _)" >&2
    exit 2
fi
for fichier in base.dump media.tar.gz SHA256SUMS; do
    if [[ ! -f $sauvegarde/$fichier ]]; then
        echo "restaurer: $sauvegarde/$fichier manque" >&2
        exit 2
    fi
done
if [[ -e $media && -n $(ls -A "$media") ]]; then
    echo "restaurer: le dossier des documents $media n'est pas vide" >&2
    exit 2
fi

pg_outil() {
    local nom=$1 candidat
    for candidat in $(ls -d /usr/lib/postgresql/*/bin/"$nom" 2>/dev/null | sort -V -r) "$(command -v "$nom" || true)"; do
        if [[ -n $candidat && -x $candidat ]]; then
            echo "$candidat"
            return 0
        fi
    done
    echo "restaurer: $nom introuvable (paquet postgresql-client)" >&2
    return 1
}
PSQL=${PSQL:-$(pg_outil psql)}
PG_RESTORE=${PG_RESTORE:-$(pg_outil pg_restore)}

# The same URL with another database: postgres://user@host:port/DATABASE?params.
url_de() {
    sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$1#" <<<"$DATABASE_URL"
}

(cd "$sauvegarde" && sha256sum --check --quiet SHA256SUMS)

"$PSQL" --no-psqlrc --quiet -v ON_ERROR_STOP=1 --dbname="$(url_de postgres)" \
    -c "CREATE DATABASE \"$base\" TEMPLATE template0 ENCODING 'UTF8'"
"$PG_RESTORE" --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$(url_de "$base")" "$sauvegarde/base.dump"

mkdir -p "$media"
tar --extract --gzip --file="$sauvegarde/media.tar.gz" --directory="$media" --no-same-owner
echo "Base « $base » et documents ($media) restaurés depuis $sauvegarde."
echo "Ensuite : psql -d $base -f deploy/postgresql/roles.sql (avec -v base=$base …), puis DATABASE_URL et MEDIA_ROOT."
