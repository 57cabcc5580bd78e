#!/usr/bin/env python3
"""Generates a large connector spec (default 500 tools) for the codegen benchmark.

Tools are derived from Zendesk's full OpenAPI file (`--oas`, default
/work/shared/zendesk/zendesk_support_oas_2024-07.yaml; it needs PyYAML and a constructor for
the `tag:yaml.org,2002:value` tag) or, when that file is missing, from the key operations in
reference/zendesk/oas_key_operations_2024-07.json. Each operation becomes a tool: path and
scalar query parameters become typed inputs (enums, integers, booleans, arrays of scalars),
write operations take a `data` object as the request body, and responses whose schema names a
ticket / user / organization / group / view are typed with zendesk.yaml's models (others are
open objects). Operations are repeated with a numeric suffix until `--tools` is reached.
The header (config, auth, verify, retry, errors, models) is zendesk.yaml's, verbatim.

  python3 benches/codegen/gen_large_spec.py --tools 500 --out /tmp/large.yaml
"""

import argparse
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODELS = {"Ticket": "ticket", "User": "user", "Organization": "organization", "Group": "group", "View": "view"}


def load_operations(oas_path):
    if oas_path and os.path.exists(oas_path):
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        # The file uses `=` keys (the YAML "value" tag); read them as plain strings.
        Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))
        with open(oas_path) as f:
            doc = yaml.load(f, Loader=Loader)
        ops = []
        for path, item in doc.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    continue
                params = [resolve(doc, p) for p in shared + op.get("parameters", [])]
                resp = (op.get("responses") or {})
                ref = None
                for code in ("200", "201"):
                    r = resp.get(code)
                    if isinstance(r, dict):
                        r = resolve(doc, r)
                        schema = ((r.get("content") or {}).get("application/json") or {}).get("schema") or {}
                        ref = schema.get("$ref")
                        break
                ops.append({
                    "method": method.upper(), "path": path, "operationId": op.get("operationId") or f"{method}{path}",
                    "summary": op.get("summary") or "", "params": params,
                    "requestBody": op.get("requestBody"), "responses": {"200": {"$ref": ref} if ref else {}},
                })
        return ops, f"{os.path.basename(oas_path)} ({len(ops)} operations)"
    p = os.path.join(ROOT, "reference/zendesk/oas_key_operations_2024-07.json")
    with open(p) as f:
        ops = json.load(f)
    return ops, f"{os.path.basename(p)} ({len(ops)} operations)"


def resolve(doc, obj):
    while isinstance(obj, dict) and "$ref" in obj and obj["$ref"].startswith("#/components/"):
        node = doc
        for part in obj["$ref"][2:].split("/"):
            node = node[part]
        obj = node
    return obj


def snake(s):
    s = re.sub(r"[^A-Za-z0-9]+", "_", s)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"_+", "_", s).strip("_").lower()


def scalar_schema(schema):
    """A JSON Schema the spec accepts for a parameter, or None to skip the parameter."""
    schema = schema or {}
    t = schema.get("type")
    if t in ("integer", "number", "boolean"):
        return {"type": t}
    if t == "string":
        out = {"type": "string"}
        if isinstance(schema.get("enum"), list) and all(isinstance(e, str) for e in schema["enum"]):
            out["enum"] = schema["enum"]
        else:
            out["maxLength"] = 1000  # the loader requires a bound on free-text strings
        return out
    if t == "array":
        item = scalar_schema(schema.get("items"))
        return {"type": "array", "items": item} if item and item.get("type") != "array" else None
    return None


def output_for(ref):
    name = (ref or "").rsplit("/", 1)[-1]
    for model, key in MODELS.items():
        if name == f"{model}Response":
            return {key: f"/{key}"}, {"type": "object", "properties": {key: {"$ref": f"#/models/{model}"}}}
        if name in (f"{model}sResponse", f"{model}sSearchResponse"):
            k = key + "s"
            return {k: f"/{k}"}, {"type": "object", "properties": {k: {"type": "array", "items": {"$ref": f"#/models/{model}"}}}}
    return None, {"type": "object", "additionalProperties": True}


def tool(op, suffix):
    method = op["method"]
    path = op["path"]
    rel = path[len("/api/v2"):] if path.startswith("/api/v2") else path
    if not rel.startswith("/"):
        rel = "/" + rel
    base = snake(op["operationId"])[:44]
    name = f"zendesk_large_{base}" + (f"_{suffix}" if suffix else "")
    props, required, query = {}, [], {}
    path_params = re.findall(r"{([^}]+)}", rel)
    for p in op.get("params") or []:
        if not isinstance(p, dict) or p.get("in") not in ("path", "query"):
            continue
        pname = p.get("name", "")
        key = snake(pname)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", key) or key in props:
            continue
        sch = scalar_schema(p.get("schema"))
        if p["in"] == "path":
            sch = sch if sch and sch["type"] in ("integer", "string") else {"type": "string", "maxLength": 1000}
            if sch["type"] == "integer":
                sch["minimum"] = 1
            required.append(key)
            rel = rel.replace("{" + pname + "}", "{" + key + "}")
        elif sch is None:
            continue
        else:
            query[pname] = "{{input.%s}}" % key
        sch["description"] = (p.get("description") or f"The {pname} parameter.").strip().split("\n")[0][:200]
        props[key] = sch
    for pp in path_params:
        k = snake(pp)
        if k not in props:
            props[k] = {"type": "string", "maxLength": 1000, "description": f"The {pp} path parameter."}
            required.append(k)
            rel = rel.replace("{" + pp + "}", "{" + k + "}")
    request = {"method": method, "path": rel}
    if query:
        request["query"] = query
    writes = method in ("POST", "PUT", "PATCH")
    if writes:
        props["data"] = {"type": "object", "description": "The request body (see Zendesk's API reference)."}
        request["body"] = "{{input.data}}"
    select, output = output_for(((op.get("responses") or {}).get("200") or {}).get("$ref"))
    summary = (op.get("summary") or op["operationId"]).strip()
    t = {
        "name": name,
        "title": summary[:80],
        "description": f"{summary}. Generated from {method} {path} for the codegen benchmark.",
        "annotations": {"read_only": method == "GET", "destructive": method in ("DELETE", "PUT", "PATCH"),
                        "idempotent": method in ("GET", "PUT", "DELETE"), "open_world": True},
        "scopes": ["read"] if method == "GET" else ["write"],
        "input": {"type": "object", "additionalProperties": False, "properties": props},
        "request": request,
        "response": {"output": output},
    }
    if required:
        t["input"]["required"] = required
    if select:
        t["response"]["select"] = select
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", type=int, default=500)
    ap.add_argument("--oas", default="/work/shared/zendesk/zendesk_support_oas_2024-07.yaml")
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    ops, source = load_operations(args.oas)
    header = open(os.path.join(ROOT, "connectors/zendesk.yaml")).read().split("\ntools:", 1)[0]
    tools, seen, round_ = [], set(), 0
    while len(tools) < args.tools:
        for op in ops:
            t = tool(op, round_ or None)
            if t["name"] in seen:
                continue
            seen.add(t["name"])
            tools.append(t)
            if len(tools) == args.tools:
                break
        round_ += 1
    text = header.replace("connector: zendesk", "connector: zendesk_large", 1)
    text += "\n\n# Generated by benches/codegen/gen_large_spec.py from %s.\ntools:\n" % source
    for t in tools:
        # JSON is YAML: one flow mapping per tool keeps the file simple and exact.
        text += "  - " + json.dumps(t, ensure_ascii=False) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)
    print(f"{len(tools)} tools from {source} -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
