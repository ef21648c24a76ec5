"""The PDF renderer never fetches anything but the project's static files (SPEC §6).

A canary HTTP server on 127.0.0.1 records every connection; local files are named through file://
in <img>, <link rel=attachment>, <a rel=attachment>, @import, <object>, <embed> and SVG. The PDF must
contain none of their bytes, embed no file, and the canary must see no connection. A control run with
WeasyPrint's default fetcher shows that the same checks do catch a leak.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML

from collectifs.enums import College
from collectifs.models import Collectif, Declaration, Indicateur
from collectifs.services import declaration_deposer
from documents.rendu import BASE_STATIQUE, FetcherStatique, RessourceRefusee, html_vers_pdf, rendre_pdf
from documents.services import document_lire
from tests.collectifs.factories import MembreFactory, OrganisationFactory
from tests.documents.pdf import octets_pdf, pieces_jointes, polices_pdf, texte_pdf

pytestmark = pytest.mark.pdf

PASSWD = Path("/etc/passwd").read_bytes()
LIGNE_PASSWD = b"root:x:0:0" if b"root:x:0:0" in PASSWD else PASSWD.splitlines()[0]
NOM_HOTE = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() else b""


class _Serveur(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Canari)
        self.connexions: list[Any] = []
        self.requetes: list[str] = []

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connexions.append(client_address)  # every TCP connection, even one that sends nothing
        return True


class _Canari(BaseHTTPRequestHandler):
    server: _Serveur

    def _repondre(self) -> None:
        self.server.requetes.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_POST = _repondre

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the canary records requests in `server.requetes`, not on stderr."""


@pytest.fixture
def canari() -> Iterator[_Serveur]:
    serveur = _Serveur()
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield serveur
    serveur.shutdown()
    serveur.server_close()
    fil.join(timeout=5)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file with a unique content, to prove no local file is read (whatever /etc/hostname holds)."""
    fichier = tmp_path / "secret.txt"
    fichier.write_text(f"SECRET-{uuid.uuid4().hex}\n")
    return fichier


def url_canari(canari: _Serveur, chemin: str) -> str:
    return f"http://127.0.0.1:{canari.server_address[1]}/{chemin}"


def balises(canari: _Serveur) -> str:
    """The three tags of the brief, as a user would type them."""
    return (
        '<img src="file:///etc/hostname">'
        '<link rel="attachment" href="file:///etc/passwd">'
        f'<img src="{url_canari(canari, "canary.png")}">'
    )


def html_hostile(canari: _Serveur, secret: Path) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr"><head>
<meta charset="utf-8"><title>Hostile</title>
<link rel="stylesheet" href="{url_canari(canari, "x.css")}">
<link rel="stylesheet" href="//127.0.0.1:{canari.server_address[1]}/sans-protocole.css">
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="file://{secret}">
<style>
@import url(file:///etc/passwd);
@import url("{url_canari(canari, "import.css")}");
@font-face {{ font-family: Piege; src: url({url_canari(canari, "police.woff2")}); }}
body {{ font-family: Piege, sans-serif; background: url({url_canari(canari, "fond.png")}); }}
</style>
</head><body>
<p>Texte brut non échappé.</p>
{balises(canari)}
<img src="file://{secret}">
<a rel="attachment" href="file:///etc/passwd">pièce jointe</a>
<a rel="attachment" href="file://{secret}">autre pièce jointe</a>
<object data="file:///etc/passwd" type="text/plain"></object>
<embed src="{url_canari(canari, "embed.png")}">
<img src="../../../../etc/passwd">
<img src="{BASE_STATIQUE}pdf/../../../../../etc/passwd">
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <image href="file:///etc/passwd" width="10" height="10"/>
  <image href="{url_canari(canari, "svg.png")}" width="10" height="10"/>
</svg>
</body></html>"""


def verifier_etanche(contenu: bytes, canari: _Serveur, secret: Path) -> None:
    octets = octets_pdf(contenu)
    assert contenu.startswith(b"%PDF-")
    assert LIGNE_PASSWD not in octets
    assert secret.read_bytes().strip() not in octets
    # A two-letter host name ("vm") occurs by chance in binary font data: check only a distinctive one.
    if len(NOM_HOTE) >= 6:
        assert NOM_HOTE not in octets
    assert pieces_jointes(contenu) == []
    assert canari.connexions == []
    assert canari.requetes == []


