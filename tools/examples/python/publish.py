#!/usr/bin/python3
"""Sends events to mwp's bus as a department system does, and prints the bus's answer to each.

    publish.py [--bus ENDPOINT] [--key FILE --server-key FILE] [--schema DIR] [--timeout MS]
               [FILE...]

FILE holds JSON events, one a line (stdin without FILE), in the shape `mwpctl publish` and
POST /v1/events take (shared/design/EVENTS.md). One line out per event, in the order given:
    ACK <eventId> <partition>:<sequence>    stored now
    DUP <eventId> <partition>:<sequence>    stored before (the original's place)
    NACK <eventId> <reason>                 refused; nothing stored
Exit codes as mwpctl's: 0 none refused, 65 some refused, 69 no answer from the bus, 64 usage.

docs/ingest.md explains every step; this file is its working example. It needs Debian's
python3-zmq (libzmq with CURVE), capnproto (the `capnp` tool) and libcapnp-dev (the schemas'
import /capnp/c++.capnp), and mwp's schemas (messages/: events.capnp, rules.capnp, bus.capnp).

Frames are built by `capnp convert json:binary` because Debian has no Cap'n Proto binding for
Python: the tool reads the schema, so every kind is built right without a line of layout code here.
A system in Java, Go, Rust or C# builds them with its language's Cap'n Proto library instead. The
bus's answer, one small struct, is read by the few lines of read_reply() below.
"""

import argparse
import collections
import json
import os
import struct
import subprocess
import sys

import zmq
from zmq.utils.monitor import recv_monitor_message

MAX_FRAME_BYTES = 64 * 1024  # the bus refuses longer frames (and drops a connection past 256 KiB)
EVENT_ID_BYTES = 64  # the bus quotes an eventId back cut to this many bytes
WINDOW = 2048  # frames in flight at once, as mwpctl keeps (docs/ingest.md, "In flight")
ATTEMPTS = 5  # silent timeouts in a row before the bus counts as unreachable

EX_USAGE, EX_DATAERR, EX_UNAVAILABLE = 64, 65, 69
STATUS_WORDS = {0: "ACK", 1: "DUP", 2: "NACK"}  # IngestReply.Status: ack, duplicate, nack


class Unreachable(Exception):
    pass


# --- CurveZMQ keys -------------------------------------------------------------------------------


def read_key_file(path):
    """A key file of `mwpctl keygen curve`: "public <Z85>" and, in a pair, "secret <Z85>"."""
    keys = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            words = line.split()
            if len(words) == 2 and words[0] in ("public", "secret"):
                keys[words[0]] = words[1].encode("ascii")
    if len(keys.get("public", b"")) != 40:
        raise SystemExit(f"{path}: no \"public <40 Z85 characters>\" line")
    return keys


# --- Building frames: JSON → one unpacked Cap'n Proto Envelope each -----------------------------


def capnp_convert(direction, data, schema_dir):
    """Runs `capnp convert` over a stream of Envelopes ("json:binary" or "binary:json"); returns
    its stdout, or raises ValueError with the tool's reason."""
    command = ["capnp", "convert", direction, "-I", schema_dir, "--short",
               os.path.join(schema_dir, "events.capnp"), "Envelope"]
    done = subprocess.run(command, input=data, capture_output=True)
    if done.returncode != 0:
        # The tool says "…failed: expected <condition>; <what>" or "Exception description:
        # expected <condition>; <what>" among other lines: the what is enough.
        lines = done.stderr.decode("utf-8", "replace").splitlines()
        found = [line.split(mark, 1)[1] for line in lines
                 for mark in ("failed: ", "Exception description: ") if mark in line]
        what = found[0] if found else "capnp convert failed"
        raise ValueError(what.split("; ", 1)[-1] if what.startswith("expected ") else what)
    return done.stdout


def split_messages(stream):
    """Cuts a stream of unpacked messages at each one's end, read from its segment table."""
    messages, at = [], 0
    while at < len(stream):
        (count_less_one,) = struct.unpack_from("<I", stream, at)
        count = count_less_one + 1
        sizes = struct.unpack_from(f"<{count}I", stream, at + 4)
        table = (4 + 4 * count + 7) // 8 * 8  # the table is padded to a whole word
        end = at + table + 8 * sum(sizes)
        messages.append(stream[at:end])
        at = end
    return messages


