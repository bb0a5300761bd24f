"""The compatibility scenarios with aiokafka (PyPI; asyncio). Run with --help for the options;
compat_common.py describes the output."""

import asyncio
import logging
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compat_common import (  # noqa: E402
    KEYED_KEYS,
    Failure,
    check,
    compare_records,
    compressible_records,
    deadline,
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

import aiokafka  # noqa: E402
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic, RecordsToDelete  # noqa: E402
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType  # noqa: E402
from aiokafka.errors import KafkaError  # noqa: E402

CLIENT = f"aiokafka {aiokafka.__version__}"

# Kafka's error codes the scenarios expect.
TOPIC_ALREADY_EXISTS, INVALID_CONFIG, UNKNOWN_TOPIC_OR_PARTITION = 36, 40, 3
TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED = 29, 31


def common(args, user=None, password=None):
    if args.debug_log and not logging.getLogger("aiokafka").handlers:
        handler = logging.FileHandler(args.debug_log)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logging.getLogger("aiokafka").addHandler(handler)
        logging.getLogger("aiokafka").setLevel(logging.DEBUG)
    config = {
        "bootstrap_servers": args.bootstrap,
        "client_id": "skiff-compat-aiokafka",
        "request_timeout_ms": int(args.timeout * 1000),
    }
    if user is not None:
        config.update(
            {
                "security_protocol": "SASL_PLAINTEXT",
                "sasl_mechanism": "PLAIN",
                "sasl_plain_username": user,
                "sasl_plain_password": password,
            }
        )
    return config


async def admin_client(args, user=None, password=None):
    admin = AIOKafkaAdminClient(**common(args, user, password))
    await admin.start()
    return admin


async def producer(args, user=None, password=None, **extra):
    # acks=all, no idempotence (InitProducerId is not among Skiff's APIs yet); aiokafka's default
    # partitioner is the Java client's murmur2.
    config = common(args, user, password)
    config.update({"acks": "all", "enable_idempotence": False, "linger_ms": 5, "max_request_size": 4 << 20})
    config.update(extra)
    prod = AIOKafkaProducer(**config)
    await prod.start()
    return prod


async def consumer(args, user=None, password=None, **extra):
    # No consumer group: explicit assignment only (groups are not in this issue).
    config = common(args, user, password)
    config.update({"group_id": None, "enable_auto_commit": False, "fetch_max_wait_ms": 100})
    config.update(extra)
    cons = AIOKafkaConsumer(**config)
    await cons.start()
    return cons


def topic_errors(response):
    return {t["topic"]: t["error_code"] for t in response.to_object()["topic_errors"]}


async def create_topics(args, admin, topics, validate_only=False):
    """topics: {name: (partitions, configs)} -> {name: error code}"""
    response = await admin.create_topics(
        [NewTopic(name, p, 1, topic_configs=configs or {}) for name, (p, configs) in topics.items()],
        timeout_ms=int(args.timeout * 1000),
        validate_only=validate_only,
    )
    return topic_errors(response)


async def create_ok(args, admin, topics):
    errors = await create_topics(args, admin, topics)
    require(all(e == 0 for e in errors.values()), f"CreateTopics: error codes {errors}")


async def produce_all(args, prod, topic, records, partition=None, timestamps=None):
    futures = []
    for i, (key, value, headers) in enumerate(records):
        futures.append(
            await prod.send(
                topic,
                key=key,
                value=value,
                headers=headers or None,
                partition=partition,
                timestamp_ms=timestamps[i] if timestamps else None,
            )
        )
    await prod.flush()
    delivered, errors = {}, []
    for record, future in zip(records, futures):
        try:
            md = await asyncio.wait_for(future, args.timeout)
            delivered[(md.partition, md.offset)] = record
        except Exception as e:  # noqa: BLE001
            errors.append(f"record {record[:2]!r:.80}: {e!r}")
    if errors:
        raise Failure("delivery failed: " + "; ".join(errors[:5]))
    expect_equal(len(delivered), len(records), "distinct (partition, offset) of the delivered records")
    return delivered


async def read_back(args, cons, topic, starts, expected_count, what="read back"):
    tps = [TopicPartition(topic, p) for p in starts]
    cons.assign(tps)
    for tp in tps:
        if starts[tp.partition] == "earliest":
            await cons.seek_to_beginning(tp)
        else:
            cons.seek(tp, starts[tp.partition])
    got = {}
    end = deadline(args)
    while len(got) < expected_count:
        require(time.monotonic() < end, f"{what}: {len(got)} of {expected_count} records arrived within {args.timeout} s")
        for tp, messages in (await cons.getmany(timeout_ms=200)).items():
            for m in messages:
                got[(m.partition, m.offset)] = (m.key, m.value, [(k, v) for k, v in (m.headers or [])], (m.timestamp_type, m.timestamp))
    return got


def as_records(read):
    return {pos: (k, v, h) for pos, (k, v, h, _) in read.items()}


def records_output(delivered, read):
    return [record_json(p, o, read[(p, o)][3][1], k, v, h) for (p, o), (k, v, h) in sorted(delivered.items())]


async def describe_topic(admin, topic):
    described = await admin.describe_topics([topic])
    require(described and described[0]["topic"] == topic, f"Metadata of {topic}: {described}")
    return described[0]


def sync(coroutine_function):
    return lambda args: asyncio.run(coroutine_function(args))


# ---------------------------------------------------------------------------------------------


async def scenario_metadata(args):
    admin = await admin_client(args)
    topic = topic_name(args, "meta")
    await create_ok(args, admin, {topic: (3, None)})
    cluster = await admin.describe_cluster()
    host, port = args.bootstrap.rsplit(":", 1)
    brokers = {b["node_id"]: (b["host"], b["port"]) for b in cluster["brokers"]}
    expect_equal(brokers, {args.node_id: (host, int(port))}, "Metadata brokers")
    expect_equal(cluster["controller_id"], args.node_id, "controller id")
    require(topic in await admin.list_topics(), f"list_topics does not list {topic}")
    t = await describe_topic(admin, topic)
    expect_equal(t["error_code"], 0, "topic error code")
    expect_equal(sorted(p["partition"] for p in t["partitions"]), [0, 1, 2], f"partitions of {topic}")
    for p in t["partitions"]:
        expect_equal(p["error_code"], 0, f"error code of partition {p['partition']}")
        expect_equal(p["leader"], args.node_id, f"leader of partition {p['partition']}")
        expect_equal(list(p["replicas"]), [args.node_id], f"replicas of partition {p['partition']}")
        expect_equal(list(p["isr"]), [args.node_id], f"in-sync replicas of partition {p['partition']}")
    auto = topic_name(args, "auto-created")
    prod = await producer(args)
    await produce_all(args, prod, auto, [(b"k", b"v", [])])
    auto_partitions = len((await describe_topic(admin, auto))["partitions"])
    await prod.stop()
    await admin.close()
    return {
        "clusterId": cluster.get("cluster_id"),
        "brokers": [[i, h, p] for i, (h, p) in brokers.items()],
        "topic": topic,
        "autoCreatedPartitions": auto_partitions,
    }


async def scenario_produce_keyed(args):
    admin = await admin_client(args)
    topics = {topic_name(args, "keyed-3"): 3, topic_name(args, "keyed-10"): 10}
    await create_ok(args, admin, {t: (n, None) for t, n in topics.items()})
    prod = await producer(args)
    output = {}
    for topic, count in topics.items():
        records = [(k, keyed_value(k), []) for k in KEYED_KEYS]
        delivered = await produce_all(args, prod, topic, records)
        for (p, o), (k, _, _) in delivered.items():
            expect_equal(p, kafka_partition(k, count), f"partition of key {k!r} in {topic} ({count} partitions)")
        cons = await consumer(args)
        read = await read_back(args, cons, topic, {p: "earliest" for p in range(count)}, len(records))
        await cons.stop()
        compare_records(delivered, as_records(read), f"{topic} read back")
        output[topic] = records_output(delivered, read)
    await prod.stop()
    return {"topics": output}


async def scenario_produce_varied(args):
    admin = await admin_client(args)
    topic = topic_name(args, "varied")
    await create_ok(args, admin, {topic: (3, None)})
    # aiokafka's send() takes (str, bytes) headers; a null header value cannot be sent.
    records = [(k, v, [(hk, hv) for hk, hv in h if hv is not None]) for k, v, h in varied_records()]
    prod = await producer(args)
    delivered = await produce_all(args, prod, topic, records)
    cons = await consumer(args)
    read = await read_back(args, cons, topic, {p: "earliest" for p in range(3)}, len(records))
    compare_records(delivered, as_records(read), f"{topic} read back")
    await prod.stop()
    await cons.stop()
    return {"topics": {topic: records_output(delivered, read)}, "adapted": "no null header value"}


def compression_scenario(codec):
    async def run(args):
        admin = await admin_client(args)
        topic = topic_name(args, f"compressed-{codec}")
        await create_ok(args, admin, {topic: (1, None)})
        records = compressible_records()
        prod = await producer(args, compression_type=codec, linger_ms=50, max_batch_size=1 << 20)
        delivered = await produce_all(args, prod, topic, records)
        cons = await consumer(args)
        read = await read_back(args, cons, topic, {0: "earliest"}, len(records))
        compare_records(delivered, as_records(read), f"{topic} read back")
        await prod.stop()
        await cons.stop()
        return {"codec": codec, "topics": {topic: records_output(delivered, read)}}

    return sync(run)


async def scenario_consume_positions(args):
    admin = await admin_client(args)
    topic = topic_name(args, "positions")
    await create_ok(args, admin, {topic: (2, None)})
    base = (now_ms() - 3_600_000) // 1000 * 1000
    prod = await producer(args)
    records0 = [(None, f"p0-{i}".encode(), []) for i in range(20)]
    records1 = [(None, f"p1-{i}".encode(), []) for i in range(5)]
    delivered = await produce_all(args, prod, topic, records0, partition=0, timestamps=[base + i * 1000 for i in range(20)])
    delivered.update(
        await produce_all(args, prod, topic, records1, partition=1, timestamps=[base + 100_000 + i * 1000 for i in range(5)])
    )
    expect_equal(sorted(o for p, o in delivered if p == 0), list(range(20)), "offsets of partition 0")

    cons = await consumer(args)
    tp0, tp1 = TopicPartition(topic, 0), TopicPartition(topic, 1)
    expect_equal(await cons.beginning_offsets([tp0, tp1]), {tp0: 0, tp1: 0}, "beginning_offsets (ListOffsets earliest)")
    expect_equal(await cons.end_offsets([tp0, tp1]), {tp0: 20, tp1: 5}, "end_offsets (ListOffsets latest)")
    read = await read_back(args, cons, topic, {0: "earliest", 1: "earliest"}, 25, "from earliest")
    for (p, o), (_, _, _, (ts_type, ts)) in read.items():
        expected_ts = base + o * 1000 if p == 0 else base + 100_000 + o * 1000
        expect_equal(ts, expected_ts, f"timestamp of partition {p} offset {o}")
        expect_equal(ts_type, 0, f"timestamp type (0: create time) of partition {p} offset {o}")
    compare_records(delivered, as_records(read), "from earliest")

    cons2 = await consumer(args)
    read = await read_back(args, cons2, topic, {0: 7}, 13, "from offset 7")
    expect_equal(sorted(o for _, o in read), list(range(7, 20)), "offsets read from offset 7")

    found = await cons.offsets_for_times({tp0: base + 7500, tp1: base + 100_000 + 2000})
    expect_equal(
        {tp.partition: (v.offset, v.timestamp) if v else None for tp, v in found.items()},
        {0: (8, base + 8000), 1: (2, base + 102_000)},
        "offsets_for_times (offset, timestamp)",
    )
    exact = (await cons.offsets_for_times({tp0: base + 7000}))[tp0]
    expect_equal(exact and exact.offset, 7, "offsets_for_times at a record's exact timestamp")
    beyond = (await cons.offsets_for_times({tp0: now_ms() + 3_600_000}))[tp0]
    expect_equal(beyond, None, "offsets_for_times after the last record (none)")
    if found.get(tp0):
        cons3 = await consumer(args)
        read = await read_back(args, cons3, topic, {0: found[tp0].offset}, 20 - found[tp0].offset, "from a timestamp")
        expect_equal(min(o for _, o in read), 8, "first offset read from the timestamp's offset")
        await cons3.stop()

    latest = await consumer(args)
    latest.assign([tp0])
    await latest.seek_to_end(tp0)
    expect_equal(await latest.position(tp0), 20, "position after seek_to_end")
    early = await latest.getmany(timeout_ms=300)
    check(not any(early.values()), "records arrived from latest before any new one")
    new = await produce_all(args, prod, topic, [(None, b"new", [])], partition=0)
    expect_equal(list(new), [(0, 20)], "the new record's position")
    end = deadline(args)
    got = []
    while not got:
        require(time.monotonic() < end, "from latest: the new record did not arrive")
        got = [m for ms in (await latest.getmany(timeout_ms=200)).values() for m in ms]
    expect_equal([(m.offset, m.value) for m in got], [(20, b"new")], "the records read from latest")
    for c in (cons, cons2, latest, prod):
        await c.stop()
    await admin.close()
    return {"topic": topic}


async def topic_configs(admin, topic):
    """{name: (value, source or is_default, read_only)}, and the resource's error code."""
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    except KafkaError as e:
        check(False, f"DescribeConfigs of {topic}: {e!r}")
        return {}, None
    resource = responses[0].to_object()["resources"][0]
    configs = {}
    for entry in resource["config_entries"]:
        source = entry.get("config_source", entry.get("is_default"))
        configs[entry["config_names"]] = (entry["config_value"], source, entry["read_only"])
    return configs, resource["error_code"]


async def alter_topic(admin, topic, configs):
    responses = await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=configs)])
    return [r["error_code"] for response in responses for r in response.to_object()["resources"]]