@pytest.mark.django_db
def test_le_texte_d_un_utilisateur_ne_fait_rien_charger(declaration_prete, canari, secret):
    declaration = declaration_prete
    injection = balises(canari) + f'<img src="file://{secret}">'
    trois_balises = balises(canari)  # short enough for the 200-character fields
    Collectif.objects.filter(pk=declaration.collectif_id).update(
        nom=f"Collectif {trois_balises}", territoire=f"Quartier {injection}"
    )
    Declaration.objects.filter(pk=declaration.pk).update(
        dynamique_preexistante=injection, projet=injection, additionnalite=injection
    )
    declaration.refresh_from_db()
    MembreFactory(
        collectif=declaration.collectif,
        college=College.HABITANT,
        prenom='<link rel="attachment" href="file:///etc/passwd">',
        nom=f'<img src="{url_canari(canari, "c.png")}">',
        fonction=trois_balises,
        organisation=OrganisationFactory(nom=trois_balises),
    )
    declaration.collectif.institutions_origine.add(OrganisationFactory(nom=trois_balises))
    Indicateur.objects.create(declaration=declaration, libelle=trois_balises, description=injection)

    document = declaration_deposer(acteur=declaration.collectif.referents.first(), declaration=declaration)
    contenu = document_lire(document)

    verifier_etanche(contenu, canari, secret)
    # The tags were escaped, so they show as text.
    texte_sans_blancs = "".join(texte_pdf(contenu).split())
    assert '<linkrel="attachment"href="file:///etc/passwd">' in texte_sans_blancs
    assert '<imgsrc="file:///etc/hostname">' in texte_sans_blancs


def test_le_moteur_lui_meme_refuse_le_html_brut(canari, secret):
    contenu = html_vers_pdf(html_hostile(canari, secret))

    verifier_etanche(contenu, canari, secret)
    assert "Texte brut non échappé." in texte_pdf(contenu)


def test_controle_le_fetcher_par_defaut_de_weasyprint_fuiterait(canari, secret):
    """Without the locked fetcher the same checks fail: they can detect a leak."""
    contenu = HTML(string=html_hostile(canari, secret), base_url=BASE_STATIQUE).write_pdf()

    octets = octets_pdf(contenu)
    assert LIGNE_PASSWD in octets
    assert secret.read_bytes().strip() in octets
    assert pieces_jointes(contenu) != []
    assert any("canary.png" in requete for requete in canari.requetes)
    assert canari.connexions


def test_le_fetcher_sert_les_fichiers_statiques_du_projet():
    fetcher = FetcherStatique()

    feuille = fetcher.fetch(f"{BASE_STATIQUE}pdf/pdf.css")
    police = fetcher.fetch(f"{BASE_STATIQUE}dsfr/dist/fonts/Marianne-Regular.woff2")

    assert feuille.read() == Path(finders.find("pdf/pdf.css")).read_bytes()
    assert police.read().startswith(b"wOF2")
    assert fetcher.refusees == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://exemple.org/static/pdf/pdf.css",
        "data:text/plain,bonjour",
        "ftp://127.0.0.1/etc/passwd",
        # ../ traversal, even towards a file that exists.
        f"{BASE_STATIQUE}pdf/../pdf/pdf.css",
        f"{BASE_STATIQUE}../static/pdf/pdf.css",
        f"{BASE_STATIQUE}dsfr/../../../../../../etc/passwd",
        f"{BASE_STATIQUE}pdf/%2e%2e/pdf/pdf.css",
        # Outside /static/, or a look-alike host.
        "https://statique.collectifs-ds.invalid/media/documents/x.pdf",
        "https://statique.collectifs-ds.invalid.exemple.org/static/pdf/pdf.css",
        f"{BASE_STATIQUE}fichier-absent.css",
        f"{BASE_STATIQUE}",
    ],
)
def test_le_fetcher_refuse_tout_le_reste(url):
    fetcher = FetcherStatique()
    with pytest.raises(RessourceRefusee):
        fetcher.fetch(url)
    assert fetcher.refusees == [url]


def test_le_fetcher_refuse_un_chemin_absolu():
    with pytest.raises((RessourceRefusee, SuspiciousFileOperation)):
        FetcherStatique().fetch(f"{BASE_STATIQUE}/etc/passwd")


def test_le_rendu_utilise_la_feuille_de_style_et_la_police_marianne():
    contenu = rendre_pdf("documents/pdf/base.html", {"numero": "REC-42-2027-00099", "titre": "Essai"})

    assert {"Marianne", "Marianne-Bold"} <= polices_pdf(contenu)
    texte = texte_pdf(contenu)
    assert "RÉPUBLIQUE FRANÇAISE" in texte
    assert "REC-42-2027-00099" in texte
    assert "Page 1 sur 1" in texte
