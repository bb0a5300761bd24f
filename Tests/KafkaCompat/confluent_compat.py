"""The compatibility scenarios with confluent-kafka (PyPI; librdkafka bundled in its wheel).
Run with --help for the options; compat_common.py describes the output."""

import logging
import warnings
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compat_common import (  # noqa: E402
    KEYED_KEYS,
    Failure,
    check,
    require,
    compare_records,
    compressible_records,
    deadline,
    expect_equal,
    kafka_partition,
    keyed_value,
    main,
    now_ms,
    record_json,
    topic_name,
    varied_records,
)

import confluent_kafka  # noqa: E402
from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, Consumer, KafkaError, KafkaException, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import (  # noqa: E402
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ConfigSource,
    NewPartitions,
    NewTopic,
    ResourceType,
)

warnings.filterwarnings("ignore", category=DeprecationWarning)  # alter_configs is tested on purpose

CLIENT = f"confluent-kafka {confluent_kafka.__version__} (librdkafka {confluent_kafka.libversion()[0]})"

_logger = None


def base_config(args, user=None, password=None):
    global _logger
    config = {"bootstrap.servers": args.bootstrap, "client.id": "skiff-compat-confluent"}
    if user is not None:
        config.update(
            {
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanism": "PLAIN",
                "sasl.username": user,
                "sasl.password": password,
            }
        )
    if args.debug_log:
        if _logger is None:
            _logger = logging.getLogger("librdkafka")
            _logger.setLevel(logging.DEBUG)
            handler = logging.FileHandler(args.debug_log)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            _logger.addHandler(handler)
        config["debug"] = "protocol,broker,topic,msg"
        config["logger"] = _logger
    return config


def admin_client(args, **kwargs):
    return AdminClient(base_config(args, **kwargs))


def producer(args, user=None, password=None, **extra):
    config = base_config(args, user, password)
    config.update(
        {
            "acks": "all",
            "enable.idempotence": False,  # InitProducerId is not among Skiff's APIs yet
            "partitioner": "murmur2_random",  # the Java client's partitioner
            "linger.ms": 5,
            "message.timeout.ms": int(args.timeout * 1000),
        }
    )
    config.update(extra)
    return Producer(config)


def consumer(args, user=None, password=None, **extra):
    config = base_config(args, user, password)
    # No consumer group: explicit assignment only (groups are not in this issue).
    config.update({"group.id": "unused-no-commits", "enable.auto.commit": False, "enable.auto.offset.store": False})
    config.update(extra)
    return Consumer(config)


def wait_futures(futures, what, args):
    """{key: future} -> {key: result}; raises Failure naming the failed ones."""
    results, errors = {}, []
    for key, future in futures.items():
        try:
            results[key] = future.result(timeout=args.timeout)
        except KafkaException as e:
            errors.append(f"{key}: {e.args[0]}")
        except Exception as e:  # noqa: BLE001 - the message is what matters
            errors.append(f"{key}: {e!r}")
    if errors:
        raise Failure(f"{what} failed: " + "; ".join(errors))
    return results


def error_of(future, args):
    """The KafkaError a future failed with, or None when it succeeded."""
    try:
        future.result(timeout=args.timeout)
    except KafkaException as e:
        return e.args[0]
    return None


def create_topics(args, admin, topics):
    """topics: {name: (partitions, configs)}"""
    futures = admin.create_topics(
        [NewTopic(name, p, 1, config=configs or {}) for name, (p, configs) in topics.items()],
        operation_timeout=args.timeout,
    )
    wait_futures(futures, "CreateTopics", args)


