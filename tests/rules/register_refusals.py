#!/usr/bin/env python3
"""rules_register.py refuses a register the code could not use, naming the rule and the field:
here a reason template with a { or } that is not part of a {figure}.

Usage: register_refusals.py RULES_REGISTER_PY   (exit 1 naming each case it did not refuse)"""
import json
import os
import subprocess
import sys
import tempfile


def entry(reason_en):
    return {"id": "test.sample.rule", "zh": "规则", "en": "a rule", "verified": False,
            "source": {"document": "test"}, "test": "tests/x.cpp: Suite.Name",
            "reason": {"zh": "{month}未发", "en": reason_en}}


def refused(script, rules):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "rules.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"rules": rules}, f, ensure_ascii=False)
        run = subprocess.run([sys.executable, script, path, "--markdown"], capture_output=True,
                             text=True)
        return run.returncode != 0, run.stderr.strip()


def main(script):
    failures = []
    ok, why = refused(script, [entry("{month} unpaid")])
    if ok:
        failures.append(f"a balanced template was refused: {why}")
    for bad in ("{month} unpaid {month", "{month} unpaid }", "{month unpaid"):
        ok, why = refused(script, [entry(bad)])
        if not ok or "test.sample.rule" not in why or "reason.en" not in why:
            failures.append(f"not refused, naming the rule and reason.en: {bad!r} ({why})")
    for f in failures:
        print(f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv[1])
