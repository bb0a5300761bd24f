"""What every Python driver of the Kafka compatibility suite shares: the command line, Kafka's
murmur2 partitioner (the Java client's, checked against KAFKA-FACTS.md's vectors), the test data,
the JSON result and the failure message. Standard library only.

A driver is run as

    python3 DRIVER.py --bootstrap 127.0.0.1:PORT --scenario NAME [options]

and prints one JSON object on standard output (`{"client": ..., "scenario": ..., "ok": true, ...}`)
and exits 0, or prints `FAIL <client> <scenario>: <what went wrong>` on standard error and exits 1
(2 for an unexpected exception, with its traceback). Client debug logs go to --debug-log.
"""

import argparse
import base64
import json
import os
import sys
import time
import traceback

# ---------------------------------------------------------------------------------------------
# Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) and the default partitioner.


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 of `data` as a signed 32-bit integer."""
    length = len(data)
    m = 0x5BD1E995
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[i * 4 : i * 4 + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = length & ~3
    extra = length % 4
    if extra == 3:
        h ^= data[tail + 2] << 16
    if extra >= 2:
        h ^= data[tail + 1] << 8
    if extra >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h - (1 << 32) if h >= 1 << 31 else h


def kafka_partition(key: bytes, partitions: int) -> int:
    """The partition the Java client's default partitioner gives `key`: toPositive(murmur2) % n."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


# KAFKA-FACTS.md: key bytes, murmur2, partition of 3, 10, 50.
MURMUR2_VECTORS = [
    (b"", 275646681, 0, 1, 31),
    (b"a", -1563381124, 1, 4, 24),
    (b"foo", 597841616, 2, 6, 16),
    (b"key-0", 29210041, 1, 1, 41),
    (b"key-1", 193331640, 0, 0, 40),
    (b"hello world", 1221641059, 1, 9, 9),
    (b"\x00\xff", -190448095, 1, 3, 3),
    ("ü".encode(), 1419834458, 2, 8, 8),
]

for _key, _hash, _p3, _p10, _p50 in MURMUR2_VECTORS:
    assert murmur2(_key) == _hash, f"murmur2({_key!r}) = {murmur2(_key)}, expected {_hash}"
    assert [kafka_partition(_key, n) for n in (3, 10, 50)] == [_p3, _p10, _p50], _key

# ---------------------------------------------------------------------------------------------
# Test data. Every driver produces the same records, as far as its client's API can express them.

KEYED_KEYS = [v[0] for v in MURMUR2_VECTORS] + [f"key-{i}".encode() for i in range(2, 40)]


def keyed_value(key: bytes) -> bytes:
    return b"value of " + key


def varied_records():
    """(key, value, headers) triples: null and empty keys and values, binary, UTF-8, headers with
    repeated names, empty and null values, and one large value."""
    binary = bytes(range(256))
    large = bytes((i * 31 + 7) % 256 for i in range(200_000))
    return [
        (None, b"plain keyless", []),
        (None, binary, [("bin", binary)]),
        (None, b"", []),
        (b"tomb", None, []),
        (None, "ünïcødé ✓ 🚀 漢字".encode(), [("trace", b"a1"), ("trace", b"a2"), ("empty", b""), ("null", None)]),
        (b"", b"empty key", [("h", b"v")]),
        (binary, b"binary key", []),
        (None, large, [("size", b"200000")]),
        (b"k", b"v\x00with\nnewline\r\tand nul", [("\u00e9t\u00e9", "\u2713".encode())]),
    ]


def compressible_records(count=500):
    """Keyless records that compress well, with a header, for the compression scenarios."""
    return [
        (None, (f"record {i:05d} " + "compressible text " * 20).encode(), [("i", str(i).encode())])
        for i in range(count)
    ]


# ---------------------------------------------------------------------------------------------
# Records as JSON: bytes are base64 (null stays null), so a test can compare them byte for byte.


def b64(data):
    return None if data is None else base64.b64encode(data).decode()


def record_json(partition, offset, timestamp, key, value, headers):
    return {
        "partition": partition,
        "offset": offset,
        "timestamp": timestamp,
        "key": b64(key),
        "value": b64(value),
        "headers": [[k, b64(v)] for k, v in headers],
    }


def describe(data, limit=40):
    """A short, readable form of bytes for failure messages."""
    if data is None:
        return "null"
    text = repr(bytes(data[:limit]))
    return text + (f"... ({len(data)} bytes)" if len(data) > limit else "")


