import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// A Kafka listener on a test broker, sharing its admin server.
private struct KafkaTestListener {
    let broker: TestBroker
    let kafka: KafkaServer
    let port: Int
    let task: Task<Void, any Error>

    static func start(
        tokens: [String: AdminRole]? = nil, configure: (inout KafkaListenerConfig) -> Void = { _ in }
    ) async throws -> KafkaTestListener {
        let broker = try await TestBroker { $0.tokens = tokens }
        var config = KafkaListenerConfig()
        config.port = 0
        configure(&config)
        let kafka = KafkaServer(sharing: broker.server, config: config, logger: quietLogger)
        let port = try await kafka.bind().port!
        let task = Task { try await kafka.run() }
        return KafkaTestListener(broker: broker, kafka: kafka, port: port, task: task)
    }

    func connect() throws -> KafkaTestConnection { KafkaTestConnection(try RawConnection(port: port)) }

    func stop() async throws {
        await kafka.close()
        task.cancel()
        try await broker.stop()
        broker.removeData()
    }
}

/// Sends requests encoded by the generated codec and reads their responses.
private final class KafkaTestConnection: @unchecked Sendable {
    let raw: RawConnection
    private var correlation: Int32 = 0

    init(_ raw: RawConnection) { self.raw = raw }

    func send<R: KafkaRequest>(_ request: R, version: Int16) throws {
        correlation += 1
        var header = KafkaProtocol.RequestHeader()
        header.requestApiKey = R.apiKey
        header.requestApiVersion = version
        header.correlationId = correlation
        header.clientId = "skiff-test"
        let payload = try KafkaRequestFrame.encode(header: header, body: request)
        var frame = ByteBuffer()
        frame.writeInteger(Int32(payload.readableBytes))
        frame.writeImmutableBuffer(payload)
        raw.send(frame)
    }

    /// Sends `request` and reads its response; nil when the broker closed the connection.
    func call<R: KafkaRequest>(_ request: R, version: Int16, responseVersion: Int16? = nil) async throws -> R.Response?
    {
        try send(request, version: version)
        guard let bytes = await raw.readFrame() else { return nil }
        var buffer = ByteBuffer(bytes: bytes)
        let correlationId: Int32? = buffer.readInteger()
        #expect(correlationId == correlation)
        let answered = responseVersion ?? version
        if KafkaHeaders.responseHeaderVersion(apiKey: R.apiKey, apiVersion: answered) >= 1 {
            #expect(buffer.readInteger(as: UInt8.self) == 0)  // no tagged fields
        }
        let response = try R.Response(from: &buffer, version: answered)
        #expect(buffer.readableBytes == 0, "\(R.Response.self) v\(answered) left bytes")
        return response
    }
}

private func batch(_ records: [ProducerRecord]) throws -> ByteBuffer {
    ByteBuffer(bytes: try RecordBatchEncoder.encode(records, baseOffset: 0, defaultTimestamp: 1_700_000_000_000))
}

private func produceRequest(
    topic: String, partition: Int32 = 0, records: ByteBuffer, acks: Int16 = -1
)
    -> KafkaProtocol.ProduceRequest
{
    var request = KafkaProtocol.ProduceRequest()
    request.acks = acks
    request.timeoutMs = 5000
    var data = KafkaProtocol.ProduceRequest.PartitionProduceData()
    data.index = partition
    data.records = records
    var topicData = KafkaProtocol.ProduceRequest.TopicProduceData()
    topicData.name = topic
    topicData.partitionData = [data]
    request.topicData = [topicData]
    return request
}

private func fetchRequest(
    topic: String, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 0
)
    -> KafkaProtocol.FetchRequest
{
    var request = KafkaProtocol.FetchRequest()
    request.maxWaitMs = maxWaitMs
    request.minBytes = minBytes
    request.maxBytes = 1 << 20
    var partition = KafkaProtocol.FetchRequest.FetchPartition()
    partition.partition = 0
    partition.fetchOffset = offset
    partition.partitionMaxBytes = 1 << 20
    var t = KafkaProtocol.FetchRequest.FetchTopic()
    t.topic = topic
    t.partitions = [partition]
    request.topics = [t]
    return request
}

private func metadataRequest(_ names: [String]) -> KafkaProtocol.MetadataRequest {
    var request = KafkaProtocol.MetadataRequest()
    request.topics = names.map {
        var t = KafkaProtocol.MetadataRequest.MetadataRequestTopic()
        t.name = $0
        return t
    }
    return request
}