def dropped_fields(sent, kept, path=""):
    """Members of `sent` that `kept` (the frame read back) lacks: names the schema does not have.
    capnp's JSON reader drops them silently; the bus would then store the event without them."""
    missing = []
    for name, value in sent.items():
        where = f"{path}{name}"
        if name not in kept:
            missing.append(where)
        elif isinstance(value, dict) and isinstance(kept[name], dict):
            missing += dropped_fields(value, kept[name], where + ".")
    return missing


def too_large(size):
    """The bus's own words for a frame over the limit (common/core/frames.cpp)."""
    return (f"frame: {size} 字节，超过 {MAX_FRAME_BYTES} 字节的上限 / "
            f"frame of {size} bytes is over the limit of {MAX_FRAME_BYTES}")


def as_line(event):
    return (json.dumps(event, ensure_ascii=False) + "\n").encode()


def build_frames(lines, schema_dir):
    """For each JSON line, (eventId, frame, None) or (eventId, None, refusal): a line is refused
    here, as mwpctl refuses it, when it is not JSON, does not fit the schema (a field it lacks, a
    value of the wrong type), or makes a frame over 64 KiB."""
    events = []
    for line in lines:
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise ValueError("not a JSON object")
            events.append(event)
        except ValueError as e:
            events.append(f"not valid JSON: {e}")
    convertible = [e for e in events if isinstance(e, dict)]
    text = b"".join(as_line(e) for e in convertible)
    try:
        frames = split_messages(capnp_convert("json:binary", text, schema_dir))
    except ValueError:
        # One line spoils the whole stream: convert one at a time to name it.
        frames = []
        for e in convertible:
            try:
                frames.append(capnp_convert("json:binary", as_line(e), schema_dir))
            except ValueError as error:
                frames.append(error)
    good = [f for f in frames if isinstance(f, bytes)]
    read_back = capnp_convert("binary:json", b"".join(good), schema_dir).splitlines()
    kept = iter(json.loads(k) for k in read_back)

    out, made = [], iter(frames)
    for event in events:
        if isinstance(event, str):
            out.append(("", None, event))
            continue
        event_id = str(event.get("eventId", ""))  # as the frame carries it, for matching
        frame = next(made)
        if isinstance(frame, ValueError):
            out.append((event_id, None, f"not convertible to the schema: {frame}"))
        elif dropped := dropped_fields(event, next(kept)):
            out.append((event_id, None, ", ".join(f"{d}: unknown field" for d in dropped)))
        elif len(frame) > MAX_FRAME_BYTES:
            out.append((event_id, None, too_large(len(frame))))
        else:
            out.append((event_id, frame, None))
    return out


# --- Reading the answer: one IngestReply (messages/bus.capnp) ------------------------------------


def read_reply(frame):
    """(eventId bytes, status, partition, sequence, reason) of an IngestReply, or ValueError.

    Layout (`capnp compile -ocapnp messages/bus.capnp`): data section status bits [0, 16),
    partition [32, 64), sequence [64, 128); pointers eventId [0], reason [1]. A newer bus may add
    fields at higher ordinals: they come after these, so they are skipped, never an error (Cap'n
    Proto's evolution rules); a field beyond a shorter struct reads as its default, 0 or ""."""
    try:
        return parse_reply(memoryview(frame))
    except struct.error as e:  # shorter than its own table says
        raise ValueError(str(e)) from e