def produce_all(args, prod, topic, records, **kwargs):
    """records: [(key, value, headers)] -> {(partition, offset): (key, value, headers)}, checking
    every delivery report."""
    delivered, errors = {}, []

    def report(err, msg, record):
        if err is not None:
            errors.append(f"record {record[:2]!r:.80}: {err}")
        else:
            delivered[(msg.partition(), msg.offset())] = record

    for record in records:
        key, value, headers = record
        prod.produce(
            topic, key=key, value=value, headers=headers or None, on_delivery=lambda e, m, r=record: report(e, m, r), **kwargs
        )
        prod.poll(0)
    remaining = prod.flush(args.timeout)
    check(remaining == 0, f"{remaining} records still undelivered after {args.timeout} s")
    if errors:
        raise Failure("delivery failed: " + "; ".join(errors[:5]))
    expect_equal(len(delivered), len(records), "distinct (partition, offset) of the delivered records")
    return delivered


def read_back(args, cons, topic, starts, expected_count, what="read back"):
    """Reads from {partition: start offset} until `expected_count` records arrived; returns
    {(partition, offset): (key, value, headers, timestamp)}."""
    cons.assign([TopicPartition(topic, p, o) for p, o in starts.items()])
    got = {}
    end = deadline(args)
    while len(got) < expected_count:
        require(time.monotonic() < end, f"{what}: {len(got)} of {expected_count} records arrived within {args.timeout} s")
        msg = cons.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise Failure(f"{what}: consumer error {msg.error()}")
        headers = [(k, v) for k, v in (msg.headers() or [])]
        got[(msg.partition(), msg.offset())] = (msg.key(), msg.value(), headers, msg.timestamp())
    return got


def as_records(read):
    return {pos: (k, v, h) for pos, (k, v, h, _) in read.items()}


def records_output(delivered, read):
    return [
        record_json(p, o, read[(p, o)][3][1], k, v, h) for (p, o), (k, v, h) in sorted(delivered.items())
    ]


# ---------------------------------------------------------------------------------------------


