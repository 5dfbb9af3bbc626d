#!/usr/bin/env python3
"""layering.py SRC_ENGINE_DIR: the engine's one-way layering, checked.

Reads the layer table of SRC_ENGINE_DIR/README.md (between the
"<!-- layers -->" and "<!-- /layers -->" lines): one row per layer, lowest
first; its second cell lists the layer's files, modules separated by
commas, the files of one module joined by "+". The rule:

  - a file uses (calls, or takes the address of) only functions defined in
    its own layer or a lower one;
  - in the layers marked "(one way)", a module uses no other module of its
    own layer either;
  - every engine source file is in the table, except check.c / check.h,
    the debug checker, which may read everything and whose functions
    (ENG_ASSERT, ENG_CHECK) every layer may call.

Functions are the non-static ones of the .c files and the static inline
ones of the headers; uses are looked for in the .c files and in the bodies
of the headers' inline functions, comments and strings removed. Prints TAP:
one case per rule, the violations as diagnostics; then one case per rule
broken on purpose in a copy of the tree, which the check must catch.
"""
import os
import re
import shutil
import sys
import tempfile

EXEMPT = {"check.c", "check.h"}
IDENT = re.compile(r"\b[A-Za-z_]\w*\b")


def strip(text):
    """Removes comments, string and character literals (keeps newlines)."""
    pat = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', re.S)
    return pat.sub(lambda m: "\n" * m.group(0).count("\n") if m.group(0).startswith("/") else '""',
                   text)


def read_layers(readme):
    """[(layer number, name, one_way, [[files of a module], ...]), ...]"""
    lines = open(readme, encoding="utf-8").read().splitlines()
    try:
        start = lines.index("<!-- layers -->")
        end = lines.index("<!-- /layers -->")
    except ValueError:
        sys.exit("layering: no <!-- layers --> table in " + readme)
    layers = []
    for line in lines[start + 1:end]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not re.match(r"^\d+ ", cells[0]):
            continue
        num, name = cells[0].split(" ", 1)
        modules = [[f.strip(" `") for f in mod.split("+")] for mod in cells[1].split(",")]
        layers.append((int(num), name, "(one way)" in name, modules))
    return layers


def definitions(path, text):
    """Names of the functions the file defines for others."""
    names = set()
    if path.endswith(".c"):
        pat = re.compile(r"^(?!static\b)(?:[A-Za-z_][\w ]*[ *])(\w+)\([^;]*$", re.M)
    else:
        pat = re.compile(r"^static inline [^(;]*?\b(\w+)\(", re.M)
    for m in pat.finditer(text):
        names.add(m.group(1))
    return names


def own_names(text):
    """Every function name the file defines, static or not."""
    return set(re.findall(r"^[A-Za-z_][\w *]*?\b(\w+)\([^;]*$", text, re.M))


def bodies(path, text):
    """The text in which uses count: all of a .c file; the inline function
    bodies of a header."""
    if path.endswith(".c"):
        return text
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("static inline"):
            inside = True
        if inside:
            out.append(line)
        if inside and line.startswith("}"):
            inside = False
    return "\n".join(out)


def check(src):
    """{rule: [violations]} for the engine tree at src."""
    layers = read_layers(os.path.join(src, "README.md"))
    where = {}  # file -> (layer, module, one_way)
    for num, _, one_way, modules in layers:
        for i, mod in enumerate(modules):
            for f in mod:
                where[f] = (num, (num, i), one_way)
    files = sorted(f for f in os.listdir(src) if f.endswith((".c", ".h")))
    texts = {f: strip(open(os.path.join(src, f), encoding="utf-8").read()) for f in files}
    owner = {}
    for f in files:
        for name in definitions(f, texts[f]):
            owner.setdefault(name, f)
    failures = {"listed": [], "down": [], "one way": []}
    for f in files:
        if f in EXEMPT:
            continue
        if f not in where:
            failures["listed"].append(f + " is in no layer of README.md")
            continue
        layer, module, one_way = where[f]
        mine = own_names(texts[f])
        for name in sorted(set(IDENT.findall(bodies(f, texts[f])))):
            g = owner.get(name)
            if not g or g == f or g in EXEMPT or name in mine or g not in where:
                continue
            glayer, gmodule, _ = where[g]
            if glayer > layer:
                failures["down"].append(f"{f} (layer {layer}) uses {name}() of {g} (layer {glayer})")
            elif glayer == layer and one_way and gmodule != module:
                failures["one way"].append(f"{f} uses {name}() of {g}, a module of its own layer")
    return failures


RULES = [("listed", "every engine file is in a layer"),
         ("down", "no file uses a function of a layer above it"),
         ("one way", "no module of a one-way layer uses another of its layer")]

# Each rule broken on purpose in a copy of the tree: the check must see it.
PROBES = [("listed", "probe.c", "void layering_probe(void);\n"),
          ("down", "mem.c", "\nint layering_probe(void)\n{\n    return in_packet(0, 0, 0, 0, 0);\n}\n"),
          ("one way", "rx.c", "\nvoid layering_probe(void)\n{\n    hs_on_t1(0, 0);\n}\n")]


def probe(src, key, fname, text):
    with tempfile.TemporaryDirectory() as tmp:
        for f in os.listdir(src):
            if f.endswith((".c", ".h", ".md")):
                shutil.copy(os.path.join(src, f), tmp)
        with open(os.path.join(tmp, fname), "a", encoding="utf-8") as out:
            out.write(text)
        return bool(check(tmp)[key])


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src/engine"
    failures = check(src)
    print(f"1..{len(RULES) + len(PROBES)}")
    n, bad = 0, 0
    for key, what in RULES:
        n += 1
        print(("ok" if not failures[key] else "not ok") + f" {n} - {what}")
        for msg in failures[key]:
            print("# " + msg)
        bad += bool(failures[key])
    for key, fname, text in PROBES:
        n += 1
        seen = probe(src, key, fname, text)
        print(("ok" if seen else "not ok") + f" {n} - a use breaking \"{key}\" in {fname} is caught")
        bad += not seen
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
