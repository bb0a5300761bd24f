#!/usr/bin/env bash
# Regenerates the compressed fixtures of KafkaCompressionTests with software Skiff did not write:
# the gzip, lz4 and zstd command-line tools, Python's zlib, and kafka-python's kafka.codec (with
# python-snappy, lz4, zstandard and xxhash installed). Run from this folder with a python3 that has
# those packages: PYTHON=/path/to/venv/bin/python ./make-fixtures.sh
# The plain text is the one FixtureTests.plain builds: 1,500 numbered lines (about 85 KB), so
# every format needs several blocks (xerial's 32 KiB, LZ4's 64 KiB).
set -euo pipefail
cd "$(dirname "$0")"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" -c '
import sys
sys.stdout.write("".join("record %04d: the quick brown fox jumps over the lazy dog\n" % i for i in range(1500)))
' >"$work/plain"
head -c 40000 "$work/plain" >"$work/first"
tail -c +40001 "$work/plain" >"$work/second"

gzip -9 -n -c "$work/plain" >plain.gzip-cli.gz
{ gzip -n -c "$work/first"; gzip -n -c "$work/second"; } >plain.two-members.gz
lz4 -q -c "$work/plain" >plain.lz4-cli.lz4
lz4 -q -c -BD -BX --content-size "$work/plain" >plain.lz4-cli-dependent-checksums-size.lz4
zstd -q -c "$work/plain" >plain.zstd-cli.zst
zstd -q -c <"$work/plain" >plain.zstd-cli-stream.zst    # from a pipe: no content size in the frame
{ zstd -q -c "$work/first"; zstd -q -c <"$work/second"; } >plain.zstd-cli-two-frames.zst

"$python" - "$work/plain" <<'PY'
import sys, zlib
from kafka import codec
import snappy
plain = open(sys.argv[1], "rb").read()
def write(name, data):
    open(name, "wb").write(data)
gz = zlib.compressobj(6, zlib.DEFLATED, 31)
write("plain.python-zlib.gz", gz.compress(plain) + gz.flush())
write("plain.kafka-python-xerial.snappy", codec.snappy_encode(plain))
write("plain.python-snappy-raw.snappy", snappy.compress(plain))
write("plain.kafka-python.lz4", codec.lz4_encode(plain))
write("plain.kafka-python-old-kafka.lz4", codec.lz4_encode_old_kafka(plain))
write("plain.kafka-python.zst", codec.zstd_encode(plain))
PY
ls -l plain.*
