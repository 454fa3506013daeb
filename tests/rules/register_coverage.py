#!/usr/bin/env python3
"""The register and the code agree: every rule the code names (rules::a::b::c) has an entry in
common/core/rules.json, every entry is named by code outside the tests and outside comments (an
entry marked noCode, a rule of what mwp must not do, by none), every entry's test ("FILE:
Suite.Name") is a TEST of that file, every source that is a file of the repository exists, and
no file refuses without naming a rule — but those pending_rules.txt lists.

Usage: register_coverage.py SOURCE_DIR   (exit 1 naming each disagreement)"""
import json
import os
import re
import sys

HANDLE = re.compile(r"\brules::((?:[a-z][a-z0-9_]*::)+[a-z][a-z0-9_]*)\b")
# refuse("…") or refuse(std::string(…) …): a refusal with one argument, English text alone.
BARE_REFUSAL = re.compile(r"\brefuse\(\s*(?:\"|std::string\(|[a-z][A-Za-z.]*\(\)\s*\+|\w+\s*\+)")
SCANNED = ("common", "services", "gateway", "tools")
# A source document under one of these is a file of this repository, and must exist.
REPOSITORY_TOPS = ("common", "docs", "fuzz", "gateway", "messages", "ops", "services", "tests",
                   "tools")


def without_comments(text):
    """The C++ text with its // and /* */ comments blanked, string literals (raw ones too) kept: a
    rule named only in a comment is not applied by the code."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            close = text.find(")" + text[i + 2:open_paren] + '"', open_paren)
            end = n if close < 0 else close + len(text[i + 2:open_paren]) + 2
            out.append(text[i:end])
            i = end
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):  # 1'000 is a number
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def code_files(root):
    for top in SCANNED:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".cpp", ".h")) and not name.endswith("_test.cpp"):
                    yield os.path.relpath(os.path.join(folder, name), root)


def main(root):
    with open(os.path.join(root, "common/core/rules.json"), encoding="utf-8") as f:
        register = {r["id"]: r for r in json.load(f)["rules"]}
    pending_rules, pending_files = set(), set()
    with open(os.path.join(root, "tests/rules/pending_rules.txt"), encoding="utf-8") as f:
        for line in f:
            kind, _, name = line.strip().partition(" ")
            if kind == "rule":
                pending_rules.add(name)
            elif kind == "file":
                pending_files.add(name)
    used, faults = {}, []
    for path in code_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = without_comments(f.read())
        for m in HANDLE.finditer(text):
            used.setdefault(m.group(1).replace("::", "."), path)
        # The rules: the services' and those in mwp::core they share (common/core: reporting).
        rules_code = path.startswith(("services/", "common/core/"))
        if path not in pending_files and rules_code and BARE_REFUSAL.search(text):
            faults.append(f"{path}: refuses without naming a rule: refuse(rules::…, \"中文\", \"English\")")
    for rule, path in sorted(used.items()):
        if rule not in register:
            faults.append(f"{path}: names rules::{rule.replace('.', '::')}, which the register lacks")
    for rule, entry in sorted(register.items()):
        if entry.get("noCode"):  # a rule of what mwp must not do: its test alone shows it
            if rule in used:
                faults.append(f"rules.json: {rule} says noCode, but {used[rule]} names it")
        elif rule not in used and rule not in pending_rules:
            faults.append(f"rules.json: {rule} is named by no code (a rule nothing applies)")
        if rule in used and rule in pending_rules:
            faults.append(f"pending_rules.txt: {rule} is used by {used[rule]} now: remove the line")
        path, _, name = entry["test"].partition(": ")
        suite, _, case = name.partition(".")
        if not os.path.exists(os.path.join(root, path)):
            faults.append(f"rules.json: {rule}: its test file {path} does not exist")
        elif not re.search(rf"\bTEST(?:_F|_P)?\(\s*{re.escape(suite)}\s*,\s*{re.escape(case)}\s*\)",
                           open(os.path.join(root, path), encoding="utf-8").read()):
            faults.append(f"rules.json: {rule}: its test {name} is not in {path}")
        for version in entry.get("versions", [entry]):
            document = version["source"]["document"]
            if document.split("/")[0] in REPOSITORY_TOPS and \
                    not os.path.exists(os.path.join(root, document)):
                faults.append(f"rules.json: {rule}: its source {document} does not exist")
    for rule in sorted(pending_rules - register.keys()):
        faults.append(f"pending_rules.txt: {rule} is not in the register")
    for fault in faults:
        print(fault)
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main(sys.argv[1])
