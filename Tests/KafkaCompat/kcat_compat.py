"""The compatibility scenarios with kcat (Debian's, on its librdkafka): this driver runs the `kcat`
executable and checks what it prints. kcat has no admin API, so the topics a scenario uses must
exist before it runs (`topics_needed` below; the Swift tests create them with `skiff topic create`),
except the one the metadata scenario's produce auto-creates. Records are read back with
`-f '%p %o %T %K %S %h|%k%s\\n'`: the lengths make keys and values binary-safe. Standard library only.
Run with --help for the options; compat_common.py describes the output."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compat_common import (  # noqa: E402
    KEYED_KEYS,
    Failure,
    check,
    compressible_records,
    describe,
    expect_equal,
    kafka_partition,
    keyed_value,
    main,
    now_ms,
    record_json,
    require,
    topic_name,
    varied_records,
)

KCAT = os.environ.get("SKIFF_COMPAT_KCAT", "kcat")
FORMAT = "%p %o %T %K %S %h|%k%s\\n"
CODECS = ("gzip", "snappy", "lz4", "zstd")


def kcat_version():
    path = shutil.which(KCAT)
    if not path:
        return "kcat (not found)"
    out = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=10).stdout
    # "kcat - Apache Kafka producer and consumer tool ... Version 1.7.1 (... librdkafka 2.0.2 ...)"
    for line in out.splitlines():
        if line.startswith("Version"):
            parts = line.split()
            lib = line.split("librdkafka ")[1].split()[0] if "librdkafka " in line else "?"
            return f"kcat {parts[1]} (librdkafka {lib})"
    return "kcat"


CLIENT = kcat_version()


def topics_needed(prefix):
    """{topic: partitions} that must exist before the scenarios run."""
    topics = {f"{prefix}-meta": 3, f"{prefix}-keyed-3": 3, f"{prefix}-keyed-10": 10, f"{prefix}-varied": 3}
    topics.update({f"{prefix}-compressed-{c}": 1 for c in CODECS})
    topics.update({f"{prefix}-positions": 2, f"{prefix}-sasl": 1})
    return topics


def base_argv(args, user=None, password=None):
    argv = [KCAT, "-b", args.bootstrap, "-m", str(int(args.timeout)), "-X", "client.id=skiff-compat-kcat"]
    if user is not None:
        argv += ["-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=PLAIN"]
        argv += ["-X", f"sasl.username={user}", "-X", f"sasl.password={password}"]
    if args.debug_log:
        argv += ["-d", "protocol,broker,topic,msg"]
    return argv


def run_kcat(args, argv, stdin=b"", user=None, password=None, expect_ok=True):
    """Runs kcat; returns (exit status, stdout, stderr). Its stderr (debug log included) goes to
    --debug-log too."""
    full = base_argv(args, user, password) + argv
    try:
        done = subprocess.run(full, input=stdin, capture_output=True, timeout=args.timeout * 2)
    except subprocess.TimeoutExpired as e:
        raise Failure(f"kcat {' '.join(argv)} did not finish within {args.timeout * 2} s: {(e.stderr or b'')[-2000:]!r}")
    if args.debug_log:
        with open(args.debug_log, "ab") as log:
            log.write(f"\n=== {' '.join(full)} exited {done.returncode}\n".encode() + done.stderr)
    if expect_ok and done.returncode != 0:
        errors = [line for line in done.stderr.decode(errors="replace").splitlines() if "ERROR" in line or "FAIL" in line]
        raise Failure(f"kcat {' '.join(argv)} exited {done.returncode}: " + " | ".join(errors[-8:]))
    return done.returncode, done.stdout, done.stderr.decode(errors="replace")


def parse_records(data):
    """kcat's output with FORMAT -> [(partition, offset, timestamp, key, value, headers)]."""
    records, pos = [], 0
    while pos < len(data):
        bar = data.index(b"|", pos)
        fields = data[pos:bar].split(b" ", 5)
        p, o, ts, klen, vlen = (int(x) for x in fields[:5])
        headers = []
        text = fields[5].decode() if len(fields) > 5 else ""
        if text:
            for item in text.split(","):
                name, _, value = item.partition("=")
                headers.append((name, None if value == "NULL" else value.encode()))
        pos = bar + 1
        key = data[pos : pos + klen] if klen >= 0 else None
        pos += max(klen, 0)
        value = data[pos : pos + vlen] if vlen >= 0 else None
        pos += max(vlen, 0)
        require(data[pos : pos + 1] == b"\n", f"cannot parse kcat's output at byte {pos}: {data[pos - 40 : pos + 40]!r}")
        pos += 1
        records.append((p, o, ts, key, value, headers))
    return records


