"""A minimal OTLP/HTTP collector for scripts/bench-pipeline: accepts POST /v1/traces (OTLP/JSON,
as HedgeBus agents push it), counts requests and spans, answers 200, and on SIGTERM writes
{"requests", "spans", "bytes", "bad"} to STATS_FILE.

    python3 otlp_sink.py PORT STATS_FILE READY_FILE

READY_FILE is created once the port is bound (the script waits for it before starting agents).
"""
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

stats = {"requests": 0, "spans": 0, "bytes": 0, "bad": 0}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (the http.server naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        spans, ok = 0, self.path == "/v1/traces"
        if ok:
            try:
                request = json.loads(body)
                spans = sum(len(scope.get("spans") or []) for resource in request.get("resourceSpans") or []
                            for scope in resource.get("scopeSpans") or [])
            except (ValueError, AttributeError, TypeError):
                ok = False
        with lock:
            stats["requests"] += 1
            stats["spans"] += spans
            stats["bytes"] += len(body)
            stats["bad"] += 0 if ok else 1
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
            with open(stats_file, "w") as f:
                json.dump(stats, f)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    open(ready_file, "w").close()
    server.serve_forever()


if __name__ == "__main__":
    main()