def scenario_metadata(args):
    admin = admin_client(args)
    topic = topic_name(args, "meta")
    create_topics(args, admin, {topic: (3, None)})
    md = admin.list_topics(timeout=args.timeout)
    host, port = args.bootstrap.rsplit(":", 1)
    brokers = {b.id: (b.host, b.port) for b in md.brokers.values()}
    expect_equal(brokers, {args.node_id: (host, int(port))}, "Metadata brokers")
    expect_equal(md.controller_id, args.node_id, "Metadata controller id")
    require(topic in md.topics, f"Metadata lists no topic {topic}; it lists {sorted(md.topics)}")
    t = md.topics[topic]
    check(t.error is None, f"Metadata topic error {t.error}")
    expect_equal(sorted(t.partitions), [0, 1, 2], f"partitions of {topic}")
    for p in t.partitions.values():
        check(p.error is None, f"partition {p.id} error {p.error}")
        expect_equal(p.leader, args.node_id, f"leader of partition {p.id}")
        expect_equal(list(p.replicas), [args.node_id], f"replicas of partition {p.id}")
        expect_equal(list(p.isrs), [args.node_id], f"in-sync replicas of partition {p.id}")
    # A producer's metadata request for an unknown topic creates it (auto-create, default partitions).
    auto = topic_name(args, "auto-created")
    prod = producer(args)
    produce_all(args, prod, auto, [(b"k", b"v", [])])
    md = admin.list_topics(topic=auto, timeout=args.timeout)
    require(auto in md.topics and md.topics[auto].error is None, f"auto-created topic {auto} missing: {md.topics}")
    auto_partitions = len(md.topics[auto].partitions)
    return {
        "clusterId": md.cluster_id,
        "brokers": [[i, h, p] for i, (h, p) in brokers.items()],
        "topic": topic,
        "partitions": 3,
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
        read = read_back(args, consumer(args), topic, {p: OFFSET_BEGINNING for p in range(count)}, len(records))
        compare_records(delivered, as_records(read), f"{topic} read back")
        output[topic] = records_output(delivered, read)
    return {"topics": output}


def scenario_produce_varied(args):
    admin = admin_client(args)
    topic = topic_name(args, "varied")
    create_topics(args, admin, {topic: (3, None)})
    records = varied_records()
    delivered = produce_all(args, producer(args), topic, records)
    read = read_back(args, consumer(args), topic, {p: OFFSET_BEGINNING for p in range(3)}, len(records))
    compare_records(delivered, as_records(read), f"{topic} read back")
    return {"topics": {topic: records_output(delivered, read)}}


def compression_scenario(codec):
    def run(args):
        admin = admin_client(args)
        topic = topic_name(args, f"compressed-{codec}")
        create_topics(args, admin, {topic: (1, None)})
        records = compressible_records()
        prod = producer(args, **{"compression.type": codec, "linger.ms": 50, "batch.num.messages": 10000})
        delivered = produce_all(args, prod, topic, records)
        read = read_back(args, consumer(args), topic, {0: OFFSET_BEGINNING}, len(records))
        compare_records(delivered, as_records(read), f"{topic} read back")
        return {"codec": codec, "topics": {topic: records_output(delivered, read)}}

    return run


def scenario_consume_positions(args):
    admin = admin_client(args)
    topic = topic_name(args, "positions")
    create_topics(args, admin, {topic: (2, None)})
    base = (now_ms() - 3_600_000) // 1000 * 1000
    prod = producer(args)
    # Partition 0: 20 records one second apart, an hour ago; partition 1: 5 records.
    records0 = [(None, f"p0-{i}".encode(), []) for i in range(20)]
    records1 = [(None, f"p1-{i}".encode(), []) for i in range(5)]
    delivered = {}
    for i, r in enumerate(records0):
        delivered.update(produce_all(args, prod, topic, [r], partition=0, timestamp=base + i * 1000))
    for i, r in enumerate(records1):
        delivered.update(produce_all(args, prod, topic, [r], partition=1, timestamp=base + 100_000 + i * 1000))
    expect_equal(sorted(o for p, o in delivered if p == 0), list(range(20)), "offsets of partition 0")

    cons = consumer(args, **{"enable.partition.eof": True})
    low, high = cons.get_watermark_offsets(TopicPartition(topic, 0), timeout=args.timeout)
    expect_equal((low, high), (0, 20), "watermarks of partition 0 (ListOffsets earliest/latest)")

    # Earliest: everything, with the timestamps given.
    read = read_back(args, cons, topic, {0: OFFSET_BEGINNING, 1: OFFSET_BEGINNING}, 25, "from earliest")
    for (p, o), (_, value, _, (ts_type, ts)) in read.items():
        expected_ts = base + o * 1000 if p == 0 else base + 100_000 + o * 1000
        expect_equal(ts, expected_ts, f"timestamp of partition {p} offset {o}")
        expect_equal(ts_type, confluent_kafka.TIMESTAMP_CREATE_TIME, f"timestamp type of partition {p} offset {o}")
    compare_records({k: v for k, v in delivered.items()}, as_records(read), "from earliest")

    # An offset.
    cons2 = consumer(args)
    read = read_back(args, cons2, topic, {0: 7}, 13, "from offset 7")
    expect_equal(sorted(o for _, o in read), list(range(7, 20)), "offsets read from offset 7")

    # Timestamps (ListOffsets by time): the first offset whose timestamp is >= the time.
    queries = [
        TopicPartition(topic, 0, base + 7500),
        TopicPartition(topic, 1, base + 100_000 + 2000),
    ]
    found = cons2.offsets_for_times(queries, timeout=args.timeout)
    expect_equal([(tp.partition, tp.offset) for tp in found], [(0, 8), (1, 2)], "offsets_for_times")
    exact = cons2.offsets_for_times([TopicPartition(topic, 0, base + 7000)], timeout=args.timeout)
    expect_equal(exact[0].offset, 7, "offsets_for_times at a record's exact timestamp")
    beyond = cons2.offsets_for_times([TopicPartition(topic, 0, now_ms() + 3_600_000)], timeout=args.timeout)
    expect_equal(beyond[0].offset, OFFSET_END, "offsets_for_times after the last record (-1: none)")
    cons3 = consumer(args)
    read = read_back(args, cons3, topic, {0: found[0].offset}, 12, "from the offset of a timestamp")
    expect_equal(min(o for _, o in read), 8, "first offset read from the timestamp's offset")

    # Latest: nothing until a new record arrives, then exactly it.
    cons4 = consumer(args, **{"enable.partition.eof": True})
    cons4.assign([TopicPartition(topic, 0, OFFSET_END)])
    end = deadline(args)
    while True:
        require(time.monotonic() < end, "from latest: no end-of-partition event")
        msg = cons4.poll(0.2)
        if msg is None:
            continue
        if msg.error() and msg.error().code() == KafkaError._PARTITION_EOF:
            expect_equal(msg.offset(), 20, "end-of-partition offset from latest")
            break
        raise Failure(f"from latest: got {msg.error() or ('a record at offset %d' % msg.offset())} before any new record")
    new = produce_all(args, prod, topic, [(None, b"new", [])], partition=0)
    expect_equal(list(new), [(0, 20)], "the new record's position")
    end = deadline(args)
    while True:
        require(time.monotonic() < end, "from latest: the new record did not arrive")
        msg = cons4.poll(0.2)
        if msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF):
            continue
        check(not msg.error(), f"from latest: {msg.error()}")
        expect_equal((msg.offset(), msg.value()), (20, b"new"), "the record read from latest")
        break
    return {"topic": topic}


