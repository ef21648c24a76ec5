"""A tiny OpenID provider for the ProConnect tests: an HTTP server in a thread on 127.0.0.1 (random port), no network.

It serves /authorize (redirects back with a code and the state), /token (an RS256 ID token echoing the nonce),
/userinfo (a signed JWT, as ProConnect does, or JSON) and /jwks, with an RSA key generated for each provider."""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "collectifs-ds-test"
CLIENT_SECRET = "secret-de-test-du-fournisseur"
KID = "cle-de-test"


@dataclass
class Autorisation:
    """What /authorize remembered for one code."""

    nonce: str
    redirect_uri: str
    claims: dict[str, Any]


@dataclass
class FauxFournisseur:
    """The provider; set `claims` (what /userinfo returns) before each login."""

    claims: dict[str, Any] = field(default_factory=dict)
    userinfo_jwt: bool = True
    cle: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict[str, Autorisation] = field(default_factory=dict)
    jetons: dict[str, dict[str, Any]] = field(default_factory=dict)
    requetes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        fournisseur = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                fournisseur.requetes.append(self.path)
                url = urlsplit(self.path)
                parametres = {cle: valeurs[0] for cle, valeurs in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    self._repondre(*fournisseur.autoriser(parametres))
                elif url.path == "/userinfo":
                    self._repondre(*fournisseur.userinfo(self.headers.get("Authorization", "")))
                elif url.path == "/jwks":
                    self._repondre(200, {"Content-Type": "application/json"}, json.dumps(fournisseur.jwks()))
                else:
                    self._repondre(404, {}, "")

            def do_POST(self) -> None:
                fournisseur.requetes.append(self.path)
                longueur = int(self.headers.get("Content-Length") or 0)
                corps = {cle: valeurs[0] for cle, valeurs in parse_qs(self.rfile.read(longueur).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._repondre(*fournisseur.jeton(corps))
                else:
                    self._repondre(404, {}, "")

            def _repondre(self, statut: int, entetes: dict[str, str], corps: str) -> None:
                donnees = corps.encode()
                self.send_response(statut)
                for nom, valeur in entetes.items():
                    self.send_header(nom, valeur)
                self.send_header("Content-Length", str(len(donnees)))
                self.end_headers()
                self.wfile.write(donnees)

        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
        self.fil = threading.Thread(target=self.serveur.serve_forever, args=(0.05,), daemon=True)

    # --- Life cycle ---------------------------------------------------------------------------------------------

    def demarrer(self) -> FauxFournisseur:
        self.fil.start()
        return self

    def arreter(self) -> None:
        self.serveur.shutdown()
        self.serveur.server_close()
        self.fil.join(timeout=5)

    def url(self, chemin: str) -> str:
        hote, port = self.serveur.server_address[:2]
        return f"http://{hote}:{port}{chemin}"

    def reglages(self, **autres: Any) -> dict[str, Any]:
        """The settings of a deployment that uses this provider (as config/settings/base.py would set them)."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.url("/authorize"),
            "OIDC_OP_TOKEN_ENDPOINT": self.url("/token"),
            "OIDC_OP_USER_ENDPOINT": self.url("/userinfo"),
            "OIDC_OP_JWKS_ENDPOINT": self.url("/jwks"),
            "OIDC_OP_LOGOUT_ENDPOINT": self.url("/session/end"),
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid email given_name usual_name",
            "OIDC_TIMEOUT": 5,
            "OIDC_CREATE_USER": False,
            "OIDC_STORE_ID_TOKEN": True,
            "OIDC_AUTHENTICATION_CALLBACK_URL": "comptes:proconnect_retour",
            "AXES_WHITELIST_CALLABLE": "comptes.oidc.hors_axes",
            **autres,
        }

    # --- Endpoints ----------------------------------------------------------------------------------------------

    def autoriser(self, parametres: dict[str, str]) -> tuple[int, dict[str, str], str]:
        if parametres.get("client_id") != CLIENT_ID or parametres.get("response_type") != "code":
            return 400, {}, "requête invalide"
        code = secrets.token_urlsafe(16)
        self.codes[code] = Autorisation(parametres["nonce"], parametres["redirect_uri"], dict(self.claims))
        retour = f"{parametres['redirect_uri']}?{urlencode({'code': code, 'state': parametres['state']})}"
        return 302, {"Location": retour}, ""

    def jeton(self, corps: dict[str, str]) -> tuple[int, dict[str, str], str]:
        autorisation = self.codes.pop(corps.get("code", ""), None)
        if (
            autorisation is None
            or corps.get("client_id") != CLIENT_ID
            or corps.get("client_secret") != CLIENT_SECRET
            or corps.get("grant_type") != "authorization_code"
            or corps.get("redirect_uri") != autorisation.redirect_uri
        ):
            return 400, {"Content-Type": "application/json"}, json.dumps({"error": "invalid_grant"})
        acces = secrets.token_urlsafe(16)
        self.jetons[acces] = autorisation.claims
        maintenant = int(time.time())
        id_token = self.signer(
            {
                "iss": self.url(""),
                "aud": CLIENT_ID,
                "sub": "sub-" + str(autorisation.claims.get("email", "")),
                "iat": maintenant,
                "exp": maintenant + 60,
                "nonce": autorisation.nonce,
            }
        )
        reponse = {"access_token": acces, "token_type": "Bearer", "expires_in": 60, "id_token": id_token}
        return 200, {"Content-Type": "application/json"}, json.dumps(reponse)

    def userinfo(self, autorisation: str) -> tuple[int, dict[str, str], str]:
        claims = self.jetons.get(autorisation.removeprefix("Bearer "))
        if claims is None:
            return 401, {}, ""
        if self.userinfo_jwt:
            return 200, {"Content-Type": "application/jwt"}, self.signer(claims)
        return 200, {"Content-Type": "application/json"}, json.dumps(claims)

    def jwks(self) -> dict[str, Any]:
        cle = RSAAlgorithm.to_jwk(self.cle.public_key(), as_dict=True)
        return {"keys": [{**cle, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def signer(self, contenu: dict[str, Any]) -> str:
        return jwt.encode(contenu, self.cle, algorithm="RS256", headers={"kid": KID})
