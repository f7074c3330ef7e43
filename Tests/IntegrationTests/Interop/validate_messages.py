"""Validates captured HedgeBus envelopes against docs/asyncapi.yaml (PyYAML + jsonschema).

usage: validate_messages.py ASYNCAPI [--expect-types T,...] [--expect-enum SCHEMA=V,...] [--require-seen T,...]
                            [--mutants] [FILE ...]

Each FILE holds one envelope per line (a `hedgectl trace --record` recording, or what
capture_proxy.py saw on the req/rep endpoints). Every envelope is validated twice against the
message whose `name` is its `type`: as documented (unknown members allowed, as receivers behave),
and strictly (`additionalProperties` off), so a member the document does not name is caught too.

--expect-types  every listed type must have a message in the document (the code's vocabulary)
--expect-enum   every listed value must be in the `enum` of components.schemas.SCHEMA (repeatable)
--require-seen  every listed type must occur in the files (the run covered it)
--mutants       for one captured envelope of each type, derive broken copies (a required member
                dropped, an enum member or a number given a wrong value, an unknown member added)
                and require that each is rejected: proof that the schemas can fail

Prints one JSON line: {"ok", "messages", "by_type", "mutants", "errors", "survivors"}; exits 1
when anything is wrong, 2 on bad usage.
"""
import copy
import json
import sys

import jsonschema
import referencing
import referencing.jsonschema
import yaml

DOC_URI = "urn:hedgebus:asyncapi"