@Suite("Kafka listener", .serialized)
struct KafkaListenerTests {
    /// ApiVersions advertises the versions old librdkafka needs to switch features on, and an
    /// ApiVersions in a version the broker lacks is answered in v0 with UNSUPPORTED_VERSION.
    @Test func apiVersions() async throws {
        let listener = try await KafkaTestListener.start()
        let connection = try listener.connect()
        let response = try #require(try await connection.call(KafkaProtocol.ApiVersionsRequest(), version: 3))
        #expect(response.errorCode == 0)
        let ranges = Dictionary(
            uniqueKeysWithValues: response.apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) })
        // librdkafka before 2.11.1 turns features on only for these exact versions: gzip and snappy
        // want Produce 0, lz4 FindCoordinator 0, zstd Produce 7 and Fetch 10, SASL SaslHandshake 0.
        let needs: [(Int16, [Int16])] = [
            (0, [0, 3, 7]), (1, [4, 10]), (2, [1]), (3, [0, 12]), (10, [0]), (17, [0, 1]), (18, [0, 3]), (36, [0]),
        ]
        for (api, needed) in needs {
            for v in needed { #expect(ranges[api]?.contains(v) == true, "API \(api) v\(v)") }
        }
        // The admin protocol's ClusterInfo says where Kafka clients connect (the broker screen shows it).
        let info = try await listener.broker.client().clusterInfo()
        #expect(info.kafkaListener == "127.0.0.1:\(listener.port)")
        let tooNew = try #require(
            try await connection.call(KafkaProtocol.ApiVersionsRequest(), version: 9, responseVersion: 0))
        #expect(tooNew.errorCode == KafkaErrorCode.unsupportedVersion.rawValue)
        #expect(!tooNew.apiKeys.isEmpty)
        try await listener.stop()
    }

    /// A batch produced over Kafka is read back over the admin protocol with the same key,
    /// value and headers, and records produced over the admin protocol are served over Kafka as
    /// their stored batch.
    @Test func bothProtocolsSeeTheSameRecords() async throws {
        let listener = try await KafkaTestListener.start()
        let admin = listener.broker.client()
        _ = try await admin.createTopic("both", partitions: 1)
        let connection = try listener.connect()
        let sent = try batch([
            ProducerRecord(
                key: Array("k".utf8), value: Array("from kafka".utf8),
                headers: [
                    BrokerCore.RecordHeader(key: "h", value: [1, 2])
                ])
        ])
        let produced = try #require(try await connection.call(produceRequest(topic: "both", records: sent), version: 9))
        let partition = try #require(produced.responses.first?.partitionResponses.first)
        #expect(partition.errorCode == 0)
        #expect(partition.baseOffset == 0)
        let read = try await admin.fetch(topic: "both", partition: 0, from: .offset(0))
        #expect(read.records.map(\.value) == [Array("from kafka".utf8)])
        #expect(read.records.first?.headers == [HeaderData(key: "h", value: [1, 2])])

        _ = try await admin.produce(
            topic: "both", records: [AdminProtocol.ProduceRecord(key: nil, value: Array("from admin".utf8))])
        let fetched = try #require(try await connection.call(fetchRequest(topic: "both", offset: 0), version: 12))
        let data = try #require(fetched.responses.first?.partitions.first)
        #expect(data.errorCode == 0)
        #expect(data.highWatermark == 2)
        let records = try #require(data.records)
        // The first batch is the one the Kafka client sent, byte for byte from its attributes on
        // (the CRC covers those; the base offset and leader epoch before it are the broker's).
        #expect(
            Array(records.readableBytesView.prefix(sent.readableBytes).dropFirst(16))
                == Array(sent.readableBytesView.dropFirst(16)))
        #expect(records.readableBytes > sent.readableBytes)
        try await listener.stop()
    }

    /// A Fetch waiting for `min_bytes` is woken by an append (here over the admin protocol),
    /// not by its `max_wait_ms` running out.
    @Test func longPollWakesOnAppend() async throws {
        let listener = try await KafkaTestListener.start()
        let admin = listener.broker.client()
        _ = try await admin.createTopic("waits", partitions: 1)
        let connection = try listener.connect()
        // 4.5 s: below the test connection's 5 s read timeout, so a wait that ran out still
        // answers, empty — which fails the test.
        async let answer = connection.call(
            fetchRequest(topic: "waits", offset: 0, maxWaitMs: 4500, minBytes: 1), version: 11)
        try await Task.sleep(for: .milliseconds(200))
        _ = try await admin.produce(topic: "waits", records: [AdminProtocol.ProduceRecord(key: nil, value: [7])])
        let response = try #require(try await answer)
        let data = try #require(response.responses.first?.partitions.first)
        #expect(data.highWatermark == 1)
        #expect((data.records?.readableBytes ?? 0) > 0)
        try await listener.stop()
    }

    /// Metadata creates a topic it is asked for (Kafka's auto.create.topics.enable), refuses an
    /// invalid name, and says UNKNOWN_TOPIC_OR_PARTITION when auto-creation is off.
    @Test func metadataAutoCreation() async throws {
        let listener = try await KafkaTestListener.start { $0.defaultPartitions = 3 }
        let connection = try listener.connect()
        let response = try #require(try await connection.call(metadataRequest(["auto-1", "bad name!"]), version: 12))
        #expect(response.brokers.map(\.port) == [Int32(listener.port)])
        #expect(response.clusterId == listener.broker.broker.identity.clusterId)
        let byName = Dictionary(uniqueKeysWithValues: response.topics.map { ($0.name ?? "", $0) })
        #expect(byName["auto-1"]?.errorCode == 0)
        #expect(byName["auto-1"]?.partitions.count == 3)
        #expect(byName["auto-1"]?.topicId != .zero)
        #expect(byName["bad name!"]?.errorCode == KafkaErrorCode.invalidTopicException.rawValue)
        try await listener.stop()

        let off = try await KafkaTestListener.start { $0.autoCreateTopics = false }
        let refused = try #require(try await off.connect().call(metadataRequest(["nope"]), version: 9))
        #expect(refused.topics.first?.errorCode == KafkaErrorCode.unknownTopicOrPartition.rawValue)
        #expect(off.broker.broker.partitionCount(of: "nope") == nil)
        try await off.stop()
    }

    /// CreateTopics: a replication factor above 1 is refused with a sentence; configs land and
    /// DescribeConfigs shows them as set on the topic; validate-only creates nothing.
    @Test func createAndDescribeTopics() async throws {
        let listener = try await KafkaTestListener.start()
        let connection = try listener.connect()
        func topic(
            _ name: String, replication: Int16, config: [String: String] = [:]
        )
            -> KafkaProtocol.CreateTopicsRequest.CreatableTopic
        {
            var t = KafkaProtocol.CreateTopicsRequest.CreatableTopic()
            t.name = name
            t.numPartitions = 2
            t.replicationFactor = replication
            t.configs = config.map {
                var c = KafkaProtocol.CreateTopicsRequest.CreatableTopicConfig()
                c.name = $0.key
                c.value = $0.value
                return c
            }
            return t
        }
        var create = KafkaProtocol.CreateTopicsRequest()
        create.topics = [
            topic("replicated", replication: 3), topic("kept", replication: 1, config: ["retention.ms": "60000"]),
        ]
        let created = try #require(try await connection.call(create, version: 7))
        #expect(created.topics[0].errorCode == KafkaErrorCode.invalidReplicationFactor.rawValue)
        #expect(created.topics[0].errorMessage?.contains("1 broker") == true)
        #expect(created.topics[1].errorCode == 0)
        #expect(created.topics[1].numPartitions == 2)

        var validate = KafkaProtocol.CreateTopicsRequest()
        validate.topics = [topic("only-checked", replication: -1)]
        validate.validateOnly = true
        #expect(try await connection.call(validate, version: 5)?.topics.first?.errorCode == 0)
        #expect(listener.broker.broker.partitionCount(of: "only-checked") == nil)

        var describe = KafkaProtocol.DescribeConfigsRequest()
        var resource = KafkaProtocol.DescribeConfigsRequest.DescribeConfigsResource()
        resource.resourceType = 2
        resource.resourceName = "kept"
        describe.resources = [resource]
        let described = try #require(try await connection.call(describe, version: 4))
        let retention = described.results.first?.configs.first { $0.name == "retention.ms" }
        #expect(retention?.value == "60000")
        #expect(retention?.configSource == 1)
        #expect(described.results.first?.configs.first { $0.name == "segment.bytes" }?.configSource == 5)
        try await listener.stop()
    }

    /// A frame the codec cannot read closes that connection, logged; the broker serves the next.
    @Test func malformedRequestClosesOnlyItsConnection() async throws {
        let listener = try await KafkaTestListener.start()
        let bad = try listener.connect()
        // Metadata v12 whose topic array claims far more elements than the frame holds.
        let payload: [UInt8] = [0, 3, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0x80, 0x80, 0x80, 0x01]
        bad.raw.send([0, 0, 0, UInt8(payload.count)] + payload)
        #expect(await bad.raw.readUntilClosed())
        // A size prefix past the frame limit (16 MiB) closes the connection before any body is read.
        let huge = try listener.connect()
        huge.raw.send([0x7F, 0xFF, 0xFF, 0xFF, 0, 18, 0, 3])
        #expect(await huge.raw.readUntilClosed())
        // An API the broker does not serve (JoinGroup, until consumer groups come) closes too.
        let unserved = try listener.connect()
        unserved.raw.send([0, 0, 0, 10, 0, 11, 0, 5, 0, 0, 0, 1, 0, 0])
        #expect(await unserved.raw.readUntilClosed())
        let good = try listener.connect()
        #expect(try await good.call(KafkaProtocol.ApiVersionsRequest(), version: 3)?.errorCode == 0)
        try await listener.stop()
    }

    /// With tokens, SASL/PLAIN comes first; a read-only user's writes are refused with Kafka's
    /// authorization errors; a wrong password closes the connection.
    @Test func saslPlain() async throws {
        let listener = try await KafkaTestListener.start(tokens: ["s3cret": .admin, "look": .readOnly])
        let early = try listener.connect()
        try early.send(metadataRequest([]), version: 12)
        #expect(await early.raw.readUntilClosed())

        func authenticated(user: String, password: String) async throws -> (KafkaTestConnection, Int16) {
            let c = try listener.connect()
            var handshake = KafkaProtocol.SaslHandshakeRequest()
            handshake.mechanism = "PLAIN"
            #expect(try await c.call(handshake, version: 1)?.errorCode == 0)
            var auth = KafkaProtocol.SaslAuthenticateRequest()
            auth.authBytes = [0] + Array(user.utf8) + [0] + Array(password.utf8)
            return (c, try #require(try await c.call(auth, version: 2)).errorCode)
        }
        let (wrong, wrongCode) = try await authenticated(user: "admin", password: "guess")
        #expect(wrongCode == KafkaErrorCode.saslAuthenticationFailed.rawValue)
        #expect(await wrong.raw.readUntilClosed())

        let (reader, readerCode) = try await authenticated(user: "read-only", password: "look")
        #expect(readerCode == 0)
        _ = try listener.broker.broker.createTopic("guarded", partitions: 1)
        let refused = try #require(
            try await reader.call(
                produceRequest(topic: "guarded", records: try batch([ProducerRecord(value: [1])])), version: 8))
        #expect(
            refused.responses.first?.partitionResponses.first?.errorCode
                == KafkaErrorCode.topicAuthorizationFailed.rawValue)
        #expect(
            try await reader.call(fetchRequest(topic: "guarded", offset: 0), version: 12)?.responses.first?.partitions
                .first?.errorCode == 0)

        let (writer, writerCode) = try await authenticated(user: "admin", password: "s3cret")
        #expect(writerCode == 0)
        let accepted = try #require(
            try await writer.call(
                produceRequest(topic: "guarded", records: try batch([ProducerRecord(value: [1])])), version: 8))
        #expect(accepted.responses.first?.partitionResponses.first?.errorCode == 0)
        try await listener.stop()
    }

    /// FindCoordinator names this broker for a group (v0-3 and the batched v4) and refuses
    /// transactions; Produce v0-2 (the old message format) is refused per partition.
    @Test func coordinatorsAndOldProduce() async throws {
        let listener = try await KafkaTestListener.start()
        let connection = try listener.connect()
        var find = KafkaProtocol.FindCoordinatorRequest()
        find.key = "g"
        let v3 = try #require(try await connection.call(find, version: 3))
        #expect(v3.errorCode == 0)
        #expect(v3.nodeId == 0)
        #expect(v3.port == Int32(listener.port))
        var batched = KafkaProtocol.FindCoordinatorRequest()
        batched.coordinatorKeys = ["a", "b"]
        let v4 = try #require(try await connection.call(batched, version: 4))
        #expect(v4.coordinators.map(\.key) == ["a", "b"])
        #expect(v4.coordinators.allSatisfy { $0.errorCode == 0 && $0.nodeId == 0 })
        var transaction = KafkaProtocol.FindCoordinatorRequest()
        transaction.key = "tx"
        transaction.keyType = 1
        let refused = try #require(try await connection.call(transaction, version: 3))
        #expect(refused.errorCode == KafkaErrorCode.coordinatorNotAvailable.rawValue)
        #expect(refused.errorMessage?.contains("transactions") == true)

        // A message set of magic 1 (offset, size, crc, magic 1, ...), as Produce v2 carries.
        var old = ByteBuffer()
        old.writeInteger(Int64(0))
        old.writeInteger(Int32(26))
        old.writeInteger(UInt32(0))
        old.writeBytes([1, 0] + [UInt8](repeating: 0, count: 20))
        let produced = try #require(try await connection.call(produceRequest(topic: "old", records: old), version: 2))
        let partition = try #require(produced.responses.first?.partitionResponses.first)
        #expect(partition.errorCode == KafkaErrorCode.unsupportedForMessageFormat.rawValue)
        try await listener.stop()
    }

    /// SaslHandshake v0 is followed by the raw PLAIN token (no SaslAuthenticate), as librdkafka
    /// before 2.11.1 may send it; the broker answers with an empty token and the session is on.
    @Test func saslHandshakeV0RawToken() async throws {
        let listener = try await KafkaTestListener.start(tokens: ["s3cret": .admin])
        let connection = try listener.connect()
        var handshake = KafkaProtocol.SaslHandshakeRequest()
        handshake.mechanism = "PLAIN"
        #expect(try await connection.call(handshake, version: 0)?.mechanisms == ["PLAIN"])
        let token: [UInt8] = [0] + Array("admin".utf8) + [0] + Array("s3cret".utf8)
        connection.raw.send([0, 0, 0, UInt8(token.count)] + token)
        #expect(await connection.raw.readFrame() == [])
        #expect(try await connection.call(metadataRequest([]), version: 12)?.brokers.count == 1)

        let wrong = try listener.connect()
        #expect(try await wrong.call(handshake, version: 0)?.errorCode == 0)
        let bad: [UInt8] = [0] + Array("admin".utf8) + [0] + Array("nope".utf8)
        wrong.raw.send([0, 0, 0, UInt8(bad.count)] + bad)
        #expect(await wrong.raw.readUntilClosed())
        try await listener.stop()
    }

    /// DeleteRecords refuses the committed offsets of `__consumer_offsets`, as Kafka refuses an
    /// internal topic, and deletes a user topic's records.
    @Test func deleteRecordsRefusesInternalTopics() async throws {
        let listener = try await KafkaTestListener.start()
        _ = try listener.broker.broker.createTopic("purge", partitions: 1)
        let connection = try listener.connect()
        _ = try await connection.call(
            produceRequest(
                topic: "purge", records: try batch([ProducerRecord(value: [1]), ProducerRecord(value: [2])])),
            version: 9)
        func request(_ topic: String) -> KafkaProtocol.DeleteRecordsRequest {
            var r = KafkaProtocol.DeleteRecordsRequest()
            var t = KafkaProtocol.DeleteRecordsRequest.DeleteRecordsTopic()
            t.name = topic
            var p = KafkaProtocol.DeleteRecordsRequest.DeleteRecordsPartition()
            p.partitionIndex = 0
            p.offset = 1
            t.partitions = [p]
            r.topics = [t]
            return r
        }
        let offsets = try #require(try await connection.call(request("__consumer_offsets"), version: 2))
        #expect(offsets.topics.first?.partitions.first?.errorCode == KafkaErrorCode.invalidTopicException.rawValue)
        let user = try #require(try await connection.call(request("purge"), version: 2))
        #expect(user.topics.first?.partitions.first?.errorCode == 0)
        #expect(user.topics.first?.partitions.first?.lowWatermark == 1)
        try await listener.stop()
    }

    /// acks=0 gets no response; a damaged batch is refused with CORRUPT_MESSAGE and nothing is stored.
    @Test func acksZeroAndCorruptBatches() async throws {
        let listener = try await KafkaTestListener.start()
        _ = try await listener.broker.client().createTopic("acks", partitions: 1)
        let connection = try listener.connect()
        try connection.send(
            produceRequest(topic: "acks", records: try batch([ProducerRecord(value: [1])]), acks: 0), version: 9)
        var damaged = try batch([ProducerRecord(value: [1, 2, 3])])
        damaged.setInteger(UInt8(0xFF), at: damaged.writerIndex - 1)
        // The next answer is the damaged batch's: acks=0 sent none.
        let refused = try #require(
            try await connection.call(produceRequest(topic: "acks", records: damaged), version: 9))
        #expect(refused.responses.first?.partitionResponses.first?.errorCode == KafkaErrorCode.corruptMessage.rawValue)
        #expect(listener.broker.broker.partitionCount(of: "acks") == 1)
        let read = try await listener.broker.client().fetch(topic: "acks", partition: 0, from: .offset(0))
        #expect(read.records.count == 1)
        try await listener.stop()
    }
}
