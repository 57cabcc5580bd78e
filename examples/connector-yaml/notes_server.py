"""A stand-in for the made-up Notes API of notes.yaml, over HTTPS, for trying the connector
without the real service: Python's standard library only, notes kept in memory.

Each workspace is a host name (WORKSPACE.notes.example) with its own bearer token:

    python3 notes_server.py --port 8444 --cert server.pem --key server.key --token acme=SECRET

Every request is logged on stdout as `METHOD PATH STATUS` (the example checks that a refused
input never reached the API).
"""

import argparse
import json
import ssl
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SUFFIX = ".notes.example"


class Notes:
    def __init__(self, tokens: dict[str, str]):
        self.tokens = tokens
        self.notes: dict[str, list[dict]] = {ws: [] for ws in tokens}
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server_version = "notes-stand-in/1"
    store: Notes

    def log_message(self, fmt, *args):  # one line per request on stdout instead
        pass

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        print(f"{self.command} {self.path} {status}", flush=True)

    def workspace(self) -> str | None:
        """The workspace of an authorized request (else it has been answered with 401/404)."""
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        ws = host[: -len(SUFFIX)] if host.endswith(SUFFIX) else ""
        if ws not in self.store.tokens:
            self.reply(404, {"error": "no such workspace"})
            return None
        if self.headers.get("Authorization") != f"Bearer {self.store.tokens[ws]}":
            self.reply(401, {"error": "invalid token"})
            return None
        return ws

    def do_GET(self):
        ws = self.workspace()
        if ws is None:
            return
        url = urlsplit(self.path)
        notes = self.store.notes[ws]
        if url.path == "/api/me":
            return self.reply(200, {"user": {"id": 1, "workspace": ws}})
        if url.path == "/api/notes":
            text = parse_qs(url.query).get("q", [""])[0].lower()
            found = [n for n in reversed(notes) if text in (n["title"] + " " + n["body"]).lower()]
            return self.reply(200, {"notes": found})
        if url.path.startswith("/api/notes/"):
            wanted = url.path.rsplit("/", 1)[1]
            note = next((n for n in notes if str(n["id"]) == wanted), None)
            if note is None:
                return self.reply(404, {"error": "no such note"})
            return self.reply(200, {"note": note})
        self.reply(404, {"error": "no such endpoint"})

    def do_POST(self):
        ws = self.workspace()
        if ws is None:
            return
        if urlsplit(self.path).path != "/api/notes":
            return self.reply(404, {"error": "no such endpoint"})
        length = int(self.headers.get("Content-Length") or 0)
        note = json.loads(self.rfile.read(length) or b"{}").get("note") or {}
        if not str(note.get("title") or "").strip():
            return self.reply(422, {"errors": [{"field": "title", "message": "can't be blank"}]})
        with self.store.lock:
            notes = self.store.notes[ws]
            created = {
                "id": len(notes) + 1,
                "title": note["title"],
                "body": note.get("body") or "",
                "tags": note.get("tags") or [],
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            notes.append(created)
        self.reply(201, {"note": created})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8444)
    ap.add_argument("--cert", required=True, help="server certificate (PEM) for *.notes.example")
    ap.add_argument("--key", required=True, help="its private key (PEM)")
    ap.add_argument("--token", action="append", required=True, metavar="WORKSPACE=TOKEN")
    args = ap.parse_args()
    Handler.store = Notes(dict(t.split("=", 1) for t in args.token))
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    # The handshake happens on first read, in the request's own thread.
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
    print(f"notes stand-in on https://*{SUFFIX}:{args.port} (127.0.0.1)", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
