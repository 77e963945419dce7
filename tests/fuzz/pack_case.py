#!/usr/bin/env python3
"""Packs a case folder into one input of a case-folder fuzz harness
(tests/fuzz/fuzz_model.c): a flags byte, then for each file the harness
knows (its paths[] table, read from the C source between "paths: begin"
and "paths: end", macros from src/model/model.h) a record
<index byte><length, 2 bytes little-endian><bytes>. Files the table does
not name are left out; files over 65535 bytes are cut (the harness reads
what it is given).

    pack_case.py HARNESS.c CASE_DIR FLAGS OUT
e.g. seeds for fuzz_model from the check-admins scenarios:
    python3 tests/fixtures/admins/gen.py /tmp/s adm001
    python3 tests/fuzz/pack_case.py tests/fuzz/fuzz_model.c /tmp/s/adm001 1 \\
        tests/fuzz/seeds/fuzz_model/adm001
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def macros():
    m = {}
    for h in ("src/model/model.h",):
        for line in open(os.path.join(TOP, h)):
            d = re.match(r'#define\s+(\w+)\s+("(?:[^"\\]|\\.)*")', line)
            if d:
                m[d.group(1)] = d.group(2)[1:-1]
    return m


def table(src):
    text = open(src).read()
    body = text.split("paths: begin", 1)[1].split("paths: end", 1)[0]
    body = body.split("{", 1)[1].rsplit("}", 1)[0]
    defs = macros()
    out = []
    for item in body.split(",\n"):
        item = item.strip().rstrip(",")
        if not item:
            continue
        item = re.sub(r"U\((\d)\)", lambda g: '"a1000000-0000-4000-8000-00000000000%s"' % g.group(1), item)
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"|(\w+)', item)
        s = "".join(lit if lit or not name else defs[name] for lit, name in parts)
        out.append(s)
    return out


def main():
    src, case, flags, dest = sys.argv[1:5]
    paths = table(src)
    rec = bytearray([int(flags)])
    n = 0
    for i, rel in enumerate(paths):
        p = os.path.join(case, rel)
        if os.path.isfile(p):
            data = open(p, "rb").read()[:65535]
            rec += bytes([i]) + len(data).to_bytes(2, "little") + data
            n += 1
    open(dest, "wb").write(rec)
    print("%s: %d files, %d bytes" % (dest, n, len(rec)))


if __name__ == "__main__":
    main()
