import Testing

// One suite per client, one test per scenario (Tests/KafkaCompat/*_compat.py, sarama/main.go say
// what each checks). Every test starts its own `skiff broker` child on 127.0.0.1:0; records a
// scenario produces over Kafka are also read back over the admin protocol and compared byte for
// byte (Compat.scenario), and `fromSkiffProduce` goes the other way.

@Suite("confluent-kafka (PyPI, librdkafka bundled) against skiff broker")
struct ConfluentKafkaCompatTests {
    @Test("Metadata: brokers, node 0 leads every partition, auto-created topics")
    func metadata() async throws { try await Compat.scenario(.confluentKafka, "metadata") }

    @Test("Keyed records land in murmur2's partition, read back byte-equal")
    func produceKeyed() async throws { try await Compat.scenario(.confluentKafka, "produce-keyed") }

    @Test("Null and empty keys and values, binary, headers, a 200 KB value")
    func produceVaried() async throws { try await Compat.scenario(.confluentKafka, "produce-varied") }

    @Test("gzip-compressed batches round-trip")
    func gzip() async throws { try await Compat.scenario(.confluentKafka, "compression-gzip") }

    @Test("snappy-compressed batches round-trip")
    func snappy() async throws { try await Compat.scenario(.confluentKafka, "compression-snappy") }

    @Test("lz4-compressed batches round-trip")
    func lz4() async throws { try await Compat.scenario(.confluentKafka, "compression-lz4") }

    @Test("zstd-compressed batches round-trip")
    func zstd() async throws { try await Compat.scenario(.confluentKafka, "compression-zstd") }

    @Test("Consume from earliest, latest, an offset and a timestamp")
    func consumePositions() async throws { try await Compat.scenario(.confluentKafka, "consume-positions") }

    @Test("Create, describe, alter and delete topics and configs; partitions; delete records")
    func admin() async throws { try await Compat.scenario(.confluentKafka, "admin") }

    @Test("SASL/PLAIN: admin writes, read-only reads and is refused writes, a wrong password fails")
    func sasl() async throws { try await Compat.scenario(.confluentKafka, "sasl", sasl: true) }

    @Test("Records written with skiff produce read back byte-equal")
    func fromSkiffProduce() async throws { try await Compat.readSkiffProduced(.confluentKafka) }

    @Test("kill -9 during an acks=all produce loop loses no acknowledged record")
    func killDuringProduce() async throws { try await Compat.killDuringProduce() }
}

@Suite("kafka-python 3.x (PyPI) against skiff broker")
struct KafkaPythonCompatTests {
    @Test("Metadata: brokers, node 0 leads every partition, auto-created topics")
    func metadata() async throws { try await Compat.scenario(.kafkaPython, "metadata") }

    @Test("Keyed records land in murmur2's partition, read back byte-equal")
    func produceKeyed() async throws { try await Compat.scenario(.kafkaPython, "produce-keyed") }

    @Test("Null and empty keys and values, binary, headers, a 200 KB value")
    func produceVaried() async throws { try await Compat.scenario(.kafkaPython, "produce-varied") }

    @Test("gzip-compressed batches round-trip")
    func gzip() async throws { try await Compat.scenario(.kafkaPython, "compression-gzip") }

    @Test("snappy-compressed batches round-trip")
    func snappy() async throws { try await Compat.scenario(.kafkaPython, "compression-snappy") }

    @Test("lz4-compressed batches round-trip")
    func lz4() async throws { try await Compat.scenario(.kafkaPython, "compression-lz4") }

    @Test("zstd-compressed batches round-trip")
    func zstd() async throws { try await Compat.scenario(.kafkaPython, "compression-zstd") }

    @Test("Consume from earliest, latest, an offset and a timestamp")
    func consumePositions() async throws { try await Compat.scenario(.kafkaPython, "consume-positions") }

    @Test("Create, describe, alter and delete topics and configs; partitions; delete records")
    func admin() async throws { try await Compat.scenario(.kafkaPython, "admin") }

    @Test("SASL/PLAIN: admin writes, read-only reads and is refused writes, a wrong password fails")
    func sasl() async throws { try await Compat.scenario(.kafkaPython, "sasl", sasl: true) }

    @Test("Records written with skiff produce read back byte-equal")
    func fromSkiffProduce() async throws { try await Compat.readSkiffProduced(.kafkaPython) }
}

@Suite("aiokafka (PyPI) against skiff broker")
struct AIOKafkaCompatTests {
    @Test("Metadata: brokers, node 0 leads every partition, auto-created topics")
    func metadata() async throws { try await Compat.scenario(.aiokafka, "metadata") }

    @Test("Keyed records land in murmur2's partition, read back byte-equal")
    func produceKeyed() async throws { try await Compat.scenario(.aiokafka, "produce-keyed") }