def parse_reply(words):
    if len(words) % 8:
        raise ValueError("not whole words")
    (count_less_one,) = struct.unpack_from("<I", words, 0)
    count = count_less_one + 1
    sizes = struct.unpack_from(f"<{count}I", words, 4)
    starts, at = [], (4 + 4 * count + 7) // 8
    for size in sizes:
        starts.append(at)
        at += size
    if at * 8 != len(words):
        raise ValueError("segment table does not match the length")

    def word(segment, index):
        if segment >= count or not 0 <= index < sizes[segment]:
            raise ValueError("pointer outside its segment")
        return struct.unpack_from("<Q", words, 8 * (starts[segment] + index))[0]

    def target(segment, index):
        """Where the pointer at (segment, index) points: (segment, content index, pointer word)."""
        pointer = word(segment, index)
        if pointer & 3 == 2:  # far: the content is in another segment (a large reply)
            landing, segment = (pointer >> 3) & 0x1FFFFFFF, pointer >> 32
            if pointer & 4:  # double far: a far pointer to the content, then its tag
                far = word(segment, landing)
                if far >> 32 >= count:
                    raise ValueError("far pointer to no segment")
                return far >> 32, (far >> 3) & 0x1FFFFFFF, word(segment, landing + 1)
            pointer, index = word(segment, landing), landing
        offset = ((pointer & 0xFFFFFFFF) >> 2) - ((pointer & 0x80000000) >> 1)  # signed 30 bits
        return segment, index + 1 + offset, pointer

    segment, data, root = target(0, 0)
    if root & 3 != 0:
        raise ValueError("root is not a struct")
    data_words, pointer_words = (root >> 32) & 0xFFFF, root >> 48
    if data < 0 or data + data_words + pointer_words > sizes[segment]:
        raise ValueError("root outside its segment")

    def data_field(byte_offset, fmt):
        size = struct.calcsize(fmt)
        if byte_offset + size > 8 * data_words:
            return 0
        first = 8 * (starts[segment] + data) + byte_offset
        return struct.unpack_from(fmt, words, first)[0]

    def text_field(number):
        if number >= pointer_words or word(segment, data + data_words + number) == 0:
            return b""
        text_segment, first, pointer = target(segment, data + data_words + number)
        if pointer & 3 != 1 or (pointer >> 32) & 7 != 2:
            raise ValueError("text is not a list of bytes")
        length = pointer >> 35
        if first < 0 or first * 8 + length > sizes[text_segment] * 8 or length == 0:
            raise ValueError("text outside its segment")
        begin = 8 * (starts[text_segment] + first)
        return bytes(words[begin:begin + length - 1])  # without its NUL

    return (text_field(0), data_field(0, "<H"), data_field(4, "<I"), data_field(8, "<Q"),
            text_field(1).decode("utf-8", "replace"))


# --- Sending: a DEALER to the bus's ROUTER, one frame per event ----------------------------------


class Connection:
    """A DEALER connected to the bus's ROUTER, and what ZeroMQ's monitor saw of its handshakes: the
    one way to tell a key the bus refuses from a bus that is down, for the bus answers neither."""

    WATCHED = (zmq.EVENT_CONNECTED | zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH
               | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)

    def __init__(self, context, endpoint, keys, seen):
        self.socket = context.socket(zmq.DEALER)
        self.socket.linger = 0
        if keys:
            own, server = keys
            self.socket.curve_serverkey = server["public"]
            self.socket.curve_publickey = own["public"]
            self.socket.curve_secretkey = own["secret"]
        self.monitor = self.socket.get_monitor_socket(self.WATCHED)
        self.seen = seen  # the events of every connection of one run
        self.curve = bool(keys)
        self.socket.connect(endpoint)

    def close(self):
        self.why_silent()
        self.socket.disable_monitor()
        self.monitor.close()
        self.socket.close()

    def why_silent(self):
        """What the handshakes so far say about a bus that does not answer."""
        while self.monitor.poll(0):
            self.seen.add(recv_monitor_message(self.monitor)["event"])
        if zmq.EVENT_HANDSHAKE_FAILED_AUTH in self.seen:
            return ("the bus refused this key: is its public key listed at the bus under this "
                    "department's name?")
        if self.seen & {zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL, zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL}:
            if not self.curve:
                return "the handshake failed: the bus speaks CURVE (give --key and --server-key)"
            return "the CURVE handshake failed: is --server-key the bus's public key?"
        if zmq.EVENT_HANDSHAKE_SUCCEEDED in self.seen:
            return "connected, but the bus stored nothing in time (its /readyz says why)"
        if zmq.EVENT_CONNECTED in self.seen:
            return "connected, but no handshake completed"
        return "nothing accepted a connection there"