def pointer(doc, ref):
    """Resolves a local `#/a/b` reference inside the document."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are used, got {ref}")
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise KeyError(ref)
        node = node[part]
    return node


def all_refs(node, path="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield path, value
            else:
                yield from all_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from all_refs(value, f"{path}/{index}")


def check_document(doc):
    """Structural rules of the AsyncAPI document itself; returns a list of problems."""
    problems = []
    if doc.get("asyncapi") != "3.0.0":
        problems.append(f"asyncapi version is {doc.get('asyncapi')!r}, expected '3.0.0'")
    for where, ref in all_refs(doc):
        try:
            pointer(doc, ref)
        except (KeyError, ValueError):
            problems.append(f"{where}: unresolved $ref {ref}")
    messages = doc.get("components", {}).get("messages", {})
    for key, message in messages.items():
        type_schema = message.get("payload", {}).get("properties", {}).get("type", {})
        if type_schema.get("const") != message.get("name"):
            problems.append(f"components.messages.{key}: name {message.get('name')!r} differs from payload type {type_schema.get('const')!r}")
    for op_name, operation in doc.get("operations", {}).items():
        channel_ref = operation.get("channel", {}).get("$ref", "")
        for message in operation.get("messages", []):
            if not message.get("$ref", "").startswith(channel_ref + "/messages/"):
                problems.append(f"operations.{op_name}: message {message.get('$ref')} is not one of its channel's")
        reply = operation.get("reply")
        if reply:
            reply_channel = reply.get("channel", {}).get("$ref", "")
            for message in reply.get("messages", []):
                if not message.get("$ref", "").startswith(reply_channel + "/messages/"):
                    problems.append(f"operations.{op_name}.reply: message {message.get('$ref')} is not one of its channel's")
    return problems


def strict(node):
    """A copy in which every `additionalProperties: true` is false."""
    if isinstance(node, dict):
        return {key: (False if key == "additionalProperties" and value is True else strict(value)) for key, value in node.items()}
    if isinstance(node, list):
        return [strict(value) for value in node]
    return node


class Schemas:
    """Validators per message type, documented and strict."""

    def __init__(self, doc):
        self.doc = doc
        self.by_type = {}
        for key, message in doc["components"]["messages"].items():
            self.by_type[message["name"]] = key
        plain = json.loads(json.dumps(doc))  # YAML scalars to plain JSON values
        self.loose = self._registry(plain)
        self.tight = self._registry(strict(plain))

    @staticmethod
    def _registry(contents):
        resource = referencing.Resource.from_contents(contents, default_specification=referencing.jsonschema.DRAFT7)
        return referencing.Registry().with_resource(DOC_URI, resource)

    def errors(self, envelope):
        """Every way `envelope` breaks the document (empty when it conforms)."""
        if not isinstance(envelope, dict):
            return ["not a JSON object"]
        kind = envelope.get("type")
        key = self.by_type.get(kind)
        if key is None:
            return [f"type {kind!r} has no message in the document"]
        found = []
        for label, registry in (("", self.loose), ("strict: ", self.tight)):
            schema = {"$ref": f"{DOC_URI}#/components/messages/{key}/payload"}
            validator = jsonschema.Draft7Validator(schema, registry=registry, format_checker=None)
            for error in validator.iter_errors(envelope):
                location = ".".join(str(part) for part in error.absolute_path) or "(envelope)"
                found.append(f"{label}{location}: {error.message}")
            if found:
                break
        return found

    def payload_schema(self, kind):
        node = pointer(self.doc, f"#/components/messages/{self.by_type[kind]}/payload/properties/payload")
        while "$ref" in node:
            node = pointer(self.doc, node["$ref"])
        return node

    def member_schema(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            schema = pointer(self.doc, schema["$ref"])
        return schema


def mutants(schemas, envelope):
    """Broken copies of a conforming envelope, each with what was broken."""
    kind = envelope["type"]
    payload_schema = schemas.payload_schema(kind)
    out = []
    for name in ("trace_id", "id", "source", "ts", "payload"):
        broken = copy.deepcopy(envelope)
        del broken[name]
        out.append((f"{kind}: envelope without '{name}'", broken))
    for name, value in (("v", 2), ("ts", 1.5), ("trace_id", "0" * 32), ("trace_id", "ABC")):
        broken = copy.deepcopy(envelope)
        broken[name] = value
        out.append((f"{kind}: envelope {name}={value!r}", broken))
    payload = envelope.get("payload", {})
    for name in payload_schema.get("required", []):
        if name in payload:
            broken = copy.deepcopy(envelope)
            del broken["payload"][name]
            out.append((f"{kind}: payload without required '{name}'", broken))
    properties = payload_schema.get("properties", {})
    for name, value in payload.items():
        member = schemas.member_schema(properties.get(name, {}))
        if "enum" in member or "const" in member:
            broken = copy.deepcopy(envelope)
            broken["payload"][name] = "no-such-value"
            out.append((f"{kind}: payload {name}='no-such-value'", broken))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            broken = copy.deepcopy(envelope)
            broken["payload"][name] = str(value)
            out.append((f"{kind}: payload {name} as a string", broken))
    broken = copy.deepcopy(envelope)
    broken["payload"]["undocumented_member"] = 1
    out.append((f"{kind}: payload with an undocumented member", broken))
    return out


def main(argv):
    args = argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    doc_path, files, expect, require, run_mutants, enums = args[0], [], [], [], False, []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--expect-types":
            expect = [t for t in next(rest).split(",") if t]
        elif arg == "--expect-enum":
            schema, _, values = next(rest).partition("=")
            enums.append((schema, [v for v in values.split(",") if v]))
        elif arg == "--require-seen":
            require = [t for t in next(rest).split(",") if t]
        elif arg == "--mutants":
            run_mutants = True
        else:
            files.append(arg)
    with open(doc_path, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)

    errors = [f"document: {problem}" for problem in check_document(doc)]
    if errors:
        print(json.dumps({"ok": False, "errors": errors}))
        return 1
    schemas = Schemas(doc)
    errors += [f"document: no message for type {kind!r}" for kind in expect if kind not in schemas.by_type]
    for schema, values in enums:
        listed = doc["components"]["schemas"].get(schema, {}).get("enum", [])
        errors += [f"document: components.schemas.{schema} does not list {value!r}" for value in values if value not in listed]

    by_type, samples, count = {}, {}, 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                count += 1
                try:
                    envelope = json.loads(line)
                except json.JSONDecodeError as error:
                    errors.append(f"{path}:{number}: not JSON: {error}")
                    continue
                kind = envelope.get("type") if isinstance(envelope, dict) else None
                by_type[kind] = by_type.get(kind, 0) + 1
                problems = schemas.errors(envelope)
                errors += [f"{path}:{number} ({kind}): {problem}" for problem in problems]
                if not problems:
                    samples.setdefault(kind, envelope)
    errors += [f"no captured message of type {kind!r}" for kind in require if kind not in by_type]

    tried, survivors = 0, []
    if run_mutants:
        for envelope in samples.values():
            for what, broken in mutants(schemas, envelope):
                tried += 1
                if not schemas.errors(broken):
                    survivors.append(what)
    ok = not errors and not survivors and count > 0
    print(json.dumps({"ok": ok, "messages": count, "by_type": by_type, "mutants": tried,
                      "errors": errors[:40], "error_count": len(errors), "survivors": survivors}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
