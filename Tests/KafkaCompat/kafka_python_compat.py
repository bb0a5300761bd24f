"""The compatibility scenarios with kafka-python 3.x (PyPI; pure Python). Run with --help for the
options; compat_common.py describes the output."""

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

import kafka  # noqa: E402
import kafka.errors as Errors  # noqa: E402
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition  # noqa: E402
from kafka.admin import AlterConfigOp, ConfigResource, ConfigResourceType, NewPartitions  # noqa: E402

CLIENT = f"kafka-python {kafka.__version__}"


def common(args, user=None, password=None):
    if args.debug_log and not logging.getLogger("kafka").handlers:
        handler = logging.FileHandler(args.debug_log)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logging.getLogger("kafka").addHandler(handler)
        logging.getLogger("kafka").setLevel(logging.DEBUG)
    config = {
        "bootstrap_servers": args.bootstrap,
        "client_id": "skiff-compat-kafka-python",
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


def admin_client(args, user=None, password=None):
    return KafkaAdminClient(**common(args, user, password))


def producer(args, user=None, password=None, **extra):
    config = common(args, user, password)
    # acks=all; idempotence (kafka-python 3's default) needs InitProducerId, not among Skiff's APIs yet.
    # The default partitioner is the Java client's murmur2.
    config.update({"acks": "all", "enable_idempotence": False, "linger_ms": 5, "max_request_size": 4 << 20})
    config.update(extra)
    return KafkaProducer(**config)


def consumer(args, user=None, password=None, **extra):
    # No consumer group: explicit assignment only (groups are not in this issue).
    config = common(args, user, password)
    config.update({"group_id": None, "enable_auto_commit": False, "fetch_max_wait_ms": 100})
    config.update(extra)
    return KafkaConsumer(**config)


def create_topics(args, admin, topics):
    """topics: {name: (partitions, configs)}"""
    admin.create_topics(
        {name: {"num_partitions": p, "replication_factor": 1, "configs": configs or {}} for name, (p, configs) in topics.items()},
        timeout_ms=int(args.timeout * 1000),
    )


def produce_all(args, prod, topic, records, partition=None, timestamps=None):
    futures = []
    for i, (key, value, headers) in enumerate(records):
        futures.append(
            prod.send(
                topic,
                key=key,
                value=value,
                headers=headers or None,
                partition=partition,
                timestamp_ms=timestamps[i] if timestamps else None,
            )
        )
    prod.flush(timeout=args.timeout)
    delivered, errors = {}, []
    for record, future in zip(records, futures):
        try:
            md = future.get(timeout=args.timeout)
            delivered[(md.partition, md.offset)] = record
        except Exception as e:  # noqa: BLE001 - the message is what matters
            errors.append(f"record {record[:2]!r:.80}: {e!r}")
    if errors:
        raise Failure("delivery failed: " + "; ".join(errors[:5]))
    expect_equal(len(delivered), len(records), "distinct (partition, offset) of the delivered records")
    return delivered


def read_back(args, cons, topic, starts, expected_count, what="read back"):
    """starts: {partition: offset or "earliest"}; returns {(p, o): (key, value, headers, (type, ts))}."""
    tps = [TopicPartition(topic, p) for p in starts]
    cons.assign(tps)
    for tp in tps:
        if starts[tp.partition] == "earliest":
            cons.seek_to_beginning(tp)
        else:
            cons.seek(tp, starts[tp.partition])
    got = {}
    end = deadline(args)
    while len(got) < expected_count:
        require(time.monotonic() < end, f"{what}: {len(got)} of {expected_count} records arrived within {args.timeout} s")
        for tp, messages in cons.poll(timeout_ms=200).items():
            for m in messages:
                got[(m.partition, m.offset)] = (m.key, m.value, [(k, v) for k, v in (m.headers or [])], (m.timestamp_type, m.timestamp))
    return got


def as_records(read):
    return {pos: (k, v, h) for pos, (k, v, h, _) in read.items()}


def records_output(delivered, read):
    return [record_json(p, o, read[(p, o)][3][1], k, v, h) for (p, o), (k, v, h) in sorted(delivered.items())]


def describe_topic(admin, topic):
    described = admin.describe_topics([topic])
    require(described and described[0]["name"] == topic, f"DescribeTopics (Metadata) of {topic}: {described}")
    return described[0]


# ---------------------------------------------------------------------------------------------


def scenario_metadata(args):
    admin = admin_client(args)
    topic = topic_name(args, "meta")
    create_topics(args, admin, {topic: (3, None)})
    cluster = admin.describe_cluster()
    host, port = args.bootstrap.rsplit(":", 1)
    brokers = {b["broker_id"]: (b["host"], b["port"]) for b in cluster["brokers"]}
    expect_equal(brokers, {args.node_id: (host, int(port))}, "Metadata brokers")
    expect_equal(cluster["controller_id"], args.node_id, "controller id")
    require(topic in admin.list_topics(), f"list_topics does not list {topic}")
    t = describe_topic(admin, topic)
    expect_equal(t["error_code"], 0, "topic error code")
    expect_equal(sorted(p["partition_index"] for p in t["partitions"]), [0, 1, 2], f"partitions of {topic}")
    for p in t["partitions"]:
        expect_equal(p["error_code"], 0, f"error code of partition {p['partition_index']}")
        expect_equal(p["leader_id"], args.node_id, f"leader of partition {p['partition_index']}")
        expect_equal(list(p["replica_nodes"]), [args.node_id], f"replicas of partition {p['partition_index']}")
        expect_equal(list(p["isr_nodes"]), [args.node_id], f"in-sync replicas of partition {p['partition_index']}")
    # The producer's metadata request for an unknown topic creates it.
    auto = topic_name(args, "auto-created")
    prod = producer(args)
    produce_all(args, prod, auto, [(b"k", b"v", [])])
    check(prod.partitions_for(auto), f"no partitions for the auto-created topic {auto}")
    auto_partitions = len(describe_topic(admin, auto)["partitions"])
    return {
        "clusterId": cluster.get("cluster_id"),
        "brokers": [[i, h, p] for i, (h, p) in brokers.items()],
        "topic": topic,
        "autoCreatedPartitions": auto_partitions,
    }


def scenario_produce_keyed(args):
    admin = admin_client(args)
    topics = {topic_name(args, "keyed-3"): 3, topic_name(args, "keyed-10"): 10}
    create_topics(args, admin, {t: (n, None) for t, n in topics.items()})
    prod = producer(args)
    output = {}
    for topic, count in topics.items():
        records = [(k, keyed_value(k), []) for k in KEYED_KEYS]
        delivered = produce_all(args, prod, topic, records)
        for (p, o), (k, _, _) in delivered.items():
            expect_equal(p, kafka_partition(k, count), f"partition of key {k!r} in {topic} ({count} partitions)")
        read = read_back(args, consumer(args), topic, {p: "earliest" for p in range(count)}, len(records))
        compare_records(delivered, as_records(read), f"{topic} read back")
        output[topic] = records_output(delivered, read)
    return {"topics": output}


def scenario_produce_varied(args):
    admin = admin_client(args)
    topic = topic_name(args, "varied")
    create_topics(args, admin, {topic: (3, None)})
    # kafka-python's send() takes (str, bytes) headers only: a null header value cannot be sent.
    records = [(k, v, [(hk, hv) for hk, hv in h if hv is not None]) for k, v, h in varied_records()]
    delivered = produce_all(args, producer(args), topic, records)
    read = read_back(args, consumer(args), topic, {p: "earliest" for p in range(3)}, len(records))
    compare_records(delivered, as_records(read), f"{topic} read back")
    return {"topics": {topic: records_output(delivered, read)}, "adapted": "no null header value (the API has none)"}


def compression_scenario(codec):
    def run(args):
        admin = admin_client(args)
        topic = topic_name(args, f"compressed-{codec}")
        create_topics(args, admin, {topic: (1, None)})
        records = compressible_records()
        prod = producer(args, compression_type=codec, linger_ms=50, batch_size=1 << 20)
        delivered = produce_all(args, prod, topic, records)
        read = read_back(args, consumer(args), topic, {0: "earliest"}, len(records))
        compare_records(delivered, as_records(read), f"{topic} read back")
        return {"codec": codec, "topics": {topic: records_output(delivered, read)}}

    return run


def scenario_consume_positions(args):
    admin = admin_client(args)
    topic = topic_name(args, "positions")
    create_topics(args, admin, {topic: (2, None)})
    base = (now_ms() - 3_600_000) // 1000 * 1000
    prod = producer(args)
    records0 = [(None, f"p0-{i}".encode(), []) for i in range(20)]
    records1 = [(None, f"p1-{i}".encode(), []) for i in range(5)]
    delivered = produce_all(args, prod, topic, records0, partition=0, timestamps=[base + i * 1000 for i in range(20)])
    delivered.update(
        produce_all(args, prod, topic, records1, partition=1, timestamps=[base + 100_000 + i * 1000 for i in range(5)])
    )
    expect_equal(sorted(o for p, o in delivered if p == 0), list(range(20)), "offsets of partition 0")

    cons = consumer(args)
    tp0, tp1 = TopicPartition(topic, 0), TopicPartition(topic, 1)
    expect_equal(cons.beginning_offsets([tp0, tp1]), {tp0: 0, tp1: 0}, "beginning_offsets (ListOffsets earliest)")
    expect_equal(cons.end_offsets([tp0, tp1]), {tp0: 20, tp1: 5}, "end_offsets (ListOffsets latest)")

    read = read_back(args, cons, topic, {0: "earliest", 1: "earliest"}, 25, "from earliest")
    for (p, o), (_, _, _, (ts_type, ts)) in read.items():
        expected_ts = base + o * 1000 if p == 0 else base + 100_000 + o * 1000
        expect_equal(ts, expected_ts, f"timestamp of partition {p} offset {o}")
        expect_equal(ts_type, 0, f"timestamp type (0: create time) of partition {p} offset {o}")
    compare_records(delivered, as_records(read), "from earliest")

    read = read_back(args, consumer(args), topic, {0: 7}, 13, "from offset 7")
    expect_equal(sorted(o for _, o in read), list(range(7, 20)), "offsets read from offset 7")

    found = cons.offsets_for_times({tp0: base + 7500, tp1: base + 100_000 + 2000})
    expect_equal(
        {tp.partition: (v.offset, v.timestamp) if v else None for tp, v in found.items()},
        {0: (8, base + 8000), 1: (2, base + 102_000)},
        "offsets_for_times (offset, timestamp)",
    )
    exact = cons.offsets_for_times({tp0: base + 7000})[tp0]
    expect_equal(exact and exact.offset, 7, "offsets_for_times at a record's exact timestamp")
    beyond = cons.offsets_for_times({tp0: now_ms() + 3_600_000})[tp0]
    expect_equal(beyond, None, "offsets_for_times after the last record (none)")
    if found.get(tp0):
        read = read_back(args, consumer(args), topic, {0: found[tp0].offset}, 20 - found[tp0].offset, "from a timestamp")
        expect_equal(min(o for _, o in read), 8, "first offset read from the timestamp's offset")

    # Latest: the position resolves to the end; then exactly the new record arrives.
    latest = consumer(args)
    latest.assign([tp0])
    latest.seek_to_end(tp0)
    expect_equal(latest.position(tp0, timeout_ms=int(args.timeout * 1000)), 20, "position after seek_to_end")
    check(not any(latest.poll(timeout_ms=300).values()), "records arrived from latest before any new one")
    new = produce_all(args, prod, topic, [(None, b"new", [])], partition=0)
    expect_equal(list(new), [(0, 20)], "the new record's position")
    end = deadline(args)
    got = []
    while not got:
        require(time.monotonic() < end, "from latest: the new record did not arrive")
        got = [m for ms in latest.poll(timeout_ms=200).values() for m in ms]
    expect_equal([(m.offset, m.value) for m in got], [(20, b"new")], "the records read from latest")
    return {"topic": topic}


def topic_configs(admin, topic, config_filter="all"):
    """The topic's configs; a failure is recorded and gives {} (so the steps after it still run)."""
    try:
        result = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter=config_filter)
        return result["topic"][topic]
    except Exception as e:  # noqa: BLE001
        check(False, f"DescribeConfigs of {topic} ({config_filter}): {e!r}")
        return {}


