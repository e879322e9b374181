#!/usr/bin/env python3
"""Checks the layers of src/: no `use` from a lower layer to a higher one, no import circle
among the files of a layer, and no source file over the line limit.

The layers, from the bottom: `lang`, `codec`, `engine`, `log`, then `cli` and `app` side by
side (neither uses the other). A file may use its own layer and the ones below.

Every path a file names (`use` trees, and `crate::…` / `super::…` paths in code) is followed
to the file that defines the item, through `pub use` re-exports, so a module that re-exports
its children does not count as a circle. Test code counts too (`tests.rs` beside a file is a
file of its own).

Usage: python3 scripts/layers.py [--max-lines N] [--graph]   (exit 1 when a rule is broken)
"""

import argparse
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
LAYERS = {"lang": 0, "codec": 1, "engine": 2, "log": 3, "cli": 4, "app": 4}
MAX_LINES = 500


def module_of(rel):
    """`engine/tcp/mod.rs` -> ('engine', 'tcp'); `lib.rs` -> ()."""
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    text = re.sub(r"'(?:\\.|[^'\\])'", "' '", text)
    return re.sub(r"//[^\n]*", "", text)


def split_top(s):
    """Splits `a, b::{c, d}, e` at top-level commas."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def expand(tree, prefix=()):
    """A use tree as flat paths (tuples of names); `x as y` keeps x, `self` the prefix."""
    tree = tree.strip()
    m = re.match(r"^(.*?)\{(.*)\}$", tree, flags=re.S)
    if m:
        head = [p for p in m.group(1).split("::") if p.strip()]
        base = prefix + tuple(p.strip() for p in head)
        paths = []
        for sub in split_top(m.group(2)):
            paths.extend(expand(sub, base))
        return paths
    tree = re.sub(r"\s+as\s+\w+$", "", tree)
    parts = tuple(p.strip() for p in tree.split("::") if p.strip())
    if parts == ("self",):
        return [prefix]
    return [prefix + parts]


def inline_modules(text):
    """(start, end, name) of each inline `mod name { … }` block."""
    out = []
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        depth, i = 0, m.end() - 1
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append((m.start(), i, m.group(1)))
    return out


def inline_at(inline, pos):
    """The names of the inline modules around `pos`, outermost first."""
    return tuple(name for start, end, name in inline if start < pos < end)


class Crate:
    def __init__(self, root):
        self.files = {}  # module path -> relative file name
        self.text = {}
        for dirpath, _, names in os.walk(root):
            for name in names:
                if name.endswith(".rs"):
                    full = os.path.join(dirpath, name)
                    rel = os.path.relpath(full, root).replace(os.sep, "/")
                    if rel == "main.rs":
                        continue  # the binary: a crate of its own
                    with open(full, encoding="utf-8") as f:
                        raw = f.read()
                    self.files[module_of(rel)] = rel
                    self.text[rel] = raw
        self.reexports = {rel: self.pub_uses(rel) for rel in self.text}

    def uses(self, rel):
        """(is_pub, module, path) for each `use` of a file; `module` is the module the `use`
        sits in (the file's, or an inline `mod name { … }` inside it)."""
        text = strip_comments_and_strings(self.text[rel])
        inline = inline_modules(text)
        for m in re.finditer(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", text):
            module = module_of(rel) + inline_at(inline, m.start())
            for path in expand(m.group(2)):
                yield bool(m.group(1)), module, path

    def pub_uses(self, rel):
        """Name -> absolute path, for the `pub use` re-exports of a file."""
        out = {}
        for is_pub, module, path in self.uses(rel):
            if not is_pub or not path or path[-1] == "*":
                continue
            absolute = self.absolute(module, path)
            if absolute:
                out[path[-1]] = absolute
        return out

    def absolute(self, module, path):
        """A path as seen from `module`, made absolute (None for other crates)."""
        if not path:
            return None
        head = path[0]
        if head == "crate":
            return tuple(path[1:])
        if head == "self":
            return module + tuple(path[1:])
        if head == "super":
            base = list(module)
            rest = list(path)
            while rest and rest[0] == "super":
                if not base:
                    return None
                base.pop()
                rest.pop(0)
            return tuple(base) + tuple(rest)
        if module + (head,) in self.files:
            return module + tuple(path)
        return None  # std, an external crate, or a local item

    def defining_file(self, path, depth=0):
        """The file that defines the item an absolute path names."""
        if depth > 20:
            return None
        for cut in range(len(path), -1, -1):
            module = tuple(path[:cut])
            if module not in self.files:
                continue
            rel = self.files[module]
            rest = path[cut:]
            if rest and rest[0] in self.reexports[rel]:
                target = self.reexports[rel][rest[0]] + tuple(rest[1:])
                if target != path:
                    found = self.defining_file(target, depth + 1)
                    if found:
                        return found
            return rel
        return None

    def edges(self):
        graph = defaultdict(set)
        for rel in self.text:
            paths = [(module, p) for _, module, p in self.uses(rel)]
            code = strip_comments_and_strings(self.text[rel])
            code = re.sub(r"\buse\s+[^;]+;", lambda m: " " * len(m.group(0)), code)
            inline = inline_modules(code)
            for m in re.finditer(r"\b(?:crate|super|self)(?:\s*::\s*\w+)+", code):
                module = module_of(rel) + inline_at(inline, m.start())
                paths.append((module, tuple(p.strip() for p in m.group(0).split("::"))))
            for module, path in paths:
                if path and path[-1] == "*":
                    path = path[:-1]
                absolute = self.absolute(module, path)
                if absolute is None:
                    continue
                target = self.defining_file(absolute)
                if target and target != rel:
                    graph[rel].add(target)
        return graph


def layer(rel):
    top = rel.split("/")[0].removesuffix(".rs")
    return top, LAYERS.get(top)


def circles(graph, nodes):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in nodes:
                continue
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
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    parser.add_argument("--graph", action="store_true", help="print every file's imports")
    args = parser.parse_args()

    crate = Crate(ROOT)
    graph = crate.edges()
    problems = []

    for rel in sorted(graph):
        top, rank = layer(rel)
        for target in sorted(graph[rel]):
            if args.graph:
                print(f"{rel} -> {target}")
            ttop, trank = layer(target)
            if rank is None or trank is None or top == ttop:
                continue
            if trank > rank or (trank == rank and top != ttop):
                problems.append(f"layer: {rel} ({top}) uses {target} ({ttop})")

    for comp in circles(graph, set(crate.text)):
        ties = [f"{a} -> {b}" for a in comp for b in sorted(graph[a]) if b in comp]
        problems.append("circle: " + ", ".join(comp) + "\n    " + "\n    ".join(ties))

    for rel, text in sorted(crate.text.items()):
        lines = text.count("\n")
        if lines > args.max_lines:
            problems.append(f"size: src/{rel} has {lines} lines (limit {args.max_lines})")

    for p in problems:
        print(p)
    files = len(crate.text)
    arrows = sum(len(v) for v in graph.values())
    if problems:
        print(f"{len(problems)} problem(s) in {files} files ({arrows} imports between files)")
        return 1
    print(f"layers ok: {files} files, {arrows} imports between files, no circle, "
          f"none over {args.max_lines} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