def publish(frames, endpoint, keys, timeout_ms):
    """Sends (eventId, frame) pairs, WINDOW at a time; returns one answer per pair, in order.

    The bus answers each frame once, in the order it received them on this connection. An answer
    is matched to the oldest frame in flight with its eventId, so the same event twice in one run
    is fine. Silence for timeout_ms: the fate of what is in flight is unknown, so all of it is sent
    again, on a new connection, so that a late answer from the old one cannot be taken for the new
    one's. Safe: a re-sent event is answered DUP with the place it was stored at."""
    context, seen = zmq.Context.instance(), set()
    connection = Connection(context, endpoint, keys, seen)
    answers = [None] * len(frames)
    in_flight = collections.deque()  # indices sent on this connection, oldest first
    next_index, silent = 0, 0
    while next_index < len(frames) or in_flight:
        while next_index < len(frames) and len(in_flight) < WINDOW:
            connection.socket.send(frames[next_index][1])
            in_flight.append(next_index)
            next_index += 1
        if not connection.socket.poll(timeout_ms, zmq.POLLIN):
            silent += 1
            if silent >= ATTEMPTS:
                why = connection.why_silent()
                connection.close()
                raise Unreachable(f"no answer from the bus at {endpoint} after {silent} attempts: "
                                  f"{why}")
            connection.close()
            connection = Connection(context, endpoint, keys, seen)
            for index in in_flight:
                connection.socket.send(frames[index][1])
            continue
        while connection.socket.poll(0, zmq.POLLIN):
            try:
                reply = read_reply(connection.socket.recv())
            except ValueError:
                continue  # not an answer of the bus's: its frame stays in flight, re-sent later
            for index in in_flight:
                if frames[index][0].encode()[:EVENT_ID_BYTES] == reply[0]:
                    answers[index] = reply
                    in_flight.remove(index)
                    silent = 0
                    break
    connection.close()
    return answers


class UsageParser(argparse.ArgumentParser):
    """Names a bad word and exits 64 (EX_USAGE), as mwp's own programs do, not argparse's 2."""

    def error(self, message):
        print(f"publish.py: {message}", file=sys.stderr)
        sys.exit(EX_USAGE)


def main():
    parser = UsageParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--bus", default=os.environ.get("MWP_BUS_INGEST", "tcp://127.0.0.1:7101"),
                        help="the bus's ingest (default MWP_BUS_INGEST, tcp://127.0.0.1:7101)")
    parser.add_argument("--key", default=os.environ.get("MWP_KEY_FILE"),
                        help="this department's key pair, from `mwpctl keygen curve` "
                             "(default MWP_KEY_FILE)")
    parser.add_argument("--server-key", default=os.environ.get("MWP_BUS_SERVER_KEY_FILE"),
                        help="the bus's public key file (default MWP_BUS_SERVER_KEY_FILE)")
    parser.add_argument("--schema", default=os.path.join(here, "..", "..", "..", "messages"),
                        help="the folder of mwp's schemas (default the repo's messages/)")
    parser.add_argument("--timeout", type=int, default=2000, metavar="MS",
                        help="silence after which unanswered events are sent again; "
                             f"{ATTEMPTS} in a row: unreachable (default 2000)")
    parser.add_argument("files", nargs="*", metavar="FILE", help="files of JSON events")
    args = parser.parse_args()
    if bool(args.key) != bool(args.server_key):
        parser.error("--key and --server-key go together: set both or neither")
    keys = (read_key_file(args.key), read_key_file(args.server_key)) if args.key else None
    if keys and "secret" not in keys[0]:
        parser.error(f"{args.key}: this sender's key file has no secret key")

    lines = []
    for source in args.files or ["-"]:
        with (sys.stdin if source == "-" else open(source, encoding="utf-8")) as f:
            lines += [line for line in f if line.strip()]
    built = build_frames(lines, args.schema)
    to_send = [(event_id, frame) for event_id, frame, _ in built if frame is not None]
    try:
        answers = iter(publish(to_send, args.bus, keys, args.timeout))
    except Unreachable as e:
        print(f"publish.py: {e}", file=sys.stderr)
        return EX_UNAVAILABLE

    refused = False
    for event_id, frame, refusal in built:
        shown = event_id or "-"
        if frame is None:
            print(f"NACK {shown} {refusal}")
            refused = True
            continue
        quoted_id, status, partition, sequence, reason = next(answers)
        word = STATUS_WORDS.get(status, "NACK")  # a status this example does not know: not stored
        if word == "NACK":
            print(f"NACK {shown} {reason}")
            refused = True
        else:
            print(f"{word} {shown} {partition}:{sequence}")
    return EX_DATAERR if refused else 0


if __name__ == "__main__":
    sys.exit(main())