def consume(args, topic, offset="beginning", partition=None, user=None, password=None, count=None):
    argv = ["-C", "-t", topic, "-o", str(offset), "-e", "-q", "-f", FORMAT]
    if partition is not None:
        argv += ["-p", str(partition)]
    if count is not None:
        argv += ["-c", str(count)]
    _, out, _ = run_kcat(args, argv, user=user, password=password)
    return parse_records(out)


def produce_lines(args, topic, lines, extra=(), user=None, password=None):
    """Produces newline-separated lines (key TAB value with -K)."""
    run_kcat(args, ["-P", "-t", topic, "-X", "partitioner=murmur2_random", *extra], stdin=b"".join(line + b"\n" for line in lines), user=user, password=password)


def produce_file(args, topic, value, extra=()):
    """Produces one record whose value is a file's whole content (binary-safe)."""
    with tempfile.NamedTemporaryFile(prefix="skiff-compat-kcat-", delete=False) as f:
        f.write(value)
    try:
        run_kcat(args, ["-P", "-t", topic, *extra, f.name])
    finally:
        os.unlink(f.name)


def as_multiset(records):
    return sorted((describe(k, 1000), describe(v, 1000), repr(h)) for k, v, h in records)


def output(read):
    return [record_json(p, o, ts, k, v, h) for p, o, ts, k, v, h in sorted(read, key=lambda r: (r[0], r[1]))]


# ---------------------------------------------------------------------------------------------


def scenario_metadata(args):
    import json

    topic = topic_name(args, "meta")
    _, out, _ = run_kcat(args, ["-L", "-J"])
    md = json.loads(out)
    host, port = args.bootstrap.rsplit(":", 1)
    expect_equal([(b["id"], b["name"]) for b in md["brokers"]], [(args.node_id, f"{host}:{port}")], "Metadata brokers")
    expect_equal(md.get("controllerid"), args.node_id, "Metadata controller id")
    topics = {t["topic"]: t for t in md["topics"]}
    require(topic in topics, f"Metadata lists no topic {topic}: {sorted(topics)}")
    partitions = topics[topic]["partitions"]
    expect_equal(sorted(p["partition"] for p in partitions), [0, 1, 2], f"partitions of {topic}")
    for p in partitions:
        check("error" not in p, f"partition {p['partition']} error {p.get('error')}")
        expect_equal(p["leader"], args.node_id, f"leader of partition {p['partition']}")
        expect_equal([r["id"] for r in p["replicas"]], [args.node_id], f"replicas of partition {p['partition']}")
        expect_equal([r["id"] for r in p["isrs"]], [args.node_id], f"in-sync replicas of partition {p['partition']}")
    auto = topic_name(args, "auto-created")
    produce_lines(args, auto, [b"v"])
    _, out, _ = run_kcat(args, ["-L", "-J", "-t", auto])
    md = json.loads(out)
    require(md["topics"] and md["topics"][0]["topic"] == auto, f"Metadata of the auto-created topic: {md['topics']}")
    check("error" not in md["topics"][0], f"auto-created topic error {md['topics'][0].get('error')}")
    read = consume(args, auto)
    expect_equal([(r[3], r[4]) for r in read], [(None, b"v")], "the record that auto-created the topic")
    return {"topic": topic, "autoCreatedPartitions": len(md["topics"][0]["partitions"])}


