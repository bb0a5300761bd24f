import BrokerCore
import Logging
import Synchronization

/// A fake topic catalogue: per partition a log start offset, a high watermark, and record
/// timestamps `firstTimestamp + offset * msPerRecord`.
final class FakeTopicMetadata: GroupTopicMetadata {
    struct Partition {
        var logStartOffset: Int64 = 0
        var highWatermark: Int64 = 0
        var firstTimestamp: Int64 = 1_700_000_000_000
        var msPerRecord: Int64 = 1000
    }

    private let topics = Mutex<[String: [Partition]]>([:])

    init(_ topics: [String: Int32] = [:]) {
        for (name, count) in topics {
            addTopic(name, partitions: count)
        }
    }

    func addTopic(_ name: String, partitions: Int32, logStartOffset: Int64 = 0, highWatermark: Int64 = 0) {
        let partition = Partition(logStartOffset: logStartOffset, highWatermark: highWatermark)
        topics.withLock { $0[name] = Array(repeating: partition, count: Int(partitions)) }
    }

    func removeTopic(_ name: String) {
        topics.withLock { $0[name] = nil }
    }

    func setPartition(_ topicPartition: TopicPartition, _ update: (inout Partition) -> Void) {
        topics.withLock { update(&$0[topicPartition.topic]![Int(topicPartition.partition)]) }
    }

    private func partition(_ topicPartition: TopicPartition) -> Partition? {
        topics.withLock { topics in
            guard let partitions = topics[topicPartition.topic], topicPartition.partition >= 0,
                Int(topicPartition.partition) < partitions.count
            else { return nil }
            return partitions[Int(topicPartition.partition)]
        }
    }

    func partitionCount(of topic: String) -> Int32? {
        topics.withLock { $0[topic].map { Int32($0.count) } }
    }

    func logStartOffset(of partition: TopicPartition) -> Int64? {
        self.partition(partition)?.logStartOffset
    }

    func highWatermark(of partition: TopicPartition) -> Int64? {
        self.partition(partition)?.highWatermark
    }

    func offset(for spec: OffsetSpec, in topicPartition: TopicPartition) throws(BrokerError) -> Int64 {
        guard let partition = partition(topicPartition) else {
            throw .unknownTopicOrPartition(topic: topicPartition.topic, partition: topicPartition.partition)
        }
        switch spec {
        case .earliest:
            return partition.logStartOffset
        case .latest:
            return partition.highWatermark
        case .offset(let offset):
            return max(partition.logStartOffset, min(offset, partition.highWatermark))
        case .timestamp(let time):
            for offset in partition.logStartOffset..<partition.highWatermark
            where partition.firstTimestamp + offset * partition.msPerRecord >= time {
                return offset
            }
            return partition.highWatermark
        }
    }

    func timestampOfRecord(at offset: Int64, in topicPartition: TopicPartition) -> Int64? {
        guard let partition = partition(topicPartition), offset >= partition.logStartOffset,
            offset < partition.highWatermark
        else { return nil }
        return partition.firstTimestamp + offset * partition.msPerRecord
    }
}

/// An offset store whose appends fail while `failing` is set.
final class FailingOffsetStore: OffsetStore {
    let inner = InMemoryOffsetStore()
    let failing = Atomic<Bool>(false)

    func append(_ entries: [OffsetCommitEntry]) throws(BrokerError) {
        if failing.load(ordering: .relaxed) {
            throw .storage("disk full")
        }
        try inner.append(entries)
    }

    func loadAll() throws(BrokerError) -> [OffsetCommitEntry] {
        try inner.loadAll()
    }
}

/// Captures log lines and their metadata.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in CapturingLogHandler(sink: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.lines.withLock {
            $0.append(CapturedLogs.Line(level: event.level, message: "\(event.message)", metadata: merged))
        }
    }
}

/// A quiet logger.
let silentLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Limits low enough for tests: sessions from 1 ms.
let testConfig: GroupCoordinatorConfig = {
    var config = GroupCoordinatorConfig()
    config.minSessionTimeoutMs = 1
    return config
}()

/// A coordinator, its clock, store and metadata, with helpers to drive members.
struct GroupHarness {
    let clock = ManualClock()
    let store: any OffsetStore
    let metadata: FakeTopicMetadata
    let coordinator: GroupCoordinator

    init(
        topics: [String: Int32] = ["t0": 3, "t1": 3], store: any OffsetStore = InMemoryOffsetStore(),
        config: GroupCoordinatorConfig = testConfig, logger: Logger = silentLogger
    ) throws {
        self.store = store
        metadata = FakeTopicMetadata(topics)
        coordinator = try GroupCoordinator(
            clock: clock, offsetStore: store, metadata: metadata, config: config, logger: logger)
    }

    /// A second coordinator over the same store and metadata, as after a restart.
    func restarted() throws -> GroupCoordinator {
        try GroupCoordinator(
            clock: clock, offsetStore: store, metadata: metadata, config: testConfig, logger: silentLogger)
    }

    /// Joins a new member with a 10 s session and a 5 s rebalance timeout.
    func join(
        _ group: String = "g", client: String, topics: [String] = ["t0", "t1"], memberId: String? = nil,
        assignor: PartitionAssignorName? = nil
    ) throws -> JoinResult {
        try coordinator.join(
            groupId: group, memberId: memberId, clientId: client, clientHost: "/127.0.0.1",
            sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5_000, topics: topics, assignor: assignor)
    }

    /// Heartbeats and returns the assignment, failing the test when there is none.
    func assignment(_ memberId: String, generation: Int32, group: String = "g") throws -> MemberAssignment? {
        guard
            case .assigned(let assignment) = try coordinator.heartbeat(
                groupId: group, memberId: memberId, generation: generation)
        else { return nil }
        return assignment
    }

    func state(_ group: String = "g") throws -> GroupState {
        try coordinator.describeGroup(group).state
    }
}