    @Test("Null and empty keys and values, binary, headers, a 200 KB value")
    func produceVaried() async throws { try await Compat.scenario(.aiokafka, "produce-varied") }

    @Test("gzip-compressed batches round-trip")
    func gzip() async throws { try await Compat.scenario(.aiokafka, "compression-gzip") }

    @Test("snappy-compressed batches round-trip")
    func snappy() async throws { try await Compat.scenario(.aiokafka, "compression-snappy") }

    @Test("lz4-compressed batches round-trip")
    func lz4() async throws { try await Compat.scenario(.aiokafka, "compression-lz4") }

    @Test("zstd-compressed batches round-trip")
    func zstd() async throws { try await Compat.scenario(.aiokafka, "compression-zstd") }

    @Test("Consume from earliest, latest, an offset and a timestamp")
    func consumePositions() async throws { try await Compat.scenario(.aiokafka, "consume-positions") }

    @Test("Create, describe, alter and delete topics and configs; partitions; delete records")
    func admin() async throws { try await Compat.scenario(.aiokafka, "admin") }

    @Test("SASL/PLAIN: admin writes, read-only reads and is refused writes, a wrong password fails")
    func sasl() async throws { try await Compat.scenario(.aiokafka, "sasl", sasl: true) }

    @Test("Records written with skiff produce read back byte-equal")
    func fromSkiffProduce() async throws { try await Compat.readSkiffProduced(.aiokafka) }
}

@Suite("kcat (Debian, librdkafka 2.0.2) against skiff broker")
struct KcatCompatTests {
    @Test("Metadata: brokers, node 0 leads every partition, auto-created topics")
    func metadata() async throws { try await Compat.scenario(.kcat, "metadata") }

    @Test("Keyed records land in murmur2's partition, read back byte-equal")
    func produceKeyed() async throws { try await Compat.scenario(.kcat, "produce-keyed") }

    @Test("Null and empty keys and values, binary, headers, a 200 KB value")
    func produceVaried() async throws { try await Compat.scenario(.kcat, "produce-varied") }

    @Test("gzip-compressed batches round-trip")
    func gzip() async throws { try await Compat.scenario(.kcat, "compression-gzip") }

    @Test("snappy-compressed batches round-trip")
    func snappy() async throws { try await Compat.scenario(.kcat, "compression-snappy") }

    @Test("lz4-compressed batches round-trip")
    func lz4() async throws { try await Compat.scenario(.kcat, "compression-lz4") }

    @Test("zstd-compressed batches round-trip")
    func zstd() async throws { try await Compat.scenario(.kcat, "compression-zstd") }

    @Test("Consume from earliest, latest, an offset and a timestamp")
    func consumePositions() async throws { try await Compat.scenario(.kcat, "consume-positions") }

    @Test("SASL/PLAIN: admin writes, read-only reads and is refused writes, a wrong password fails")
    func sasl() async throws { try await Compat.scenario(.kcat, "sasl", sasl: true) }

    @Test("Records written with skiff produce read back byte-equal")
    func fromSkiffProduce() async throws { try await Compat.readSkiffProduced(.kcat) }
}

@Suite("sarama 1.22 (Debian, built with Debian's Go) against skiff broker")
struct SaramaCompatTests {
    @Test("Metadata: brokers, node 0 leads every partition, auto-created topics")
    func metadata() async throws { try await Compat.scenario(.sarama, "metadata") }

    @Test("Keyed records land in murmur2's partition, read back byte-equal")
    func produceKeyed() async throws { try await Compat.scenario(.sarama, "produce-keyed") }

    @Test("Null and empty keys and values, binary, headers, a 200 KB value")
    func produceVaried() async throws { try await Compat.scenario(.sarama, "produce-varied") }

    @Test("gzip-compressed batches round-trip")
    func gzip() async throws { try await Compat.scenario(.sarama, "compression-gzip") }

    @Test("snappy-compressed batches round-trip")
    func snappy() async throws { try await Compat.scenario(.sarama, "compression-snappy") }

    @Test("lz4-compressed batches round-trip")
    func lz4() async throws { try await Compat.scenario(.sarama, "compression-lz4") }

    @Test("zstd-compressed batches round-trip")
    func zstd() async throws { try await Compat.scenario(.sarama, "compression-zstd") }

    @Test("Consume from earliest, latest, an offset and a timestamp")
    func consumePositions() async throws { try await Compat.scenario(.sarama, "consume-positions") }

    @Test("Create, describe, alter and delete topics and configs; partitions; delete records")
    func admin() async throws { try await Compat.scenario(.sarama, "admin") }

    @Test("SASL/PLAIN: admin writes, read-only reads and is refused writes, a wrong password fails")
    func sasl() async throws { try await Compat.scenario(.sarama, "sasl", sasl: true) }

    @Test("Records written with skiff produce read back byte-equal")
    func fromSkiffProduce() async throws { try await Compat.readSkiffProduced(.sarama) }
}