def scenario_produce_keyed(args):
    result = {}
    for count in (3, 10):
        topic = topic_name(args, f"keyed-{count}")
        produce_lines(args, topic, [k + b"\t" + keyed_value(k) for k in KEYED_KEYS], ["-K", "\\t"])
        read = consume(args, topic)
        expect_equal(len(read), len(KEYED_KEYS), f"records read back from {topic}")
        for p, o, ts, key, value, headers in read:
            expect_equal(p, kafka_partition(key, count), f"partition of key {key!r} in {topic} ({count} partitions)")
            expect_equal(value, keyed_value(key), f"value of key {key!r}")
        expect_equal(sorted(r[3] for r in read), sorted(KEYED_KEYS), f"keys read back from {topic}")
        result[topic] = output(read)
    return {"topics": result}


def scenario_produce_varied(args):
    """varied_records(), as far as kcat can send them: keys and header values come from the
    command line (no NUL) or a TAB-split line (no TAB or newline)."""
    topic = topic_name(args, "varied")
    binary, large = varied_records()[1][1], varied_records()[7][1]
    high_key = bytes(range(0x80, 0x100))  # not UTF-8
    produced = [
        (None, b"plain keyless", []),
        (None, binary, [("bin", b"binary value")]),
        (b"", b"empty value follows", []),
        (b"tomb", None, []),
        (None, "ünïcødé ✓ 🚀 漢字".encode(), [("trace", b"a1"), ("trace", b"a2"), ("empty", b""), ("null", None)]),
        (b"", b"empty key", [("h", b"v")]),
        (high_key, b"binary key", []),
        (None, large, [("size", b"200000")]),
        (b"k", b"v\x00with\nnewline\r\tand nul", [("\u00e9t\u00e9", "\u2713".encode())]),
        (b"e", b"", []),
    ]
    produce_lines(args, topic, [b"plain keyless"])
    produce_file(args, topic, binary, ["-H", "bin=binary value"])
    produce_lines(args, topic, [b"\tempty value follows"], ["-K", "\\t"])
    produce_lines(args, topic, [b"tomb\t"], ["-K", "\\t", "-Z"])
    produce_file(args, topic, produced[4][1], ["-H", "trace=a1", "-H", "trace=a2", "-H", "empty=", "-H", "null"])
    produce_lines(args, topic, [b"\tempty key"], ["-K", "\\t", "-H", "h=v"])
    produce_lines(args, topic, [high_key + b"\tbinary key"], ["-K", "\\t"])
    produce_file(args, topic, large, ["-H", "size=200000"])
    produce_file(args, topic, produced[8][1], ["-k", "k", "-H", "\u00e9t\u00e9=\u2713"])
    produce_lines(args, topic, [b"e\t"], ["-K", "\\t"])
    read = consume(args, topic)
    got = [(k, v, h) for _, _, _, k, v, h in read]
    if as_multiset(got) != as_multiset(produced):
        missing = [r for r in as_multiset(produced) if r not in as_multiset(got)]
        extra = [r for r in as_multiset(got) if r not in as_multiset(produced)]
        check(False, f"{topic} read back: missing {missing!r:.600}; unexpected {extra!r:.600}")
    return {"topics": {topic: output(read)}, "adapted": "keys and header values without NUL; per-call headers"}


def compression_scenario(codec):
    def run(args):
        topic = topic_name(args, f"compressed-{codec}")
        values = [v for _, v, _ in compressible_records()]
        produce_lines(args, topic, values, ["-z", codec, "-H", f"codec={codec}", "-X", "linger.ms=50"])
        read = consume(args, topic)
        expect_equal(len(read), len(values), f"records read back from {topic}")
        expect_equal([r[4] for r in read], values, f"values read back from {topic}")
        check(all(r[5] == [("codec", codec.encode())] for r in read), f"headers read back: {read[0][5] if read else None}")
        return {"codec": codec, "topics": {topic: output(read)}}

    return run