def now_ms():
    return int(time.time() * 1000)


# ---------------------------------------------------------------------------------------------
# Checks and the result.


class Failure(Exception):
    """A scenario's expectation that did not hold; the message says what and where."""


# Expectations that did not hold but let the scenario go on, so one run reports every difference
# (the first is usually the cause of the others).
PROBLEMS = []


def check(condition, message):
    """Records a problem and goes on unless `condition` holds."""
    if not condition:
        PROBLEMS.append(message)
    return bool(condition)


def require(condition, message):
    """Stops the scenario unless `condition` holds (what follows depends on it)."""
    if not condition:
        raise Failure(message)


def expect_equal(actual, expected, what):
    return check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def compare_records(expected, actual, what):
    """`expected` and `actual` are {(partition, offset): (key, value, headers)}; headers are lists
    of (name, bytes-or-None). Fails naming the first differences."""
    problems = []
    for position in sorted(expected):
        if position not in actual:
            problems.append(f"record at partition {position[0]} offset {position[1]} was not read back")
            continue
        ek, ev, eh = expected[position]
        ak, av, ah = actual[position]
        if ak != ek:
            problems.append(f"{position}: key {describe(ak)} != produced {describe(ek)}")
        if av != ev:
            problems.append(f"{position}: value {describe(av)} != produced {describe(ev)}")
        if [tuple(h) for h in ah] != [tuple(h) for h in eh]:
            problems.append(f"{position}: headers {ah!r:.200} != produced {eh!r:.200}")
    extra = sorted(set(actual) - set(expected))
    if extra:
        problems.append(f"unexpected records at (partition, offset) {extra[:10]}")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        check(False, f"{what}: " + "; ".join(problems[:10]) + more)


def parse_args(client, scenarios, extra=None):
    parser = argparse.ArgumentParser(description=f"Kafka compatibility scenarios with {client}.")
    parser.add_argument("--bootstrap", required=True, help="HOST:PORT of the Kafka listener")
    parser.add_argument("--scenario", required=True, choices=sorted(scenarios))
    parser.add_argument("--prefix", default="compat", help="prefix of the topic names this run creates")
    parser.add_argument("--node-id", type=int, default=0, help="the broker's node id (Skiff: 0)")
    parser.add_argument("--topic", help="the topic of the dump and crash scenarios")
    parser.add_argument("--partitions", type=int, default=3, help="partitions of --topic (crash)")
    parser.add_argument("--admin-token", help="password of SASL/PLAIN user `admin` (sasl scenario)")
    parser.add_argument("--read-only-token", help="password of SASL/PLAIN user `read-only` (sasl scenario)")
    parser.add_argument("--acked-file", help="crash scenarios: where the acknowledged records are listed")
    parser.add_argument("--debug-log", help="write the client's debug log (protocol level) here")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds any one wait may take")
    if extra:
        extra(parser)
    return parser.parse_args()


def bootstrap_host_port(args):
    host, _, port = args.bootstrap.rpartition(":")
    return host, int(port)


def main(client, scenarios, extra_args=None):
    """Runs the chosen scenario and prints its result; never returns."""
    args = parse_args(client, scenarios, extra_args)
    started = time.monotonic()
    try:
        result = scenarios[args.scenario](args) or {}
    except Failure as failure:
        fail(client, args.scenario, PROBLEMS + [str(failure)])
        os._exit(1)
    except BaseException as error:
        fail(client, args.scenario, PROBLEMS + [f"unexpected exception {error!r}"])
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(2)
    if PROBLEMS:
        fail(client, args.scenario, PROBLEMS)
        os._exit(1)
    output = {"client": client, "scenario": args.scenario, "ok": True, "seconds": round(time.monotonic() - started, 3)}
    output.update(result)
    sys.stdout.write(json.dumps(output) + "\n")
    sys.stdout.flush()
    # Client libraries may keep threads that delay a normal exit; the result is out.
    os._exit(0)


def fail(client, scenario, problems):
    if len(problems) == 1:
        print(f"FAIL {client} {scenario}: {problems[0]}", file=sys.stderr, flush=True)
    else:
        lines = "".join(f"\n  {i + 1}. {p}" for i, p in enumerate(problems))
        print(f"FAIL {client} {scenario}: {len(problems)} problems:{lines}", file=sys.stderr, flush=True)


def deadline(args, seconds=None):
    return time.monotonic() + (seconds if seconds is not None else args.timeout)


def topic_name(args, what):
    return f"{args.prefix}-{what}"
