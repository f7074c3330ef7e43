#!/usr/bin/env python3
"""Reads OTLP/JSON trace exports with the official opentelemetry-proto package.

  otlp_spans.py parse FILE            parses FILE (an ExportTraceServiceRequest) and prints one
                                      JSON line: {"spans": [...]} with every span flattened
  otlp_spans.py receive PORT READY OUT
                                      serves OTLP/HTTP on 127.0.0.1:PORT (POST /v1/traces, JSON),
                                      creates READY once listening, and appends one such JSON line
                                      per request received to OUT ({"error": ...} for a bad one)

OTLP/JSON writes trace and span ids as hex where protobuf's JSON mapping expects base64, so the
ids are checked (32 and 16 lowercase hex digits) and converted before
google.protobuf.json_format.Parse; any other deviation from the schema makes Parse fail.
"""
import base64
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

HEX = {"traceId": re.compile(r"^[0-9a-f]{32}$"), "spanId": re.compile(r"^[0-9a-f]{16}$"),
       "parentSpanId": re.compile(r"^[0-9a-f]{16}$")}


def hex_to_base64(holder):
    for key, pattern in HEX.items():
        if key in holder:
            if not pattern.match(holder[key]):
                raise ValueError(f"{key} {holder[key]!r} is not lowercase hex of the right length")
            holder[key] = base64.b64encode(bytes.fromhex(holder[key])).decode()


def parse(text):
    document = json.loads(text)
    for resource in document.get("resourceSpans", []):
        for scope in resource.get("scopeSpans", []):
            for span in scope.get("spans", []):
                hex_to_base64(span)
                for link in span.get("links", []):
                    hex_to_base64(link)
    request = ExportTraceServiceRequest()
    json_format.Parse(json.dumps(document), request)
    return request


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [value(v) for v in any_value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: value(kv.value) for kv in any_value.kvlist_value.values}
    return getattr(any_value, kind)


def flatten(request):
    spans = []
    for resource in request.resource_spans:
        attributes = {kv.key: value(kv.value) for kv in resource.resource.attributes}
        for scope in resource.scope_spans:
            for span in scope.spans:
                spans.append({
                    "service": attributes.get("service.name"),
                    "scope": scope.scope.name,
                    "trace_id": span.trace_id.hex(),
                    "span_id": span.span_id.hex(),
                    "parent_span_id": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": Span.SpanKind.Name(span.kind),
                    "start_ns": span.start_time_unix_nano,
                    "end_ns": span.end_time_unix_nano,
                    "status": Status.StatusCode.Name(span.status.code),
                    "attributes": {kv.key: value(kv.value) for kv in span.attributes},
                    "links": [{"trace_id": link.trace_id.hex(), "span_id": link.span_id.hex()} for link in span.links],
                })
    return {"spans": spans}


def receive(port, ready_path, out_path):
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                if self.path != "/v1/traces" or not self.headers.get("Content-Type", "").startswith("application/json"):
                    raise ValueError(f"unexpected {self.path} {self.headers.get('Content-Type')}")
                line = flatten(parse(body))
                status = 200
            except Exception as error:  # reported to the test through OUT
                line = {"error": f"{type(error).__name__}: {error}"}
                status = 400
            with open(out_path, "a") as out:
                out.write(json.dumps(line) + "\n")
            reply = b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", port), Receiver)
    open(ready_path, "w").close()
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "parse":
        with open(sys.argv[2]) as f:
            print(json.dumps(flatten(parse(f.read()))))
    elif len(sys.argv) == 5 and sys.argv[1] == "receive":
        receive(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