def scenario_consume_positions(args):
    topic = topic_name(args, "positions")
    produce_lines(args, topic, [f"first-{i}".encode() for i in range(20)], ["-p", "0"])
    first = consume(args, topic, partition=0)
    expect_equal([r[1] for r in first], list(range(20)), "offsets of the first 20 records")
    # The second batch is stamped after the first (wait for the clock, not a fixed time).
    last_ts = max(r[2] for r in first)
    while now_ms() <= last_ts:
        time.sleep(0.001)
    produce_lines(args, topic, [f"second-{i}".encode() for i in range(10)], ["-p", "0"])
    produce_lines(args, topic, [f"other-{i}".encode() for i in range(5)], ["-p", "1"])
    everything = consume(args, topic, partition=0)
    expect_equal([r[1] for r in everything], list(range(30)), "offsets from beginning")
    second_ts = min(r[2] for r in everything if r[1] >= 20)
    check(second_ts > last_ts, f"second batch stamped {second_ts}, not after {last_ts}")

    expect_equal([r[1] for r in consume(args, topic, 7, partition=0)], list(range(7, 30)), "offsets from offset 7")
    expect_equal([r[1] for r in consume(args, topic, -3, partition=0)], [27, 28, 29], "offsets from -3 (relative to the end)")
    expect_equal(consume(args, topic, "end", partition=0), [], "records from end")
    from_time = consume(args, topic, f"s@{second_ts}", partition=0)
    expect_equal([r[1] for r in from_time], list(range(20, 30)), f"offsets from s@{second_ts}")
    both = consume(args, topic, "beginning")
    expect_equal(sorted((r[0], r[1]) for r in both), [(0, o) for o in range(30)] + [(1, o) for o in range(5)], "both partitions from beginning")
    _, out, _ = run_kcat(args, ["-Q", "-t", f"{topic}:0:{second_ts}", "-t", f"{topic}:1:{now_ms() + 3_600_000}"])
    answers = sorted(line.strip() for line in out.decode().splitlines() if line.strip())
    expect_equal(answers, [f"{topic} [0] offset 20", f"{topic} [1] offset -1"], "kcat -Q (ListOffsets by time)")
    return {"topic": topic}


def scenario_dump(args):
    require(args.topic, "--topic is required")
    return {"topic": args.topic, "records": output(consume(args, args.topic))}


def scenario_sasl(args):
    require(args.admin_token and args.read_only_token, "--admin-token and --read-only-token are required")
    topic = topic_name(args, "sasl")
    admin, ro = ("admin", args.admin_token), ("read-only", args.read_only_token)
    produce_lines(args, topic, [b"k\tby admin"], ["-K", "\\t"], *admin)
    read = consume(args, topic, user=ro[0], password=ro[1])
    expect_equal([(r[3], r[4]) for r in read], [(b"k", b"by admin")], "read-only consume")
    status, _, err = run_kcat(args, ["-P", "-t", topic], b"by read-only\n", *ro, expect_ok=False)
    check(status != 0 and "Topic authorization failed" in err, f"read-only produce: exit {status}, {err[-600:]}")
    status, _, err = run_kcat(args, ["-L"], b"", "admin", "not-the-token", expect_ok=False)
    check(status != 0 and "uthentication" in err, f"a wrong password: exit {status}, {err[-600:]}")
    return {"topic": topic}


SCENARIOS = {
    "metadata": scenario_metadata,
    "produce-keyed": scenario_produce_keyed,
    "produce-varied": scenario_produce_varied,
    "compression-gzip": compression_scenario("gzip"),
    "compression-snappy": compression_scenario("snappy"),
    "compression-lz4": compression_scenario("lz4"),
    "compression-zstd": compression_scenario("zstd"),
    "consume-positions": scenario_consume_positions,
    "dump": scenario_dump,
    "sasl": scenario_sasl,
}

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--topics-needed":
        print(" ".join(f"{t}:{n}" for t, n in topics_needed(sys.argv[2]).items()))
        sys.exit(0)
    main(CLIENT, SCENARIOS)
