#!/usr/bin/python3
"""publish.py's read_reply() on every layout a bus may answer with: one segment or several (far
pointers), a newer bus's IngestReply with more fields, an older one's with fewer, and bytes that
are no reply. The replies are built by the capnp tool from messages/bus.capnp and variants of it."""

import json
import os
import struct
import subprocess
import tempfile
import unittest

from publish import read_reply

HERE = os.path.dirname(os.path.abspath(__file__))
BUS_CAPNP = os.path.join(HERE, "..", "..", "..", "messages", "bus.capnp")
REPLY = {"eventId": "hrss-2026-000123", "status": "duplicate", "partition": 3,
         "sequence": "1234567890123", "reason": "原因 / reason"}
READ = (b"hrss-2026-000123", 1, 3, 1234567890123, "原因 / reason")


def variant(schema, replaces, file_id):
    """bus.capnp with `replaces` applied (old text, new text each) under another file id."""
    with open(BUS_CAPNP, encoding="utf-8") as f:
        text = f.read()
    for old, new in replaces:
        assert old in text, old
        text = text.replace(old, new)
    path = os.path.join(schema, f"{file_id}.capnp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("@0xe39b76470b142ebf", f"@0x{file_id}"))
    return path


def encode(schema_file, reply, segment_words=None):
    command = ["capnp", "convert", "json:binary", schema_file, "IngestReply"]
    if segment_words:
        command.append(f"--segment-size={segment_words}")
    text = json.dumps(reply, ensure_ascii=False).encode()
    return subprocess.run(command, input=text, capture_output=True, check=True).stdout


def segments(frame):
    return struct.unpack_from("<I", frame)[0] + 1


class ReadReply(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def test_one_segment_and_several(self):
        for words in (None, 1, 2, 3):
            frame = encode(BUS_CAPNP, REPLY, words)
            self.assertEqual(read_reply(frame), READ, f"{segments(frame)} segments")
        self.assertGreater(segments(encode(BUS_CAPNP, REPLY, 1)), 1)

    def test_a_newer_bus_adds_fields_the_reader_skips(self):
        newer = variant(self.dir.name, [("  reasonZh @6 :Text;", "  reasonZh @6 :Text;\n"
                                         "  ruleVersion @7 :Text;\n  count @8 :UInt64;\n"
                                         "  hint @9 :Text;")], "e39b76470b142ec0")
        reply = dict(REPLY, rule="R-1", reasonZh="中文理由", ruleVersion="2022", count="7",
                     hint="提示")
        for words in (None, 1):
            self.assertEqual(read_reply(encode(newer, reply, words)), READ)

    def test_an_older_bus_lacks_fields_that_read_as_their_defaults(self):
        # A bus before the rules register (no rule, no reasonZh) and before sequences.
        older = variant(self.dir.name, [("  sequence @3 :UInt64;\n  reason @4 :Text;",
                                         "  reason @3 :Text;"),
                                        ("  rule @5 :Text;", "#"), ("  reasonZh @6 :Text;", "#")],
                        "e39b76470b142ec1")
        reply = {"eventId": "x", "status": "nack", "partition": 1, "reason": "r"}
        self.assertEqual(read_reply(encode(older, reply)), (b"x", 2, 1, 0, "r"))

    def test_bytes_that_are_no_reply_are_a_value_error(self):
        frame = encode(BUS_CAPNP, REPLY)
        for bad in (b"", frame[:-1], frame[:-8], frame + b"\0" * 8, b"\xff" * 16):
            with self.assertRaises(ValueError, msg=bad.hex()):
                read_reply(bad)


if __name__ == "__main__":
    unittest.main()
