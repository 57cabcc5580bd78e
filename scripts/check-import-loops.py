#!/usr/bin/env python3
"""Finds import loops between the source files of each crate: file A uses something from
file B (by `use crate::..`, `use super::..` or an inline `crate::x::Y` path) while B, directly
or through others, uses something from A. A parent's `pub use` of its own children (re-exports)
is not an edge. Prints every loop (a strongly connected component of more than one file) and
exits 1 if there is any. Usage: scripts/check-import-loops.py [CRATE_DIR ...]"""
import os
import re
import sys

CRATES = ["spec", "codegen", "macros", "runtime", "server", "sim", "benches", "."]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # drop // comments (good enough: string literals with // are rare in paths we care about)
        i = line.find("//")
        out.append(line if i < 0 else line[:i])
    return "\n".join(out)


def module_files(src):
    """Maps module path tuples to files, for a crate's src dir."""
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel in (["lib"], ["main"]):
                key = ()
            elif rel[-1] == "mod":
                key = tuple(rel[:-1])
            else:
                key = tuple(rel)
            if rel[0] == "bin":
                continue
            mods.setdefault(key, path)
    return mods


def expand_use(tree):
    """Expands `a::{b, c::{d, e}}` into ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+as\s+", "@as@", tree)
    tree = re.sub(r"\s+", "", tree).replace("@as@", " as ")
    i = tree.find("{")
    if i < 0:
        return [tree]
    prefix = tree[:i]
    depth, parts, start = 0, [], i + 1
    for j in range(i, len(tree)):
        ch = tree[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                parts.append(tree[start:j])
                break
        elif ch == "," and depth == 1:
            parts.append(tree[start:j])
            start = j + 1
    out = []
    for p in parts:
        if p:
            out.extend(prefix + e for e in expand_use(p))
    return out


def resolve(path, here, mods, reexports, depth=0):
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        base = []
        segs = segs[1:]
    elif segs[0] in ("super", "self"):
        base = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    full = base + [s.split(" as ")[0] for s in segs]
    for n in range(len(full), -1, -1):
        owner = tuple(full[:n])
        if owner in mods:
            # an item the owner only re-exports belongs to where it is defined
            rest = full[n:]
            if rest and depth < 8 and rest[0] in reexports.get(owner, {}):
                real = resolve(reexports[owner][rest[0]], owner, mods, reexports, depth + 1)
                if real is not None:
                    return real
            return owner
    return None


def pub_uses(text):
    """`pub use a::b::C;` -> {'C': 'a::b::C'} (the name a module re-exports, and from where)."""
    out = {}
    for m in re.finditer(r"pub(\([^)]*\))?\s+use\s+([^;]+);", text):
        for p in expand_use(m.group(2)):
            name = p.split(" as ")[-1].split("::")[-1]
            target = p.split(" as ")[0]
            if not target.startswith(("crate::", "super::", "self::")):
                target = "self::" + target
            out[name] = target
    return out


def inline_mods(text):
    """Spans of inline `mod x { .. }` blocks: [(start, end, name)] (braces counted roughly)."""
    spans = []
    for m in re.finditer(r"(?<![\w:])mod\s+(\w+)\s*\{", text):
        depth, end = 0, len(text)
        for j in range(m.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                end = j
                break
        spans.append((m.start(), end, m.group(1)))
    return spans


def edges_for(crate):
    src = os.path.join(crate, "src")
    mods = module_files(src)
    edges = {m: set() for m in mods}
    reexports = {m: pub_uses(strip_comments(open(p, encoding="utf-8").read())) for m, p in mods.items()}
    for mod, path in mods.items():
        text = strip_comments(open(path, encoding="utf-8").read())
        # a file's own module path, plus the names of inline `mod x { }` blocks a path sits in
        # (so `use super::*` in `mod tests { }` names this file, not its parent)
        spans = inline_mods(text)
        paths = []
        for m in re.finditer(r"(pub(\([^)]*\))?\s+)?use\s+([^;]+);", text):
            is_pub = bool(m.group(1))
            for p in expand_use(m.group(3)):
                paths.append((p, is_pub, m.start()))
        for m in re.finditer(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
            paths.append((m.group(1), False, m.start()))
        # bare `child::item` paths name one of this module's own children
        children = {k[-1] for k in mods if len(k) == len(mod) + 1 and k[: len(mod)] == mod}
        # (a `pub use child::..` re-export was handled above and is not an edge)
        reexport_spans = [(r.start(), r.end()) for r in re.finditer(r"pub(\([^)]*\))?\s+use\s+[^;]+;", text)]
        for m in re.finditer(r"(?<![\w:])(\w+)((?:::\w+)+)", text):
            if any(a <= m.start() < b for a, b in reexport_spans):
                continue
            if m.group(1) in children and not text[max(0, m.start() - 4) : m.start()].endswith("mod "):
                paths.append(("self::" + m.group(1) + m.group(2), False, m.start()))
        for p, is_pub, pos in paths:
            here = mod + tuple(name for start, end, name in spans if start < pos < end)
            target = resolve(p, here, mods, reexports)
            if target is None or target == mod:
                continue
            if target[: len(mod)] == mod and len(target) > len(mod):
                # the parent names its own descendant: a re-export is not an edge
                if is_pub:
                    continue
                # `self::child` or `crate::..::child` from the parent: still an edge
            if mod[: len(target)] == target and len(target) < len(mod) and target == () :
                # the crate root re-exports; a child using `crate::X` that the root re-exports
                # from elsewhere is resolved below to the real owner when possible
                pass
            edges[mod].add(target)
    return mods, edges


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    os.chdir(root)
    crates = sys.argv[1:] or CRATES
    found = 0
    for crate in crates:
        if not os.path.isdir(os.path.join(crate, "src")):
            continue
        mods, edges = edges_for(crate)
        for comp in sccs(edges):
            found += 1
            files = sorted(os.path.relpath(mods[m]) for m in comp)
            print(f"import loop in {crate}: " + " <-> ".join(files))
            for m in sorted(comp):
                for t in sorted(edges[m]):
                    if t in comp:
                        print(f"    {os.path.relpath(mods[m])} -> {os.path.relpath(mods[t])}")
    if found:
        print(f"{found} import loop(s)")
        return 1
    print("no import loops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