def describe_topic_config(args, admin, topic):
    """The topic's configs; a failure is recorded and gives {} (so the steps after it still run)."""
    resource = ConfigResource(ResourceType.TOPIC, topic)
    try:
        result = wait_futures(admin.describe_configs([resource]), "DescribeConfigs", args)
    except Failure as failure:
        check(False, str(failure))
        return {}
    return next(iter(result.values()))


def scenario_admin(args):
    admin = admin_client(args)
    topic = topic_name(args, "admin")
    # CreateTopics with configs; an existing name; an invalid config; validate-only.
    create_topics(args, admin, {topic: (2, {"retention.ms": "3600000", "cleanup.policy": "delete"})})
    again = admin.create_topics([NewTopic(topic, 2, 1)], operation_timeout=args.timeout)
    err = error_of(again[topic], args)
    check(err is not None and err.code() == KafkaError.TOPIC_ALREADY_EXISTS, f"creating {topic} again: {err}")
    bad = topic_name(args, "bad-config")
    err = error_of(admin.create_topics([NewTopic(bad, 1, 1, config={"retention.ms": "soon"})])[bad], args)
    check(err is not None and err.code() == KafkaError.INVALID_CONFIG, f"retention.ms=soon: expected INVALID_CONFIG, got {err}")
    dry = topic_name(args, "validate-only")
    wait_futures(admin.create_topics([NewTopic(dry, 1, 1)], validate_only=True), "CreateTopics validate-only", args)
    md = admin.list_topics(timeout=args.timeout)
    check(dry not in md.topics, "a validate-only CreateTopics created the topic")
    check(bad not in md.topics, "a CreateTopics with an invalid config created the topic")
    require(topic in md.topics, f"Metadata does not list {topic}")
    expect_equal(len(md.topics[topic].partitions), 2, f"partitions of {topic}")

    # DescribeConfigs: the value set at creation, its source, and defaults.
    configs = describe_topic_config(args, admin, topic)
    if check("retention.ms" in configs, f"DescribeConfigs lists no retention.ms: {sorted(configs)}"):
        expect_equal(configs["retention.ms"].value, "3600000", "retention.ms")
        expect_equal(configs["retention.ms"].source, ConfigSource.DYNAMIC_TOPIC_CONFIG.value, "source of retention.ms")
    if check("segment.bytes" in configs, f"DescribeConfigs lists no default segment.bytes: {sorted(configs)}"):
        check(configs["segment.bytes"].is_default, "segment.bytes is not reported as a default")

    # IncrementalAlterConfigs: SET then DELETE (back to the default).
    resource = ConfigResource(
        ResourceType.TOPIC,
        topic,
        incremental_configs=[ConfigEntry("retention.ms", "7200000", incremental_operation=AlterConfigOpType.SET)],
    )
    wait_futures(admin.incremental_alter_configs([resource]), "IncrementalAlterConfigs SET", args)
    entry = describe_topic_config(args, admin, topic).get("retention.ms")
    expect_equal(entry and entry.value, "7200000", "retention.ms after SET")
    resource = ConfigResource(
        ResourceType.TOPIC,
        topic,
        incremental_configs=[ConfigEntry("retention.ms", None, incremental_operation=AlterConfigOpType.DELETE)],
    )
    wait_futures(admin.incremental_alter_configs([resource]), "IncrementalAlterConfigs DELETE", args)
    entry = describe_topic_config(args, admin, topic).get("retention.ms")
    if check(entry is not None, "DescribeConfigs lists no retention.ms after DELETE"):
        check(entry.is_default, f"retention.ms after DELETE is not the default: {entry.value} (source {entry.source})")
        expect_equal(entry.value, "604800000", "retention.ms default")
    # AlterConfigs (the legacy whole-set replacement).
    resource = ConfigResource(ResourceType.TOPIC, topic, set_config={"retention.ms": "1000000"})
    wait_futures(admin.alter_configs([resource]), "AlterConfigs", args)
    configs = describe_topic_config(args, admin, topic)
    entry = configs.get("retention.ms")
    expect_equal(entry and entry.value, "1000000", "retention.ms after AlterConfigs")
    if check("cleanup.policy" in configs, "DescribeConfigs lists no cleanup.policy"):
        check(configs["cleanup.policy"].is_default, "AlterConfigs kept a config it did not name")
    bad_alter = ConfigResource(
        ResourceType.TOPIC,
        topic,
        incremental_configs=[ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)],
    )
    err = error_of(admin.incremental_alter_configs([bad_alter])[bad_alter], args)
    check(err is not None and err.code() == KafkaError.INVALID_CONFIG, f"SET retention.ms=soon: expected INVALID_CONFIG, got {err}")

    # CreatePartitions.
    wait_futures(admin.create_partitions([NewPartitions(topic, 4)]), "CreatePartitions", args)
    md = admin.list_topics(topic=topic, timeout=args.timeout)
    expect_equal(sorted(md.topics[topic].partitions), [0, 1, 2, 3], "partitions after CreatePartitions")

    # DeleteRecords.
    produce_all(args, producer(args), topic, [(None, f"r{i}".encode(), []) for i in range(10)], partition=0)
    deleted = wait_futures(admin.delete_records([TopicPartition(topic, 0, 5)]), "DeleteRecords", args)
    low = next(iter(deleted.values())).low_watermark
    expect_equal(low, 5, "low watermark after DeleteRecords")
    watermarks = consumer(args).get_watermark_offsets(TopicPartition(topic, 0), timeout=args.timeout)
    expect_equal(watermarks, (5, 10), "watermarks after DeleteRecords")

    # DescribeCluster.
    cluster = admin.describe_cluster().result(timeout=args.timeout)
    expect_equal([n.id for n in cluster.nodes], [args.node_id], "DescribeCluster nodes")
    expect_equal(cluster.controller.id if cluster.controller else None, args.node_id, "DescribeCluster controller")

    # DescribeConfigs of the broker.
    broker = ConfigResource(ResourceType.BROKER, str(args.node_id))
    try:
        broker_configs = next(iter(wait_futures(admin.describe_configs([broker]), "DescribeConfigs BROKER", args).values()))
    except Failure as failure:
        check(False, str(failure))
        broker_configs = {}

    # DeleteTopics, and deleting it again.
    wait_futures(admin.delete_topics([topic], operation_timeout=args.timeout), "DeleteTopics", args)
    md = admin.list_topics(timeout=args.timeout)
    check(topic not in md.topics, f"{topic} still listed after DeleteTopics")
    err = error_of(admin.delete_topics([topic])[topic], args)
    check(
        err is not None and err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, f"deleting {topic} again: expected UNKNOWN_TOPIC_OR_PART, got {err}"
    )
    return {"topic": topic, "brokerConfigs": len(broker_configs), "clusterId": cluster.cluster_id}


