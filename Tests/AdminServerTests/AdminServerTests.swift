import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import Foundation
import NIOCore
import Testing

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func expectBrokerError(
    _ code: AdminErrorCode, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code.name)", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? AdminClientError)?.brokerErrorCode == code, "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite(.timeLimit(.minutes(2)))
struct AdminServerTests {
    /// The handshake succeeds and ClusterInfo reports the broker's id, version, data dir and this connection.
    @Test func handshakeAndClusterInfo() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let info = try await client.clusterInfo()
        #expect(info.brokerId == 0)
        #expect(info.brokerVersion == SkiffVersion.current)
        #expect(info.dataDirectory == broker.dataDirectory)
        #expect(info.connectionCount >= 1)
        #expect(info.topicCount == 1)  // __consumer_offsets
        #expect(info.diskTotalBytes > 0)
        #expect(try await client.brokerVersion() == SkiffVersion.current)
        await client.close()
        try await broker.stop()
    }

    /// Topics are created, listed, described, altered, grown and deleted through the protocol.
    @Test func topicLifecycle() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        let id = try await client.createTopic("prices", partitions: 3, config: ["retention.ms": "60000"])
        #expect(UUID(uuidString: id) != nil)
        #expect(try await client.listTopics().map(\.name) == ["prices"])
        #expect(try await client.listTopics(includeInternal: true).map(\.name) == ["__consumer_offsets", "prices"])
        var d = try await client.describeTopic("prices")
        #expect(d.topicId == id)
        #expect(d.partitions.count == 3)
        #expect(
            d.config.first { $0.key == "retention.ms" }
                == ConfigEntry(key: "retention.ms", value: "60000", isDefault: false))
        #expect(d.config.first { $0.key == "segment.bytes" }?.isDefault == true)
        try await client.alterTopicConfig("prices", set: ["segment.bytes": "1048576"], delete: ["retention.ms"])
        try await client.addPartitions("prices", totalCount: 5)
        d = try await client.describeTopic("prices")
        #expect(d.partitions.count == 5)
        #expect(d.config.first { $0.key == "retention.ms" }?.isDefault == true)
        #expect(d.config.first { $0.key == "segment.bytes" }?.value == "1048576")
        // Validate-only creates nothing.
        let none = try await client.createTopic("dry", partitions: 1, validateOnly: true)
        #expect(none.isEmpty)
        #expect(try await client.listTopics().map(\.name) == ["prices"])
        try await client.deleteTopic("prices")
        #expect(try await client.listTopics().isEmpty)
        await client.close()
        try await broker.stop()
    }

    /// Bad input gets Kafka's error codes and sentences; the connection keeps working afterwards.
    @Test func errorsAreCodedAndReadable() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        await expectBrokerError(.invalidTopicException) { try await client.createTopic("../etc", partitions: 1) }
        await expectBrokerError(.invalidPartitions) { try await client.createTopic("zero", partitions: 0) }
        await expectBrokerError(.invalidConfig) { try await client.createTopic("c", partitions: 1, config: ["x": "1"]) }
        await expectBrokerError(.unknownTopicOrPartition) { _ = try await client.describeTopic("missing") }
        try await client.createTopic("t", partitions: 1)
        await expectBrokerError(.topicAlreadyExists) { try await client.createTopic("t", partitions: 1) }
        await expectBrokerError(.unknownTopicOrPartition) {
            _ = try await client.fetch(topic: "t", partition: 7, from: .earliest)
        }
        await expectBrokerError(.offsetOutOfRange) {
            _ = try await client.fetch(topic: "t", partition: 0, from: .offset(5))
        }
        await expectBrokerError(.invalidRequest) {
            _ = try await client.fetch(topic: "t", partition: 0, from: .earliest, maxRecords: 0)
        }
        await expectBrokerError(.groupIdNotFound) { _ = try await client.describeGroup("nobody") }
        do {
            try await client.createTopic("bad/name", partitions: 1)
        } catch {
            #expect("\(error)".contains("'/' is not allowed"))
        }
        // Still fine.
        #expect(try await client.listTopics().map(\.name) == ["t"])
        await client.close()
        try await broker.stop()
    }

    /// Keyed produce lands where Kafka's Java client would put it; fetch by offset, timestamp,
    /// earliest, latest and last N returns the right records with watermarks and headers.
    @Test func produceAndFetch() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("streams-intro", partitions: 3)
        let t0 = Int64(Date().timeIntervalSince1970 * 1000) - 10_000
        let results = try await client.produce(
            topic: "streams-intro",
            records: (0..<5).map { i in
                ProduceRecord(
                    partition: -1, key: bytes(i % 2 == 0 ? "foo" : "bar"), value: bytes("v\(i)"),
                    headers: [HeaderData(key: "n", value: bytes("\(i)")), HeaderData(key: "null", value: nil)],
                    timestampMs: t0 + Int64(i))
            })
        #expect(results.filter { $0.partition == 2 }.map(\.offset) == [0, 1, 2])  // "foo" → 2
        let p2 = try await client.fetch(topic: "streams-intro", partition: 2, from: .earliest)
        #expect(p2.records.map(\.value) == [bytes("v0"), bytes("v2"), bytes("v4")])
        #expect(
            p2.records[1].headers == [HeaderData(key: "n", value: bytes("2")), HeaderData(key: "null", value: nil)])
        #expect(p2.records[1].timestampMs == t0 + 2)
        #expect(p2.logStartOffset == 0 && p2.highWatermark == 3)
        let byTime = try await client.fetch(topic: "streams-intro", partition: 2, from: .timestamp(t0 + 1))
        #expect(byTime.records.first?.offset == 1)
        let last = try await client.fetch(topic: "streams-intro", partition: 2, from: .lastN(2))
        #expect(last.records.map(\.offset) == [1, 2])
        let latest = try await client.fetch(topic: "streams-intro", partition: 2, from: .latest)
        #expect(latest.records.isEmpty && latest.highWatermark == 3)
        let limited = try await client.fetch(topic: "streams-intro", partition: 2, from: .offset(0), maxRecords: 2)
        #expect(limited.records.count == 2)
        // A null key and value survive the round trip; explicit partitions are honoured.
        let r = try await client.produce(
            topic: "streams-intro",
            records: [ProduceRecord(partition: 1, key: nil, value: nil, headers: [], timestampMs: -1)])
        #expect(r.first?.partition == 1)
        let p1 = try await client.fetch(topic: "streams-intro", partition: 1, from: .offset(r[0].offset))
        #expect(p1.records.first?.key == nil && p1.records.first?.value == nil)
        await client.close()
        try await broker.stop()
    }

    /// Many requests issued at once on one connection are pipelined and each gets its own answer.
    @Test func pipelinedRequests() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("pipe", partitions: 4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let p = Int32(i % 4)
                    let r = try await client.produce(
                        topic: "pipe",
                        records: [
                            ProduceRecord(partition: p, key: nil, value: bytes("\(i)"), headers: [], timestampMs: -1)
                        ])
                    #expect(r.first?.partition == p)
                }
            }
            try await group.waitForAll()
        }
        let d = try await client.describeTopic("pipe")
        #expect(d.partitions.map(\.highWatermark) == [50, 50, 50, 50])
        // Requests pipelined in order on one partition get increasing offsets in issue order
        // because one connection's requests are handled in order.
        var offsets: [Int64] = []
        for i in 0..<20 {
            let r = try await client.produce(
                topic: "pipe",
                records: [ProduceRecord(partition: 0, key: nil, value: bytes("o\(i)"), headers: [], timestampMs: -1)])
            offsets.append(r[0].offset)
        }
        #expect(offsets == Array(50..<70))
        await client.close()
        try await broker.stop()
    }

    /// Three consumers on a two-partition topic: every partition is owned exactly once, one member is idle.
    @Test func rebalanceThreeConsumersTwoPartitions() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let admin = broker.client()
        try await admin.createTopic("orders", partitions: 2)
        _ = try await admin.produce(
            topic: "orders",
            records: (0..<10).map {
                ProduceRecord(partition: Int32($0 % 2), key: nil, value: bytes("o\($0)"), headers: [], timestampMs: -1)
            })
        let consumers = (0..<3).map { i in
            GroupConsumer(
                client: broker.client(name: "c\(i)"), groupId: "order-execution", topics: ["orders"], clientId: "c\(i)",
                autoOffsetReset: .earliest, sessionTimeoutMs: 6_000, heartbeatInterval: .milliseconds(50))
        }
        // Poll all three until the group is stable with all three members.
        var consumed = 0
        var description: DescribeGroupResponse?
        var lastSeen: DescribeGroupResponse?
        for _ in 0..<400 {
            for c in consumers { consumed += try await c.poll().count }
            let d = try await admin.describeGroup("order-execution")
            lastSeen = d
            if d.state == "Stable" && d.members.count == 3 && consumed == 10 {
                description = d
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let d = try #require(description, "consumed \(consumed); last seen \(String(describing: lastSeen))")
        let assigned = d.members.flatMap(\.assignment).sorted { $0.partition < $1.partition }
        #expect(
            assigned == [
                TopicPartitionRef(topic: "orders", partition: 0), TopicPartitionRef(topic: "orders", partition: 1),
            ])
        #expect(d.members.filter { $0.assignment.isEmpty }.count == 1)
        #expect(d.members.allSatisfy { $0.clientHost == "127.0.0.1" })
        // Commit, then a member leaves: the group rebalances to a new generation with two members.
        for c in consumers { try await c.commit() }
        let generation = d.generation
        await consumers[0].close()
        var after: DescribeGroupResponse?
        for _ in 0..<400 {
            for c in consumers.dropFirst() { _ = try await c.poll() }
            let d2 = try await admin.describeGroup("order-execution")
            if d2.state == "Stable" && d2.members.count == 2 {
                after = d2
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let d2 = try #require(after)
        #expect(d2.generation > generation)
        #expect(d2.members.flatMap(\.assignment).count == 2)
        #expect(d2.totalLag == 0)
        for c in consumers { await c.close() }
        let final = try await admin.describeGroup("order-execution")
        #expect(final.state == "Empty")
        #expect(final.partitions.map(\.committedOffset) == [5, 5])
        await admin.close()
        try await broker.stop()
    }

    /// Offset reset through the protocol: a dry run changes nothing, execute does; refused while members are active.
    @Test func resetOffsetsAndDeleteGroup() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 1)
        _ = try await client.produce(
            topic: "prices",
            records: (0..<10).map {
                ProduceRecord(partition: 0, key: nil, value: [UInt8($0)], headers: [], timestampMs: -1)
            })
        try await client.commitOffsets(
            groupId: "g", offsets: [CommitOffset(topic: "prices", partition: 0, offset: 7, metadata: "")])
        let plan = try await client.resetGroupOffsets("g", to: .earliest, dryRun: true)
        #expect(plan == [OffsetResetInfo(topic: "prices", partition: 0, oldOffset: 7, newOffset: 0)])
        #expect(try await client.fetchOffsets(groupId: "g").first?.offset == 7)
        _ = try await client.resetGroupOffsets("g", to: .shift(-2), dryRun: false)
        #expect(try await client.fetchOffsets(groupId: "g").first?.offset == 5)
        let g = try await client.describeGroup("g")
        #expect(g.partitions.first?.lag == 5)
        #expect(try await client.listGroups().first { $0.groupId == "g" }?.totalLag == 5)
        // An active member blocks resets and deletes.
        let member = GroupConsumer(
            client: broker.client(), groupId: "g", topics: ["prices"], heartbeatInterval: .milliseconds(50))
        _ = try await member.poll()
        await expectBrokerError(.nonEmptyGroup) {
            _ = try await client.resetGroupOffsets("g", to: .latest, dryRun: false)
        }
        await expectBrokerError(.nonEmptyGroup) { try await client.deleteGroup("g") }
        await member.close()
        try await client.deleteGroup("g")
        #expect(try await client.listGroups().contains { $0.groupId == "g" } == false)
        await client.close()
        try await broker.stop()
    }

    /// Subscribe pushes records as they are appended (live tail) and lag snapshots at an interval.
    @Test func subscriptionsPushRecordsAndLag() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 2)
        _ = try await client.produce(
            topic: "prices",
            records: [ProduceRecord(partition: 0, key: nil, value: bytes("old"), headers: [], timestampMs: -1)])
        try await client.commitOffsets(
            groupId: "watch", offsets: [CommitOffset(topic: "prices", partition: 0, offset: 0, metadata: "")])
        let stream = try await client.subscribe(
            partitions: [SubscribePartition(topic: "prices", partition: 0, fromOffset: -1)], lagGroupId: "watch",
            lagInterval: .milliseconds(100))
        let producer = broker.client()
        Task {
            for i in 0..<3 {
                _ = try await producer.produce(
                    topic: "prices",
                    records: [
                        ProduceRecord(partition: 0, key: nil, value: bytes("new\(i)"), headers: [], timestampMs: -1)
                    ])
            }
        }
        var values: [String] = []
        var sawLag = false
        for try await event in stream {
            switch event {
            case .records(_, let partition, _, let records):
                #expect(partition == 0)
                values += records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            case .lagSnapshot(let group, _, let totalLag, _):
                #expect(group == "watch")
                sawLag = sawLag || totalLag >= 1
            case .ended(let reason):
                Issue.record("subscription ended: \(reason)")
            case .searchProgress, .searchDone:
                Issue.record("a search event on a subscription: \(event)")
            }
            if values.count >= 3 && sawLag { break }
        }
        #expect(values == ["new0", "new1", "new2"])  // from the high watermark: "old" is not replayed
        await producer.close()
        await client.close()
        try await broker.stop()
    }

    /// A restarted broker keeps topics, records and committed offsets, and the client reconnects by itself.
    @Test func restartKeepsDataAndClientReconnects() async throws {
        let first = try await TestBroker()
        defer { first.removeData() }
        let client = first.client()
        try await client.createTopic("orders", partitions: 2)
        _ = try await client.produce(
            topic: "orders",
            records: (0..<6).map {
                ProduceRecord(partition: Int32($0 % 2), key: nil, value: [UInt8($0)], headers: [], timestampMs: -1)
            })
        try await client.commitOffsets(
            groupId: "g", offsets: [CommitOffset(topic: "orders", partition: 1, offset: 2, metadata: "m")])
        try await first.stop()
        await #expect(throws: AdminClientError.self) { _ = try await client.listTopics() }
        let second = try await TestBroker(dataDirectory: first.dataDirectory)
        let again = second.client()
        let d = try await again.describeTopic("orders")
        #expect(d.partitions.map(\.highWatermark) == [3, 3])
        #expect(try await again.fetchOffsets(groupId: "g").first { $0.partition == 1 }?.offset == 2)
        #expect(try await again.fetch(topic: "orders", partition: 1, from: .offset(2)).records.first?.value == [5])
        await client.close()
        await again.close()
        try await second.stop()
    }

    /// A member whose connection drops without leaving is expired by its session timeout and
    /// the group rebalances without it.
    @Test func droppedMemberIsExpiredBySessionTimeout() async throws {
        var groups = GroupCoordinatorConfig()
        groups.minSessionTimeoutMs = 200
        let broker = try await TestBroker(groups: groups)
        defer { broker.removeData() }
        let admin = broker.client()
        try await admin.createTopic("t", partitions: 1)
        let vanishing = broker.client(name: "vanishing")
        let member = try await vanishing.joinGroup(
            JoinGroupRequest(
                groupId: "g", memberId: "", clientId: "vanishing", sessionTimeoutMs: 2_000, rebalanceTimeoutMs: 2_000,
                topics: ["t"], assignor: ""))
        let joined = try await admin.describeGroup("g")
        #expect(joined.members.map(\.memberId) == [member.memberId])
        await vanishing.close()  // no LeaveGroup: the connection just goes away
        var state = ""
        for _ in 0..<200 {
            do {
                let d = try await admin.describeGroup("g")
                state = d.state
                if d.members.isEmpty { break }
            } catch {
                // Expired, then forgotten because it had no committed offsets.
                #expect(error.brokerErrorCode == .groupIdNotFound, "\(error)")
                state = "Dead"
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(state == "Empty" || state == "Dead")
        await admin.close()
        try await broker.stop()
    }

    /// An unreachable broker gives the sentence a person needs, naming the address and `skiff broker`.
    @Test func unreachableBrokerMessage() async throws {
        // Bind and close a listener to find a port nobody listens on.
        let broker = try await TestBroker()
        let port = broker.port
        try await broker.stop()
        broker.removeData()
        let client = AdminClient(host: "127.0.0.1", port: port, timeout: .seconds(2))
        do {
            _ = try await client.listTopics()
            Issue.record("expected an error")
        } catch {
            #expect(error.isConnectionProblem)
            #expect(
                error.description
                    == "cannot reach broker at 127.0.0.1:\(port): connection refused — start one with `skiff broker`")
        }
    }
}
