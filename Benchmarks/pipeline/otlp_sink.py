"""A minimal OTLP/HTTP collector for scripts/bench-pipeline: accepts POST /v1/traces (OTLP/JSON,
as HedgeBus agents push it), answers 200, and on SIGTERM writes {"requests", "spans", "bytes",
"bad"} to STATS_FILE.

A collector runs beside the pipeline, not on its two cores: this one keeps each body as it comes
and parses them all (counting spans, and bodies that are not OTLP/JSON trace requests) only when
it is stopped, so its own JSON parsing does not compete with the cycles being measured.

    python3 otlp_sink.py PORT STATS_FILE READY_FILE

READY_FILE is created once the port is bound (the script waits for it before starting agents).
"""
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

stats = {"requests": 0, "spans": 0, "bytes": 0, "bad": 0}
bodies = []
lock = threading.Lock()


def count_spans(body):
    """The spans of one OTLP/JSON trace request; raises ValueError when it is not one."""
    try:
        request = json.loads(body)
        return sum(len(scope.get("spans") or []) for resource in request.get("resourceSpans") or []
                   for scope in resource.get("scopeSpans") or [])
    except (AttributeError, TypeError) as error:
        raise ValueError(str(error)) from error


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (the http.server naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ok = self.path == "/v1/traces" and body[:1] == b"{"
        with lock:
            stats["requests"] += 1
            stats["bytes"] += len(body)
            if ok:
                bodies.append(body)
            else:
                stats["bad"] += 1
        answer = b"{}" if ok else b'{"error": "not an OTLP/JSON trace request"}'
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_):
        pass


def main():
    port, stats_file, ready_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)

    def stop(*_):
        with lock:
            for body in bodies:
                try:
                    stats["spans"] += count_spans(body)
                except ValueError:
                    stats["bad"] += 1
            bodies.clear()
            with open(stats_file, "w") as f:
                json.dump(stats, f)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    open(ready_file, "w").close()
    server.serve_forever()


if __name__ == "__main__":
    main()