def scenario_dump(args):
    """Prints every record of --topic (all partitions, earliest to the high watermark)."""
    require(args.topic, "--topic is required")
    admin = admin_client(args)
    md = admin.list_topics(topic=args.topic, timeout=args.timeout)
    t = md.topics.get(args.topic)
    require(t is not None and t.error is None, f"topic {args.topic}: {t and t.error}")
    cons = consumer(args)
    counts, starts = 0, {}
    for p in t.partitions:
        low, high = cons.get_watermark_offsets(TopicPartition(args.topic, p), timeout=args.timeout)
        counts += high - low
        starts[p] = OFFSET_BEGINNING
    read = read_back(args, cons, args.topic, starts, counts) if counts else {}
    return {
        "topic": args.topic,
        "records": [record_json(p, o, ts[1], k, v, h) for (p, o), (k, v, h, ts) in sorted(read.items())],
    }


def scenario_sasl(args):
    require(args.admin_token and args.read_only_token, "--admin-token and --read-only-token are required")
    topic = topic_name(args, "sasl")
    admin = admin_client(args, user="admin", password=args.admin_token)
    create_topics(args, admin, {topic: (1, None)})
    delivered = produce_all(args, producer(args, "admin", args.admin_token), topic, [(b"k", b"by admin", [])])
    read = read_back(args, consumer(args, "read-only", args.read_only_token), topic, {0: OFFSET_BEGINNING}, 1, "read-only consume")
    compare_records(delivered, as_records(read), "read-only consume")
    ro_admin = admin_client(args, user="read-only", password=args.read_only_token)
    md = ro_admin.list_topics(timeout=args.timeout)
    check(topic in md.topics, "read-only Metadata does not list the topic")

    # Read-only writes: produce, create, delete, alter are refused with authorization errors.
    ro_prod = producer(args, "read-only", args.read_only_token, **{"message.timeout.ms": 10000, "retries": 0})
    errors = []
    ro_prod.produce(topic, value=b"by read-only", on_delivery=lambda e, m: errors.append(e))
    ro_prod.flush(args.timeout)
    require(errors and errors[0] is not None, "read-only produce was acknowledged")
    expect_equal(errors[0].code(), KafkaError.TOPIC_AUTHORIZATION_FAILED, "read-only produce error")
    err = error_of(ro_admin.create_topics([NewTopic(topic_name(args, "ro"), 1, 1)])[topic_name(args, "ro")], args)
    check(
        err is not None and err.code() in (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.CLUSTER_AUTHORIZATION_FAILED),
        f"read-only CreateTopics: expected an authorization error, got {err}",
    )
    err = error_of(ro_admin.delete_topics([topic])[topic], args)
    check(err is not None and err.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, f"read-only DeleteTopics: {err}")
    resource = ConfigResource(
        ResourceType.TOPIC, topic, incremental_configs=[ConfigEntry("retention.ms", "1000", incremental_operation=AlterConfigOpType.SET)]
    )
    err = error_of(ro_admin.incremental_alter_configs([resource])[resource], args)
    check(
        err is not None and err.code() in (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.CLUSTER_AUTHORIZATION_FAILED),
        f"read-only IncrementalAlterConfigs: {err}",
    )

    # A wrong password and no SASL at all are refused.
    auth_errors = []
    wrong = AdminClient(
        dict(base_config(args, "admin", "not-the-token"), error_cb=lambda e: auth_errors.append(e))
    )
    try:
        wrong.list_topics(timeout=5)
        raise Failure("Metadata with a wrong password succeeded")
    except KafkaException:
        pass
    end = deadline(args, 5)
    while not auth_errors and time.monotonic() < end:
        wrong.poll(0.1)  # error_cb is served by poll()
    check(
        any(e.code() == KafkaError._AUTHENTICATION for e in auth_errors),
        f"a wrong password gave no authentication error: {[str(e) for e in auth_errors]}",
    )
    plain = AdminClient(base_config(args))
    try:
        plain.list_topics(timeout=5)
        raise Failure("Metadata without SASL succeeded on a broker that requires it")
    except KafkaException:
        pass
    return {"topic": topic}


