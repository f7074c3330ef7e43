"""The envelope every HedgeBus message travels in, and the protocol's error codes."""
import json
import re
import secrets
import time

VERSION = 1
_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


class ProtocolError(Exception):
    """A request that could not be processed; travels as an `error` reply (`code`, `message`)."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def now_us():
    """Unix time in microseconds, as envelopes carry it."""
    return time.time_ns() // 1000


def new_message_id():
    """A message id: 16 lowercase hex digits."""
    return secrets.token_hex(8)


def new_trace_id():
    """A W3C trace-id: 32 lowercase hex digits, not all zero."""
    while True:
        trace_id = secrets.token_hex(16)
        if trace_id != "0" * 32:
            return trace_id


def make_envelope(kind, payload, source, trace_id=None, parent_id=None):
    """A new envelope (a dict); a fresh trace when `trace_id` is None."""
    return {"v": VERSION, "id": new_message_id(), "type": kind, "trace_id": trace_id or new_trace_id(),
            "parent_id": parent_id, "source": source, "ts": now_us(), "payload": payload}


def encode(envelope):
    """One frame: compact JSON, UTF-8."""
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def parse_envelope(data):
    """Decodes and checks an envelope's header; raises ProtocolError naming the field."""
    try:
        envelope = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError("malformed_json", f"message is not valid JSON: {error}") from None
    if not isinstance(envelope, dict):
        raise ProtocolError("malformed_json", "message is not a JSON object")
    for name, kinds in (("v", int), ("id", str), ("type", str), ("trace_id", str), ("source", str), ("ts", int),
                        ("payload", dict)):
        value = envelope.get(name)
        if value is None:
            raise ProtocolError("missing_field", f"missing required field '{name}'")
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ProtocolError("wrong_type", f"field '{name}' has the wrong type")
    if envelope["v"] != VERSION:
        raise ProtocolError("unsupported_version", f"envelope version {envelope['v']} is not supported (this agent speaks {VERSION})")
    if not _TRACE_ID.match(envelope["trace_id"]) or envelope["trace_id"] == "0" * 32:
        raise ProtocolError("invalid_value", f"field 'trace_id' must be 32 lowercase hex digits, got '{envelope['trace_id'][:40]}'")
    parent = envelope.get("parent_id")
    if parent is not None and not isinstance(parent, str):
        raise ProtocolError("wrong_type", "field 'parent_id' has the wrong type")
    if not envelope["id"] or not envelope["source"] or not envelope["type"]:
        raise ProtocolError("invalid_value", "fields 'id', 'type' and 'source' must not be empty")
    return envelope


def readable_header(data):
    """`(id, trace_id)` of a message too broken to parse fully, when those two can be read."""
    try:
        envelope = json.loads(data)
        message_id, trace_id = envelope.get("id"), envelope.get("trace_id")
        if isinstance(message_id, str) and isinstance(trace_id, str) and _TRACE_ID.match(trace_id):
            return message_id, trace_id
    except (ValueError, UnicodeDecodeError, AttributeError):
        pass
    return None, None
