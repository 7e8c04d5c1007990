#!/usr/bin/env python3
"""Turns fixtures/invalid/{cases,expected}.json into a plain length-prefixed
file the C suite reads without a JSON parser:

    case <len>\\n<name>\\n
    diary|interactions_csv|feedback_csv|records_jsonl <len>\\n<bytes>\\n
    code <n>\\n
    message <len>\\n<bytes>\\n
    end\\n

Usage: fixtures_to_c.py <fixtures dir> <output file>
"""
import json
import sys
from pathlib import Path

fixtures, out = Path(sys.argv[1]), Path(sys.argv[2])
cases = json.loads((fixtures / "invalid/cases.json").read_text())
expected = json.loads((fixtures / "invalid/expected.json").read_text())
base = (fixtures / "diary-small.json").read_bytes()


def encode(case, key):
    text = case[key]
    if case.get("encode_latin1"):
        return bytes(ord(c) for c in text)
    return text.encode("utf-8")


def field(buf, key, data):
    buf += f"{key} {len(data)}\n".encode() + data + b"\n"


buf = bytearray()
for case in cases:
    name = case["name"]
    field(buf, "case", name.encode())
    field(buf, "diary", encode(case, "diary") if "diary" in case else base)
    for key in ("interactions_csv", "feedback_csv", "records_jsonl"):
        if key in case:
            field(buf, key, encode(case, key))
    buf += f"code {expected[name]['code']}\n".encode()
    field(buf, "message", expected[name]["message"].encode())
    buf += b"end\n"
out.write_bytes(bytes(buf))
print(f"{len(cases)} cases -> {out}")