def scenario_crash_produce(args):
    """Produces keyed records with acks=all until the broker dies, appending every acknowledged
    (partition, offset, value) to --acked-file as it is acknowledged."""
    require(args.topic and args.acked_file, "--topic and --acked-file are required")
    out = open(args.acked_file, "a", buffering=1)
    state = {"acked": 0, "failed": 0, "down": False}

    def on_error(err):
        if err.code() in (KafkaError._ALL_BROKERS_DOWN, KafkaError._TRANSPORT):
            state["down"] = True

    def report(err, msg):
        if err is None:
            out.write(f"{msg.partition()} {msg.offset()} {msg.value().decode()}\n")
            state["acked"] += 1
        else:
            state["failed"] += 1

    prod = producer(
        args,
        error_cb=on_error,
        **{"linger.ms": 1, "message.timeout.ms": 3000, "reconnect.backoff.max.ms": 200, "retries": 1000000},
    )
    n = 0
    end = deadline(args, args.timeout * 4)
    while not state["down"] and state["failed"] == 0:
        require(time.monotonic() < end, "the broker was not killed")
        try:
            prod.produce(args.topic, key=f"k{n % 97}".encode(), value=f"value-{n}".encode(), on_delivery=report)
            n += 1
        except BufferError:
            prod.poll(0.05)
            continue
        if n % 50 == 0:
            prod.poll(0)
    # The broker is gone: what is still queued fails within message.timeout.ms.
    prod.flush(10)
    out.close()
    return {"produced": n, "acked": state["acked"], "failed": state["failed"]}