def expect_raises(error_types, what, call):
    try:
        call()
    except error_types:
        return
    except Exception as e:  # noqa: BLE001
        check(False, f"{what}: expected {[t.__name__ for t in error_types]}, got {e!r}")
        return
    check(False, f"{what}: expected {[t.__name__ for t in error_types]}, it succeeded")


def alter(admin, what, resources, incremental):
    """alter_configs, with an exception recorded as a problem (kafka-python first checks every key
    against DescribeConfigs' non-read-only configs)."""
    try:
        return admin.alter_configs(resources, incremental=incremental)
    except Exception as e:  # noqa: BLE001
        check(False, f"{what}: {e!r}")
        return None


def scenario_admin(args):
    admin = admin_client(args)
    topic = topic_name(args, "admin")
    create_topics(args, admin, {topic: (2, {"retention.ms": "3600000", "cleanup.policy": "delete"})})
    expect_raises((Errors.TopicAlreadyExistsError,), f"creating {topic} again", lambda: create_topics(args, admin, {topic: (2, None)}))
    bad = topic_name(args, "bad-config")
    expect_raises(
        (Errors.InvalidConfigurationError,), "creating a topic with retention.ms=soon", lambda: create_topics(args, admin, {bad: (1, {"retention.ms": "soon"})})
    )
    dry = topic_name(args, "validate-only")
    admin.create_topics({dry: {"num_partitions": 1, "replication_factor": 1}}, validate_only=True)
    names = admin.list_topics()
    check(dry not in names, "a validate-only CreateTopics created the topic")
    check(bad not in names, "a CreateTopics with an invalid config created the topic")
    expect_equal(len(describe_topic(admin, topic)["partitions"]), 2, f"partitions of {topic}")

    configs = topic_configs(admin, topic)
    entry = configs.get("retention.ms", {})
    expect_equal(entry.get("value"), "3600000", "retention.ms")
    expect_equal(entry.get("config_source"), "DYNAMIC_TOPIC_CONFIG", "source of retention.ms")
    check(configs.get("segment.bytes", {}).get("config_source") == "DEFAULT_CONFIG", f"segment.bytes is not a default: {configs.get('segment.bytes')}")
    modified = topic_configs(admin, topic, "modified")
    expect_equal(sorted(modified), ["cleanup.policy", "retention.ms"], "the modified configs")

    # IncrementalAlterConfigs (kafka-python picks it when the broker has it), SET and DELETE.
    result = alter(
        admin, "IncrementalAlterConfigs SET",
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": (AlterConfigOp.SET, "7200000")})], True
    )
    expect_equal(result, {"topic": {topic: "OK"}}, "IncrementalAlterConfigs SET result")
    expect_equal(topic_configs(admin, topic).get("retention.ms", {}).get("value"), "7200000", "retention.ms after SET")
    result = alter(
        admin, "IncrementalAlterConfigs DELETE",
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": (AlterConfigOp.DELETE, None)})], True
    )
    expect_equal(result, {"topic": {topic: "OK"}}, "IncrementalAlterConfigs DELETE result")
    entry = topic_configs(admin, topic).get("retention.ms", {})
    expect_equal((entry.get("value"), entry.get("config_source")), ("604800000", "DEFAULT_CONFIG"), "retention.ms after DELETE")
    # AlterConfigs (legacy): replaces the topic's whole set.
    result = alter(
        admin, "AlterConfigs", [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "1000000"})], False
    )
    expect_equal(result, {"topic": {topic: "OK"}}, "AlterConfigs result")
    expect_equal(topic_configs(admin, topic).get("retention.ms", {}).get("value"), "1000000", "retention.ms after AlterConfigs")
    result = alter(
        admin, "IncrementalAlterConfigs SET retention.ms=soon",
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "soon"})], True
    )
    check("InvalidConfiguration" in str(result), f"SET retention.ms=soon: expected InvalidConfigurationError, got {result}")

    admin.create_partitions({topic: NewPartitions(total_count=4)})
    expect_equal(len(describe_topic(admin, topic)["partitions"]), 4, "partitions after CreatePartitions")

    produce_all(args, producer(args), topic, [(None, f"r{i}".encode(), []) for i in range(10)], partition=0)
    tp = TopicPartition(topic, 0)
    deleted = admin.delete_records({tp: 5})
    expect_equal(deleted.get(tp, {}).get("low_watermark"), 5, f"DeleteRecords result {deleted}")
    cons = consumer(args)
    expect_equal((cons.beginning_offsets([tp])[tp], cons.end_offsets([tp])[tp]), (5, 10), "watermarks after DeleteRecords")

    log_dirs = admin.describe_log_dirs()
    expect_equal([d["broker"] for d in log_dirs], [args.node_id], "DescribeLogDirs brokers")
    partitions = {
        (t["name"], p["partition_index"])
        for d in log_dirs
        for r in d["log_dirs"]
        for t in r.get("topics", [])
        for p in t.get("partitions", [])
    }
    check((topic, 0) in partitions, f"DescribeLogDirs does not list {topic}-0: {log_dirs!r:.500}")

    try:
        broker_configs = admin.describe_configs(
            [ConfigResource(ConfigResourceType.BROKER, str(args.node_id))], config_filter="all"
        )["broker"][str(args.node_id)]
    except Exception as e:  # noqa: BLE001
        check(False, f"DescribeConfigs BROKER {args.node_id}: {e!r}")
        broker_configs = {}

    admin.delete_topics([topic], timeout_ms=int(args.timeout * 1000))
    check(topic not in admin.list_topics(), f"{topic} still listed after DeleteTopics")
    expect_raises(
        (Errors.UnknownTopicOrPartitionError,), f"deleting {topic} again", lambda: admin.delete_topics([topic])
    )
    return {"topic": topic, "brokerConfigs": len(broker_configs)}


