#!/usr/bin/env python3
"""Writes the compressed record batch fixtures of CompressedBatchFixtureTests with two real clients.

  kafka-python-<codec>.batch  kafka-python's own batch builder (kafka.record.default_records.
                              DefaultRecordBatchBuilder), which compresses with kafka.codec: gzip,
                              snappy in the xerial framing, lz4 frames, zstd.
  librdkafka-<codec>.batch    what confluent-kafka (librdkafka) sends in a Produce request with
                              compression.type=<codec>, captured by a TCP proxy in front of a Kafka
                              compatible broker (the broker only answers; its bytes are not used).

Every fixture holds the same records (RECORDS below; CompressedBatchFixtureTests.expected is the
same list). Usage, from this folder, with a python that has kafka-python, confluent-kafka,
python-snappy, lz4 and zstandard, and a broker binary that takes Tansu's options:

    python capture.py --tansu /path/to/tansu

Only 127.0.0.1 is used: the broker listens on one port, the proxy on the next and the broker
advertises the proxy, so the client's Produce requests pass through it.
"""
import argparse
import socket
import struct
import subprocess
import threading
import time

RECORDS = []
for i in range(20):
    key = None if i == 3 else b"key-%02d" % i
    value = None if i == 7 else b'{"id": %d, "text": "the quick brown fox jumps over the lazy dog"}' % i
    headers = [("trace", b"trace-%02d" % i)]
    if i % 5 == 0:
        headers.append(("empty", b""))
    if i == 10:
        headers.append(("null", None))
    RECORDS.append((key, value, headers, 1_700_000_000_000 + 10 * i))

CODECS = {"gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}


def kafka_python_batches():
    from kafka.record.default_records import DefaultRecordBatchBuilder

    for name, code in CODECS.items():
        builder = DefaultRecordBatchBuilder(
            magic=2, compression_type=code, is_transactional=False, producer_id=-1, producer_epoch=-1,
            base_sequence=-1, batch_size=1 << 20)
        for offset, (key, value, headers, timestamp) in enumerate(RECORDS):
            builder.append(offset, timestamp=timestamp, key=key, value=value, headers=headers)
        batch = bytes(builder.build())
        assert batch[22] & 0x07 == code, "kafka-python sent %s uncompressed" % name
        open("kafka-python-%s.batch" % name, "wb").write(batch)


# Minimal reader of the Produce requests that pass through the proxy.
class Reader:
    def __init__(self, data, flexible):
        self.data, self.pos, self.flexible = data, 0, flexible

    def take(self, n):
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int16(self): return struct.unpack(">h", self.take(2))[0]
    def int32(self): return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        shift = result = 0
        while True:
            b = self.take(1)[0]
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def string(self):
        n = self.uvarint() - 1 if self.flexible else self.int16()
        return None if n < 0 else self.take(n)

    def bytes_(self):
        n = self.uvarint() - 1 if self.flexible else self.int32()
        return None if n < 0 else self.take(n)

    def array_length(self):
        return self.uvarint() - 1 if self.flexible else self.int32()

    def tags(self):
        if self.flexible:
            for _ in range(self.uvarint()):
                self.uvarint()
                self.take(self.uvarint())


def produce_records(frame):
    """The record sets of a Produce request frame (without its length), or []."""
    api_key, version = struct.unpack(">hh", frame[:4])
    if api_key != 0:
        return []
    flexible = version >= 9
    r = Reader(frame, False)
    r.take(8)  # api key, version, correlation id
    r.string()  # client id: always a classic nullable string
    r.flexible = flexible
    r.tags()
    r.string()  # transactional id
    r.int16()  # acks
    r.int32()  # timeout
    found = []
    for _ in range(r.array_length()):
        if version >= 13:
            r.take(16)  # topic id
        else:
            r.string()
        for _ in range(r.array_length()):
            r.int32()  # partition
            records = r.bytes_()
            if records:
                found.append(records)
            r.tags()
        r.tags()
    return found


def proxy(listen_port, target_port, captured, stop):
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen()
    server.settimeout(0.2)

    def pump(source, sink, inspect):
        buffer = b""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
                if inspect:
                    buffer += data
                    while len(buffer) >= 4 and len(buffer) >= 4 + struct.unpack(">i", buffer[:4])[0]:
                        size = struct.unpack(">i", buffer[:4])[0]
                        captured.extend(produce_records(buffer[4:4 + size]))
                        buffer = buffer[4 + size:]
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    while not stop.is_set():
        try:
            client, _ = server.accept()
        except socket.timeout:
            continue
        upstream = socket.create_connection(("127.0.0.1", target_port))
        threading.Thread(target=pump, args=(client, upstream, True), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, False), daemon=True).start()
    server.close()


def librdkafka_batches(tansu, port):
    from confluent_kafka import Producer, version, libversion

    broker = subprocess.Popen(
        [tansu, "broker", "--storage-engine", "memory://tansu/",
         "--listener-url", "tcp://127.0.0.1:%d" % port,
         "--advertised-listener-url", "tcp://127.0.0.1:%d" % (port + 1)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    captured, stop = [], threading.Event()
    thread = threading.Thread(target=proxy, args=(port + 1, port, captured, stop), daemon=True)
    thread.start()
    try:
        time.sleep(1.5)
        subprocess.run([tansu, "topic", "create", "fixtures", "--partitions", "1",
                        "--broker", "tcp://127.0.0.1:%d" % port], check=True)
        print("confluent-kafka %s, librdkafka %s" % (version()[0], libversion()[0]))
        for name, code in CODECS.items():
            captured.clear()
            producer = Producer({"bootstrap.servers": "127.0.0.1:%d" % (port + 1), "compression.type": name,
                                 "linger.ms": 500, "acks": "all"})
            for key, value, headers, timestamp in RECORDS:
                producer.produce("fixtures", key=key, value=value, headers=headers, timestamp=timestamp,
                                 partition=0)
            assert producer.flush(15) == 0, "librdkafka could not deliver with %s" % name
            assert len(captured) == 1, "expected one batch with %s, captured %d" % (name, len(captured))
            batch = captured[0]
            assert batch[22] & 0x07 == code, "librdkafka sent %s uncompressed" % name
            open("librdkafka-%s.batch" % name, "wb").write(batch)
    finally:
        stop.set()
        broker.terminate()
        broker.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tansu", required=True)
    parser.add_argument("--port", type=int, default=19092)
    arguments = parser.parse_args()
    kafka_python_batches()
    librdkafka_batches(arguments.tansu, arguments.port)
