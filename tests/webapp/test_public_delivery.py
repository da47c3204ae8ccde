"""Delivery for weak networks: fingerprinted static URLs, immutable caching, compression,
the service worker, the web app manifest, offline packs, short links and QR codes."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import brotli
import pytest

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"


def _static_url(html: str, name: str) -> str:
    found = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{12}})"', html)
    assert found, f"no fingerprinted URL of {name}"
    return found.group(1)


@pytest.mark.parametrize(
    ("encoding", "decode"),
    [("br", brotli.decompress), ("gzip", gzip.decompress), ("gzip;q=1, br;q=0", gzip.decompress)],
)
def test_scripts_are_fingerprinted_cached_forever_and_compressed(
    client: Any, published_tour: Any, encoding: str, decode: Any
) -> None:
    html = client.get("/en/tours/citadel/1").get_data(as_text=True)
    for name in ("js/viewer.js", "vendor/model-viewer.min.js", "css/app.css"):
        url = _static_url(html, name)
        response = client.get(url, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == encoding.split(";")[0]
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decode(response.get_data()) == (STATIC / name).read_bytes()


def test_stale_or_missing_fingerprint_revalidates(client: Any, published_tour: Any) -> None:
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-cache"
        assert "Content-Encoding" not in response.headers  # the client accepts no encoding
        assert response.get_data() == (STATIC / "css/app.css").read_bytes()


def test_models_are_compressed_and_immutable(
    client: Any, published_tour: Any, ready_asset: Any, store: Any, backend: str
) -> None:
    key = ready_asset.levels["low"]["key"]
    response = client.get(f"/media/{key}", headers={"Accept-Encoding": "gzip"})
    if backend == "postgres-s3":
        assert response.status_code == 302  # bytes never pass through the app
        return
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == store.read(key)
    ranged = client.get(f"/media/{key}", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.get_data() == store.read(key)[:10]


def test_pages_are_compressed(client: Any, published_tour: Any) -> None:
    response = client.get("/en/tours/citadel/1", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Stop 1 of 2" in brotli.decompress(response.get_data()).decode()


def test_service_worker_is_served_for_the_whole_site(client: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.get_data()


def test_manifest_names_the_site_and_its_icons(client: Any) -> None:
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "fr"})
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/fr/"
    assert manifest["scope"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_offline_pack_lists_everything_a_saved_tour_needs(
    client: Any, published_tour: Any, ready_asset: Any, backend: str
) -> None:
    pack = client.get("/ko/tours/citadel/offline.json").get_json()
    assert pack["cache"] == "heritour-tour:citadel:ko:1"
    urls = pack["urls"]
    assert len(urls) == len(set(urls))
    for expected in (
        "/ko/tours/citadel/",
        "/ko/tours/citadel/1",
        "/ko/tours/citadel/2",
        "/ko/tours/citadel/2?mode=text",
        f"/media/{ready_asset.levels['low']['key']}",
        f"/media/{ready_asset.poster_key}",
        "/static/vendor/draco/draco_decoder.wasm",
        "/manifest.webmanifest",
        "/ko/offline",
    ):
        assert expected in urls
    for name in ("vendor/model-viewer.min.js", "vendor/meshopt_decoder.js", "js/viewer.js"):
        assert any(url.startswith(f"/static/{name}?v=") for url in urls)
    for url in urls:  # every URL of the pack can be fetched (media redirect to S3 there)
        on_s3 = backend == "postgres-s3" and url.startswith("/media/")
        assert client.get(url).status_code == (302 if on_s3 else 200), url


def test_offline_pack_names_the_tour_for_the_offline_page(client: Any, published_tour: Any) -> None:
    pack = client.get("/ko/tours/citadel/offline.json").get_json()
    assert (pack["title"], pack["title_lang"]) == ("Kinh thành", "vi")
    assert client.get("/en/tours/citadel/offline.json").get_json()["title"] == "The Citadel"


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "You are offline"), ("fr", "Vous êtes hors ligne"), ("ja", "オフラインです")],
)
def test_offline_page_is_in_the_visitors_language(client: Any, lang: str, heading: str) -> None:
    response = client.get(f"/{lang}/offline")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    html = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html
    assert f'<ul id="saved-tours" class="saved-list" data-lang="{lang}">' in html
    assert re.search(r'src="/static/js/offline-page\.js\?v=\w+"', html)


@pytest.mark.parametrize("page", ["/en/offline", "/en/tours/citadel/1"])
def test_pages_only_use_static_urls_of_the_offline_pack(
    client: Any, published_tour: Any, page: str
) -> None:
    """Every static file a saved page asks for is in the pack (the decoder folders the viewer
    names end in "/": the files it loads from them are listed one by one)."""
    pack = set(client.get("/en/tours/citadel/offline.json").get_json()["urls"])
    html = client.get(page).get_data(as_text=True)
    for url in re.findall(r'"(/static/[^"]+)"', html):
        if not url.endswith("/"):
            assert url in pack, url


@pytest.mark.parametrize(
    ("headers", "target"),
    [
        ({"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}, "/ko/tours/citadel/2"),
        ({"Accept-Language": "de-DE"}, "/vi/tours/citadel/2"),
        ({"Accept-Language": "ko", "Cookie": "lang=fr"}, "/fr/tours/citadel/2"),
    ],
)
def test_short_links_open_the_stop_in_the_phones_language(
    client: Any, published_tour: Any, headers: dict[str, str], target: str
) -> None:
    overview = client.get("/s/citadel/", headers={"Accept-Language": "ja"})
    assert overview.headers["Location"] == "/ja/tours/citadel/"
    headers = dict(headers)
    if "Cookie" in headers:
        client.set_cookie("lang", headers.pop("Cookie").split("=")[1])
    response = client.get("/s/citadel/2", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == target
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_qr_sheet_has_one_code_per_stop(client: Any, published_tour: Any) -> None:
    from tours.qrcodes import qr_inline_svg

    html = client.get("/en/tours/citadel/qr").get_data(as_text=True)
    assert html.count('<svg role="img"') == 2
    for number, title in ((1, "The gate"), (2, "The tower")):
        link = f"http://localhost/s/citadel/{number}"
        assert qr_inline_svg(link, title) in html  # the code encodes the stop's short link
        assert f'href="/en/tours/citadel/qr/{number}.svg" download' in html


def test_qr_codes_use_the_configured_public_address(
    app: Any, client: Any, published_tour: Any
) -> None:
    from tours.qrcodes import qr_inline_svg, qr_svg

    app.config["PUBLIC_URL"] = "https://tours.example.org/"
    # Opened on the office network's address, the sheet still prints the public links.
    html = client.get("/en/tours/citadel/qr", base_url="http://10.0.0.7:5000").get_data(
        as_text=True
    )
    assert qr_inline_svg("https://tours.example.org/s/citadel/1", "The gate") in html
    assert "https://tours.example.org/s/citadel/2" in html and "10.0.0.7" not in html
    svg = client.get("/en/tours/citadel/qr/2.svg", base_url="http://10.0.0.7:5000")
    assert svg.get_data(as_text=True) == qr_svg(
        "https://tours.example.org/s/citadel/2", "The tower", scale=10
    )


def test_qr_download_is_an_svg_file(client: Any, published_tour: Any) -> None:
    from tours.qrcodes import qr_svg

    response = client.get("/en/tours/citadel/qr/2.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="citadel-2.svg"'
    assert response.get_data(as_text=True) == qr_svg(
        "http://localhost/s/citadel/2", "The tower", scale=10
    )
    assert client.get("/en/tours/citadel/qr/3.svg").status_code == 404


def test_compressed_copies_made_at_setup_are_used_while_fresh(tmp_path: Path) -> None:
    """``flask static precompress`` writes .br and .gz copies; they are served while they
    are newer than the file, and the file is compressed again once it changes."""
    import os

    from webapp.public.assets import CompressedFiles, precompress

    script = tmp_path / "vendor" / "viewer.js"
    script.parent.mkdir()
    script.write_text("const a = 1;\n" * 500)
    (tmp_path / "vendor" / "tiny.js").write_text("1")
    written = precompress(tmp_path / "vendor")
    assert sorted(p.name for p in written) == ["viewer.js.br", "viewer.js.gz"]
    assert brotli.decompress((tmp_path / "vendor" / "viewer.js.br").read_bytes()) == (
        script.read_bytes()
    )
    marker = brotli.compress(b"made at setup")
    (tmp_path / "vendor" / "viewer.js.br").write_bytes(marker)
    assert CompressedFiles().get(script, "br", 11) == marker
    newer = os.stat(script).st_mtime_ns + 10**9
    os.utime(script, ns=(newer, newer))  # the file changed after setup: the copy is stale
    assert brotli.decompress(CompressedFiles().get(script, "br", 11) or b"") == (
        script.read_bytes()
    )