def scenario_crash_verify(args):
    """Reads --topic back and checks every record listed in --acked-file is there."""
    require(args.topic and args.acked_file, "--topic and --acked-file are required")
    acked = {}
    with open(args.acked_file) as f:
        for line in f:
            if not line.endswith("\n"):
                break  # a line cut by the writer's death was never counted
            p, o, v = line.split()
            acked[(int(p), int(o))] = v.encode()
    require(acked, "no acknowledged records were listed")
    cons = consumer(args)
    starts, total = {}, 0
    for p in range(args.partitions):
        low, high = cons.get_watermark_offsets(TopicPartition(args.topic, p), timeout=args.timeout)
        top = max([o for (q, o) in acked if q == p], default=-1)
        check(high > top, f"partition {p}: high watermark {high} after restart, but offset {top} was acknowledged")
        starts[p] = OFFSET_BEGINNING
        total += high - low
    read = read_back(args, cons, args.topic, starts, total, "after restart")
    missing = [pos for pos in sorted(acked) if pos not in read]
    wrong = [pos for pos in sorted(acked) if pos in read and read[pos][1] != acked[pos]]
    check(not missing, f"{len(missing)} acknowledged records lost, first {missing[:10]}")
    check(not wrong, f"{len(wrong)} acknowledged records changed, first {[(p, read[p][1], acked[p]) for p in wrong[:5]]}")
    return {"acked": len(acked), "stored": total}


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
    "crash-produce": scenario_crash_produce,
    "crash-verify": scenario_crash_verify,
}

if __name__ == "__main__":
    main(CLIENT, SCENARIOS)