async def scenario_admin(args):
    admin = await admin_client(args)
    topic = topic_name(args, "admin")
    await create_ok(args, admin, {topic: (2, {"retention.ms": "3600000", "cleanup.policy": "delete"})})
    expect_equal(await create_topics(args, admin, {topic: (2, None)}), {topic: TOPIC_ALREADY_EXISTS}, f"creating {topic} again")
    bad = topic_name(args, "bad-config")
    expect_equal(await create_topics(args, admin, {bad: (1, {"retention.ms": "soon"})}), {bad: INVALID_CONFIG}, "retention.ms=soon")
    dry = topic_name(args, "validate-only")
    expect_equal(await create_topics(args, admin, {dry: (1, None)}, validate_only=True), {dry: 0}, "validate-only CreateTopics")
    names = await admin.list_topics()
    check(dry not in names, "a validate-only CreateTopics created the topic")
    check(bad not in names, "a CreateTopics with an invalid config created the topic")

    configs, error = await topic_configs(admin, topic)
    expect_equal(error, 0, "DescribeConfigs error code")
    # DescribeConfigs v1+ (aiokafka sends v1 or v2): config_source 1 = DYNAMIC_TOPIC_CONFIG, 5 = DEFAULT_CONFIG.
    expect_equal(configs.get("retention.ms", (None,))[:2], ("3600000", 1), "retention.ms (value, source)")
    expect_equal(configs.get("segment.bytes", (None, None))[1], 5, "source of segment.bytes (5: default)")
    check(not configs.get("retention.ms", (0, 0, True))[2], "retention.ms is reported read-only")

    # AlterConfigs (aiokafka has only the legacy, whole-set API).
    expect_equal(await alter_topic(admin, topic, {"retention.ms": "7200000"}), [0], "AlterConfigs error codes")
    configs, _ = await topic_configs(admin, topic)
    expect_equal(configs.get("retention.ms", (None,))[0], "7200000", "retention.ms after AlterConfigs")
    expect_equal(configs.get("cleanup.policy", (None, None))[1], 5, "cleanup.policy's source after AlterConfigs left it out")
    expect_equal(await alter_topic(admin, topic, {"retention.ms": "soon"}), [INVALID_CONFIG], "AlterConfigs retention.ms=soon")

    response = await admin.create_partitions({topic: NewPartitions(total_count=4)})
    expect_equal([e["error_code"] for e in response.to_object()["topic_errors"]], [0], "CreatePartitions error codes")
    expect_equal(len((await describe_topic(admin, topic))["partitions"]), 4, "partitions after CreatePartitions")

    prod = await producer(args)
    await produce_all(args, prod, topic, [(None, f"r{i}".encode(), []) for i in range(10)], partition=0)
    await prod.stop()
    tp = TopicPartition(topic, 0)
    deleted = await admin.delete_records({tp: RecordsToDelete(before_offset=5)})
    expect_equal(deleted, {tp: 5}, "DeleteRecords low watermarks")
    cons = await consumer(args)
    expect_equal(((await cons.beginning_offsets([tp]))[tp], (await cons.end_offsets([tp]))[tp]), (5, 10), "watermarks after DeleteRecords")
    await cons.stop()

    cluster = await admin.describe_cluster()
    expect_equal([b["node_id"] for b in cluster["brokers"]], [args.node_id], "describe_cluster brokers")
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, str(args.node_id))])
        broker = responses[0].to_object()["resources"][0]
        expect_equal(broker["error_code"], 0, f"DescribeConfigs BROKER {args.node_id}: {broker.get('error_message')}")
    except KafkaError as e:
        check(False, f"DescribeConfigs BROKER {args.node_id}: {e!r}")
        broker = {"config_entries": []}

    response = await admin.delete_topics([topic], timeout_ms=int(args.timeout * 1000))
    codes = [e["error_code"] for e in response.to_object()["topic_error_codes"]]
    expect_equal(codes, [0], "DeleteTopics error codes")
    check(topic not in await admin.list_topics(), f"{topic} still listed after DeleteTopics")
    response = await admin.delete_topics([topic])
    codes = [e["error_code"] for e in response.to_object()["topic_error_codes"]]
    expect_equal(codes, [UNKNOWN_TOPIC_OR_PARTITION], f"deleting {topic} again")
    await admin.close()
    return {"topic": topic, "brokerConfigs": len(broker["config_entries"])}