def scenario_dump(args):
    require(args.topic, "--topic is required")
    cons = consumer(args)
    partitions = cons.partitions_for_topic(args.topic)
    require(partitions, f"no partitions for topic {args.topic}")
    tps = [TopicPartition(args.topic, p) for p in sorted(partitions)]
    low, high = cons.beginning_offsets(tps), cons.end_offsets(tps)
    total = sum(high[tp] - low[tp] for tp in tps)
    read = read_back(args, cons, args.topic, {tp.partition: "earliest" for tp in tps}, total) if total else {}
    return {"topic": args.topic, "records": [record_json(p, o, ts[1], k, v, h) for (p, o), (k, v, h, ts) in sorted(read.items())]}


def scenario_sasl(args):
    require(args.admin_token and args.read_only_token, "--admin-token and --read-only-token are required")
    topic = topic_name(args, "sasl")
    admin = admin_client(args, "admin", args.admin_token)
    create_topics(args, admin, {topic: (1, None)})
    delivered = produce_all(args, producer(args, "admin", args.admin_token), topic, [(b"k", b"by admin", [])])
    read = read_back(args, consumer(args, "read-only", args.read_only_token), topic, {0: "earliest"}, 1, "read-only consume")
    compare_records(delivered, as_records(read), "read-only consume")
    ro_admin = admin_client(args, "read-only", args.read_only_token)
    check(topic in ro_admin.list_topics(), "read-only Metadata does not list the topic")
    ro_prod = producer(args, "read-only", args.read_only_token, retries=0)
    expect_raises((Errors.TopicAuthorizationFailedError,), "read-only produce", lambda: ro_prod.send(topic, b"x").get(timeout=args.timeout))
    expect_raises(
        (Errors.TopicAuthorizationFailedError, Errors.ClusterAuthorizationFailedError),
        "read-only CreateTopics",
        lambda: create_topics(args, ro_admin, {topic_name(args, "ro"): (1, None)}),
    )
    expect_raises((Errors.TopicAuthorizationFailedError,), "read-only DeleteTopics", lambda: ro_admin.delete_topics([topic]))
    result = alter(
        ro_admin, "read-only IncrementalAlterConfigs",
        [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": (AlterConfigOp.SET, "1000")})], True
    )
    check("AuthorizationFailed" in str(result), f"read-only IncrementalAlterConfigs: expected an authorization error, got {result}")
    expect_raises(
        (Errors.KafkaError,),  # SaslAuthenticationFailedError, or the connection error it ends in
        "a wrong password",
        lambda: admin_client(args, "admin", "not-the-token").list_topics(),
    )
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
    "admin": scenario_admin,
    "dump": scenario_dump,
    "sasl": scenario_sasl,
}

if __name__ == "__main__":
    main(CLIENT, SCENARIOS)
