"""Upload a model to a Heritour site and publish a one-stop tour with it, through the API.

Only the Python standard library is used. Make a token in the studio (API tokens) with the
scopes read:drafts, write and publish, then::

    HERITOUR_TOKEN=htr_... python docs/examples/heritour_client.py \\
        --site http://127.0.0.1:5000 --slug my-duck --title "A duck" \\
        --narration "A *rubber* duck." tests/data/Duck.glb

The steps: send the file with the resumable upload (tus 1.0.0, in chunks; after a broken
connection ``HEAD`` says where to resume), follow its processing until the model is ready,
create the tour, add a stop showing the model, publish, and read the tour back from the
public API. Every error answer has the shape ``{"error": {"code", "message", "detail"}}``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CHUNK = 4 * 1024 * 1024
FINISHED = {"ready", "rejected", "failed"}


class ApiError(Exception):
    """An error answer of the API."""


class Heritour:
    """A small client of the Heritour API that acts with a personal token."""

    def __init__(self, site: str, token: str) -> None:
        self.site = site.rstrip("/")
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        """One request; returns the status, the headers and the JSON answer (or None)."""
        sent = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        sent.update(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        url = path if path.startswith("http") else self.site + path
        request = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                raw = response.read()
                status, answer_headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw = error.read()
            message = raw.decode("utf-8", "replace")
            raise ApiError(f"{method} {path}: {error.code} {message}") from None
        answer = json.loads(raw) if raw and raw[:1] in b"{[" else None
        return status, answer_headers, answer

    def upload(self, path: Path) -> int:
        """Send ``path`` with the resumable upload; returns the new model's id."""
        size = path.stat().st_size
        name = base64.b64encode(path.name.encode()).decode()
        tus = {"Tus-Resumable": "1.0.0"}
        _status, headers, _ = self.call(
            "POST",
            "/api/v1/uploads",
            headers={**tus, "Upload-Length": str(size), "Upload-Metadata": f"filename {name}"},
            data=b"",
        )
        location = headers["Location"]
        _status, headers, _ = self.call("HEAD", location, headers=tus)
        offset = int(headers["Upload-Offset"])  # 0 now; after a broken connection, resume here
        with path.open("rb") as stream:
            stream.seek(offset)
            while offset < size:
                chunk = stream.read(CHUNK)
                patch = {
                    **tus,
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                }
                _status, headers, _ = self.call("PATCH", location, headers=patch, data=chunk)
                offset = int(headers["Upload-Offset"])
        return int(headers["Heritour-Model-Id"])

    def wait_until_processed(self, model_id: int, timeout: float = 900) -> dict[str, Any]:
        """Follow the model's processing until it is ready (or refused); returns its state."""
        deadline = time.monotonic() + timeout
        while True:
            _status, _headers, answer = self.call("GET", f"/api/v1/models/{model_id}")
            model: dict[str, Any] = answer["model"]
            if model["status"] in FINISHED:
                return model
            if time.monotonic() > deadline:
                raise ApiError(f"model {model_id} still {model['status']} after {timeout} s")
            print(f"  {model['status']} {model['progress']}% {model['stage'] or ''}")
            time.sleep(2)  # a client polls; the processing runs on the server

    def publish_tour(
        self, slug: str, lang: str, title: str, narration: str, model_id: int
    ) -> dict[str, Any]:
        """Create a draft tour with one stop showing ``model_id``, and publish it."""
        _status, _headers, answer = self.call(
            "POST",
            "/api/v1/studio/tours",
            {"slug": slug, "default_locale": lang, "title": title},
        )
        tour_id = answer["tour"]["id"]
        texts = {lang: {"title": title, "narration": narration, "model_alt": title}}
        self.call(
            "POST",
            f"/api/v1/studio/tours/{tour_id}/stops",
            {"model_id": model_id, "texts": texts},
        )
        _status, _headers, published = self.call(
            "POST", f"/api/v1/studio/tours/{tour_id}/publication"
        )
        return dict(published)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the model (GLB, glTF zip, OBJ zip, STL...)")
    parser.add_argument("--site", default="http://127.0.0.1:5000")
    parser.add_argument("--slug", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--narration", required=True, help="Markdown")
    parser.add_argument("--lang", default="en", help="the tour's default language")
    args = parser.parse_args(argv)
    token = os.environ.get("HERITOUR_TOKEN", "")
    if not token:
        parser.error("set HERITOUR_TOKEN to a token made in the studio")
    client = Heritour(args.site, token)
    try:
        print(f"uploading {args.file.name}")
        model_id = client.upload(args.file)
        print(f"model {model_id} uploaded; processing")
        model = client.wait_until_processed(model_id)
        if model["status"] != "ready":
            print(f"the model was refused: {model['error']}", file=sys.stderr)
            return 1
        published = client.publish_tour(args.slug, args.lang, args.title, args.narration, model_id)
        _status, _headers, tour = client.call("GET", published["url"])
    except ApiError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"published {tour['document']['slug']} revision {tour['revision']}")
    print(f"{args.site}/{args.lang}/tours/{args.slug}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
