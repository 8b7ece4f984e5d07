#!/usr/bin/env python3
"""Serves the pages the `gloss add URL` tests fetch, on 127.0.0.1 only, at a free port it prints
first. It stops by itself when its standard input closes, or after two minutes at most."""
import http.server, select, sys, threading, time

STORY = """<!doctype html><html><head><meta charset="utf-8">
<title>Harbour reopens after the storm | The Coastal Times</title>
<link rel="canonical" href="/articles/harbour-reopens">
<meta name="author" content="Mara Quinn"></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Monday after crews cleared debris left by last week’s storm, which had
closed it to all traffic for six days, the port authority said.</p>
<p>Fishing boats returned to their moorings, and the ferry resumed its timetable, although the
evening crossing will run late until the end of the month, according to the operator.</p>
</article></body></html>""".encode("utf-8")

# Says UTF-8 in the page, but the server (rightly) says ISO 8859-1: the header wins.
LATIN = ("<html><head><meta charset=\"utf-8\"><title>Un café au comptoir, à Paris</title></head><body>"
         "<p>Un café crème coûte trois euros au comptoir, et un peu plus en terrasse, dit le patron du café.</p>"
         "</body></html>").encode("latin-1")

NAVIGATION = ("<html><body><ul>" + "".join(f"<li><a href='/s/{i}'>Section number {i}</a></li>" for i in range(80))
              + "</ul></body></html>").encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/story":
            self.reply(200, STORY)
        elif path == "/moved":
            self.reply(301, b"", headers=[("Location", "/story")])
        elif path == "/loop":
            self.reply(302, b"", headers=[("Location", "/loop")])
        elif path == "/latin":
            self.reply(200, LATIN, "text/html; charset=ISO-8859-1")
        elif path == "/navigation":
            self.reply(200, NAVIGATION)
        elif path == "/image":
            self.reply(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif path == "/slow":
            time.sleep(10)
            self.reply(200, STORY)
        elif path == "/stall":
            # The headers and half the page, then nothing: the deadline must cover the body too.
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(STORY)))
            self.end_headers()
            self.wfile.write(STORY[: len(STORY) // 2])
            self.wfile.flush()
            time.sleep(10)
        elif path == "/huge":
            # No Content-Length: the size limit must hold while the page streams in.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"word " * 20_000 + b"</p>"
            try:
                for _ in range(40 * 1024 * 1024 // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.reply(404, b"<html><body><p>Not found</p></body></html>")

    def log_message(self, *arguments):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    ready, _, _ = select.select([sys.stdin], [], [], 1)
    if ready and not sys.stdin.buffer.read1(1024):
        break
server.shutdown()