async def scenario_dump(args):
    require(args.topic, "--topic is required")
    cons = await consumer(args)
    partitions = cons.partitions_for_topic(args.topic)
    if not partitions:
        await cons._client.force_metadata_update()  # noqa: SLF001 - aiokafka fetches metadata lazily
        partitions = cons.partitions_for_topic(args.topic)
    require(partitions, f"no partitions for topic {args.topic}")
    tps = [TopicPartition(args.topic, p) for p in sorted(partitions)]
    low, high = await cons.beginning_offsets(tps), await cons.end_offsets(tps)
    total = sum(high[tp] - low[tp] for tp in tps)
    read = await read_back(args, cons, args.topic, {tp.partition: "earliest" for tp in tps}, total) if total else {}
    await cons.stop()
    return {"topic": args.topic, "records": [record_json(p, o, ts[1], k, v, h) for (p, o), (k, v, h, ts) in sorted(read.items())]}


async def scenario_sasl(args):
    require(args.admin_token and args.read_only_token, "--admin-token and --read-only-token are required")
    topic = topic_name(args, "sasl")
    admin = await admin_client(args, "admin", args.admin_token)
    await create_ok(args, admin, {topic: (1, None)})
    prod = await producer(args, "admin", args.admin_token)
    delivered = await produce_all(args, prod, topic, [(b"k", b"by admin", [])])
    cons = await consumer(args, "read-only", args.read_only_token)
    read = await read_back(args, cons, topic, {0: "earliest"}, 1, "read-only consume")
    compare_records(delivered, as_records(read), "read-only consume")
    ro_admin = await admin_client(args, "read-only", args.read_only_token)
    check(topic in await ro_admin.list_topics(), "read-only Metadata does not list the topic")
    ro_prod = await producer(args, "read-only", args.read_only_token, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(ro_prod.send_and_wait(topic, b"by read-only"), args.timeout)
        check(False, "read-only produce was acknowledged")
    except KafkaError as e:
        check(getattr(e, "errno", None) == TOPIC_AUTHORIZATION_FAILED, f"read-only produce: expected TopicAuthorizationFailedError, got {e!r}")
    ro = topic_name(args, "ro")
    errors = await create_topics(args, ro_admin, {ro: (1, None)})
    check(errors.get(ro) in (TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED), f"read-only CreateTopics: error codes {errors}")
    response = await ro_admin.delete_topics([topic])
    codes = [e["error_code"] for e in response.to_object()["topic_error_codes"]]
    expect_equal(codes, [TOPIC_AUTHORIZATION_FAILED], "read-only DeleteTopics error codes")
    codes = await alter_topic(ro_admin, topic, {"retention.ms": "1000"})
    check(codes and codes[0] in (TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED), f"read-only AlterConfigs: error codes {codes}")
    try:
        wrong = await admin_client(args, "admin", "not-the-token")
        await wrong.list_topics()
        check(False, "Metadata with a wrong password succeeded")
    except KafkaError:
        pass
    for c in (cons, prod, ro_prod):
        await c.stop()
    return {"topic": topic}


SCENARIOS = {
    "metadata": sync(scenario_metadata),
    "produce-keyed": sync(scenario_produce_keyed),
    "produce-varied": sync(scenario_produce_varied),
    "compression-gzip": compression_scenario("gzip"),
    "compression-snappy": compression_scenario("snappy"),
    "compression-lz4": compression_scenario("lz4"),
    "compression-zstd": compression_scenario("zstd"),
    "consume-positions": sync(scenario_consume_positions),
    "admin": sync(scenario_admin),
    "dump": sync(scenario_dump),
    "sasl": sync(scenario_sasl),
}

if __name__ == "__main__":
    main(CLIENT, SCENARIOS)
