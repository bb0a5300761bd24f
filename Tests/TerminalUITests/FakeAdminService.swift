import AdminClient
import AdminProtocol
import KafkaHash
import Synchronization
import TopicConfigRules

@testable import TerminalUI

/// An in-memory broker for state tests. Partitions can be synthetic (records made on demand
/// from their offset), so a partition with millions of records costs nothing.
final class FakeAdminService: AdminService {
    struct Partition {
        var low: Int64 = 0
        /// Offsets `low ..< syntheticEnd` come from `synthetic`.
        var syntheticEnd: Int64 = 0
        var synthetic: (@Sendable (Int64) -> FetchedRecord)?
        /// Offsets from `syntheticEnd` on.
        var appended: [FetchedRecord] = []

        var high: Int64 { syntheticEnd + Int64(appended.count) }

        func record(at offset: Int64) -> FetchedRecord {
            offset < syntheticEnd ? synthetic!(offset) : appended[Int(offset - syntheticEnd)]
        }
    }

    struct Topic {
        var id: String
        var partitions: [Partition]
        var config: [ConfigEntry] = []
        var isInternal = false
    }

    struct Group {
        var state = "Empty"
        var members: [GroupMemberInfo] = []
        var offsets: [TopicPartitionRef: Int64] = [:]
    }

    struct Subscriber {
        var partitions: [SubscribePartition]
        var lagGroupId: String
        var continuation: AsyncThrowingStream<SubscriptionEvent, any Error>.Continuation
    }

    struct Store {
        var topics: [String: Topic] = [:]
        var groups: [String: Group] = [:]
        var unreachable = false
        var nowMs: Int64 = 1_714_564_800_000
        var subscribers: [Int: Subscriber] = [:]
        var nextSubscriber = 0
        var calls: [String] = []
        var fetches = 0
        /// Records one fetch returns at most, as a broker's byte cap would cut it; nil = no cap.
        var maxRecordsPerFetch: Int?
        var storage = DescribeStorageResponse(
            openSegmentFiles: 12, segmentFileLimit: 10_000, openFileLimit: 20_000, segmentFileOpens: 40,
            segmentFileEvictions: 0, diskReserveBytes: 4 << 20, diskReserveHeld: true, notices: [])
    }

    let store = Mutex(Store())
    static let address = "127.0.0.1:9292"

    // MARK: - Test controls

    func addTopic(_ name: String, partitions: [Partition], config: [ConfigEntry] = [], isInternal: Bool = false) {
        store.withLock {
            $0.topics[name] = Topic(
                id: "TOPIC-\(name.uppercased())", partitions: partitions, config: config, isInternal: isInternal)
        }
    }

    func addTopic(_ name: String, records: [[FetchedRecord]]) {
        addTopic(name, partitions: records.map { Partition(appended: $0) })
    }

    func setGroup(_ id: String, _ group: Group) {
        store.withLock { $0.groups[id] = group }
    }

    var unreachable: Bool {
        get { store.withLock { $0.unreachable } }
        set { store.withLock { $0.unreachable = newValue } }
    }

    /// What DescribeStorage answers.
    var storage: DescribeStorageResponse {
        get { store.withLock { $0.storage } }
        set { store.withLock { $0.storage = newValue } }
    }

    var calls: [String] { store.withLock { $0.calls } }
    var fetchCount: Int { store.withLock { $0.fetches } }
    /// Records one fetch returns at most (a broker's byte cap); nil = no cap.
    var maxRecordsPerFetch: Int? {
        get { store.withLock { $0.maxRecordsPerFetch } }
        set { store.withLock { $0.maxRecordsPerFetch = newValue } }
    }
    var subscriberCount: Int { store.withLock { $0.subscribers.count } }

    func committed(_ group: String, _ topic: String, _ partition: Int32) -> Int64? {
        store.withLock { $0.groups[group]?.offsets[TopicPartitionRef(topic: topic, partition: partition)] }
    }

    /// Appends records as a producer would (pushing them to live tails).
    @discardableResult
    func append(_ topic: String, partition: Int32, values: [String]) -> [ProducedOffset] {
        let records = values.map { ProduceRecord(partition: partition, key: nil, value: Array($0.utf8)) }
        return store.withLock { s in (try? Self.produce(&s, topic: topic, records: records)) ?? [] }
    }

    func pushLagSnapshot(_ groupId: String) {
        store.withLock { s in
            guard let d = try? Self.describe(s, groupId) else { return }
            for sub in s.subscribers.values where sub.lagGroupId == groupId {
                sub.continuation.yield(
                    .lagSnapshot(groupId: groupId, state: d.state, totalLag: d.totalLag, partitions: d.partitions))
            }
        }
    }

    /// Breaks every live stream as a lost connection would.
    func dropConnections() {
        let subscribers = store.withLock { s in
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        // Finished outside the lock: finishing runs onTermination, which takes the lock.
        for sub in subscribers {
            sub.continuation.finish(
                throwing: AdminClientError.connectionLost(address: Self.address, reason: "reset by peer"))
        }
    }

    // MARK: - AdminService

    private func enter(_ api: String) throws(AdminClientError) {
        let down = store.withLock { s in
            s.calls.append(api)
            return s.unreachable
        }
        if down { throw .unreachable(address: Self.address, reason: "connection refused") }
    }

    func describeStorage() async throws(AdminClientError) -> DescribeStorageResponse {
        try enter("describeStorage")
        return store.withLock { s in s.storage }
    }

    func clusterInfo() async throws(AdminClientError) -> ClusterInfoResponse {
        try enter("clusterInfo")
        return store.withLock { s in
            var info = ClusterInfoResponse(
                brokerId: 1, brokerVersion: "0.1.0", startedAtMs: s.nowMs - 93_784_000, uptimeMs: 93_784_000,
                dataDirectory: "./skiff-data", dataSizeBytes: 12_582_912, diskTotalBytes: 107_374_182_400,
                diskFreeBytes: 64_424_509_440, connectionCount: 3, topicCount: Int32(s.topics.count),
                partitionCount: Int32(s.topics.values.reduce(0) { $0 + $1.partitions.count }),
                groupCount: Int32(s.groups.count), producedRecords: 123_456, fetchedRecords: 65_432, produceRate: 12.5,
                fetchRate: 3.25)
            info.kafkaListener = "127.0.0.1:9092"
            return info
        }
    }

    func listTopics(includeInternal: Bool) async throws(AdminClientError) -> [TopicListing] {
        try enter("listTopics")
        return store.withLock { s in
            s.topics.keys.sorted().compactMap { name in
                let t = s.topics[name]!
                guard includeInternal || !t.isInternal else { return nil }
                let groups = s.groups.keys.sorted().filter { g in
                    s.groups[g]!.offsets.keys.contains { $0.topic == name }
                }
                return TopicListing(
                    name: name, partitionCount: Int32(t.partitions.count),
                    messageCount: t.partitions.reduce(0) { $0 + $1.high - $1.low },
                    sizeBytes: t.partitions.reduce(0) { $0 + ($1.high - $1.low) * 100 },
                    lastWriteTimeMs: t.partitions.map { $0.high > $0.low ? $0.record(at: $0.high - 1).timestampMs : -1 }
                        .max() ?? -1,
                    isInternal: t.isInternal, consumerGroups: groups)
            }
        }
    }

    func describeTopic(_ name: String) async throws(AdminClientError) -> DescribeTopicResponse {
        try enter("describeTopic")
        return try store.withLock { s throws(AdminClientError) in
            guard let t = s.topics[name] else {
                throw .broker(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            let partitions = t.partitions.enumerated().map { i, p in
                PartitionInfo(
                    partition: Int32(i), leader: 1, replicas: [1], inSyncReplicas: [1], logStartOffset: p.low,
                    highWatermark: p.high, sizeBytes: (p.high - p.low) * 100,
                    firstTimestampMs: p.high > p.low ? p.record(at: p.low).timestampMs : -1,
                    lastTimestampMs: p.high > p.low ? p.record(at: p.high - 1).timestampMs : -1)
            }
            let groups = s.groups.keys.sorted().compactMap { g -> TopicGroupLag? in
                let group = s.groups[g]!
                let mine = group.offsets.filter { $0.key.topic == name }
                guard !mine.isEmpty else { return nil }
                let lag = mine.reduce(Int64(0)) { sum, e in sum + t.partitions[Int(e.key.partition)].high - e.value }
                return TopicGroupLag(groupId: g, state: group.state, lag: lag)
            }
            return DescribeTopicResponse(
                name: name, topicId: t.id, isInternal: t.isInternal, config: t.config, partitions: partitions,
                consumerGroups: groups)
        }
    }

    func createTopic(
        _ name: String, partitions: Int32, config: [String: String], validateOnly: Bool
    ) async throws(AdminClientError) -> String {
        try enter("createTopic")
        return try store.withLock { s throws(AdminClientError) in
            if s.topics[name] != nil {
                throw .broker(code: .topicAlreadyExists, message: "topic '\(name)' already exists")
            }
            // The broker's own rules for every key and value.
            for (key, value) in config.sorted(by: { $0.key < $1.key }) {
                if case .failure(let problem) = TopicConfigKeys.check(key: key, value: value) {
                    throw .broker(code: .invalidConfig, message: problem.message(quote: { $0 }))
                }
            }
            s.topics[name] = Topic(
                id: "TOPIC-\(name.uppercased())", partitions: Array(repeating: Partition(), count: Int(partitions)),
                config: config.keys.sorted().map { ConfigEntry(key: $0, value: config[$0]!, isDefault: false) })
            return "TOPIC-\(name.uppercased())"
        }
    }

    func deleteTopic(_ name: String) async throws(AdminClientError) {
        try enter("deleteTopic")
        try store.withLock { s throws(AdminClientError) in
            guard s.topics.removeValue(forKey: name) != nil else {
                throw .broker(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
        }
    }

    func produce(topic: String, records: [ProduceRecord]) async throws(AdminClientError) -> [ProducedOffset] {
        try enter("produce")
        return try store.withLock { s throws(AdminClientError) in try Self.produce(&s, topic: topic, records: records) }
    }

    private static func produce(
        _ s: inout Store, topic: String, records: [ProduceRecord]
    ) throws(AdminClientError) -> [ProducedOffset] {
        guard var t = s.topics[topic] else {
            throw .broker(code: .unknownTopicOrPartition, message: "topic '\(topic)' does not exist")
        }
        var results: [ProducedOffset] = []
        for r in records {
            let p =
                r.partition >= 0
                ? r.partition
                : r.key.map { KafkaPartitioner.partition(forKey: $0, partitionCount: Int32(t.partitions.count)) } ?? 0
            guard t.partitions.indices.contains(Int(p)) else {
                throw .broker(code: .unknownTopicOrPartition, message: "partition \(p) of '\(topic)' does not exist")
            }
            s.nowMs += 1
            let record = FetchedRecord(
                offset: t.partitions[Int(p)].high, timestampMs: s.nowMs, key: r.key, value: r.value, headers: r.headers)
            t.partitions[Int(p)].appended.append(record)
            results.append(ProducedOffset(partition: p, offset: record.offset, timestampMs: record.timestampMs))
            for sub in s.subscribers.values
            where sub.partitions.contains(where: { $0.topic == topic && $0.partition == p }) {
                sub.continuation.yield(
                    .records(topic: topic, partition: p, highWatermark: t.partitions[Int(p)].high, records: [record]))
            }
        }
        s.topics[topic] = t
        return results
    }

    func fetch(
        topic: String, partition: Int32, from start: FetchStart, maxRecords: Int32, maxBytes: Int32
    ) async throws(AdminClientError) -> FetchResponse {
        try enter("fetch")
        return try store.withLock { s throws(AdminClientError) in
            s.fetches += 1
            guard let t = s.topics[topic], t.partitions.indices.contains(Int(partition)) else {
                throw .broker(code: .unknownTopicOrPartition, message: "no partition \(partition) of '\(topic)'")
            }
            let p = t.partitions[Int(partition)]
            var from: Int64
            switch start {
            case .earliest: from = p.low
            case .latest: from = p.high
            case .lastN(let n): from = max(p.low, p.high - n)
            case .offset(let o):
                guard o >= p.low && o <= p.high else {
                    throw .broker(code: .offsetOutOfRange, message: "offset \(o) is outside \(p.low)…\(p.high)")
                }
                from = o
            case .timestamp(let ts):
                // Timestamps grow with offsets in the fake: binary search.
                var lo = p.low
                var hi = p.high
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if p.record(at: mid).timestampMs < ts { lo = mid + 1 } else { hi = mid }
                }
                from = lo
            }
            let end = min(p.high, from + Int64(min(Int(maxRecords), s.maxRecordsPerFetch ?? .max)))
            let records = (from..<end).map { p.record(at: $0) }
            return FetchResponse(logStartOffset: p.low, highWatermark: p.high, records: records)
        }
    }

    func listGroups() async throws(AdminClientError) -> [GroupListing] {
        try enter("listGroups")
        return store.withLock { s in
            s.groups.keys.sorted().map { id in
                let g = s.groups[id]!
                let d = try? Self.describe(s, id)
                return GroupListing(
                    groupId: id, state: g.state, memberCount: Int32(g.members.count),
                    topics: Array(Set(g.offsets.keys.map(\.topic))).sorted(), totalLag: d?.totalLag ?? 0)
            }
        }
    }

    func describeGroup(_ groupId: String) async throws(AdminClientError) -> DescribeGroupResponse {
        try enter("describeGroup")
        return try store.withLock { s throws(AdminClientError) in try Self.describe(s, groupId) }
    }

    private static func describe(_ s: Store, _ groupId: String) throws(AdminClientError) -> DescribeGroupResponse {
        guard let g = s.groups[groupId] else {
            throw .broker(code: .groupIdNotFound, message: "consumer group '\(groupId)' does not exist")
        }
        let rows = g.offsets.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { ref in
            let p = s.topics[ref.topic]!.partitions[Int(ref.partition)]
            let committed = g.offsets[ref]!
            let member = g.members.first { $0.assignment.contains(ref) }?.memberId ?? ""
            let timeLag = committed < p.high ? s.nowMs - p.record(at: max(p.low, committed)).timestampMs : 0
            return GroupPartitionInfo(
                topic: ref.topic, partition: ref.partition, committedOffset: committed, logStartOffset: p.low,
                highWatermark: p.high, lag: p.high - committed, timeLagMs: timeLag, memberId: member,
                commitTimestampMs: s.nowMs - 1_000, metadata: "")
        }
        return DescribeGroupResponse(
            groupId: groupId, state: g.state, generation: g.members.isEmpty ? 0 : 3,
            assignor: g.members.isEmpty ? "" : "range", leaderId: g.members.first?.memberId ?? "", members: g.members,
            partitions: rows, totalLag: rows.reduce(0) { $0 + $1.lag })
    }

    func resetGroupOffsets(
        _ groupId: String, topics: [String], partitions: [TopicPartitionRef], to target: ResetTarget, dryRun: Bool
    ) async throws(AdminClientError) -> [OffsetResetInfo] {
        try enter(dryRun ? "resetGroupOffsets(dryRun)" : "resetGroupOffsets")
        return try store.withLock { s throws(AdminClientError) in
            guard var g = s.groups[groupId] else {
                throw .broker(code: .groupIdNotFound, message: "consumer group '\(groupId)' does not exist")
            }
            guard g.members.isEmpty else {
                throw .broker(
                    code: .nonEmptyGroup,
                    message: "consumer group '\(groupId)' has active members; stop its consumers first")
            }
            var plan: [OffsetResetInfo] = []
            // As the broker: whole topics and single partitions, or every partition with an offset.
            var scope = Set(partitions)
            for topic in topics {
                guard let t = s.topics[topic] else {
                    throw .broker(code: .unknownTopicOrPartition, message: "topic '\(topic)' does not exist")
                }
                scope.formUnion(t.partitions.indices.map { TopicPartitionRef(topic: topic, partition: Int32($0)) })
            }
            if topics.isEmpty && partitions.isEmpty { scope = Set(g.offsets.keys) }
            for ref in scope.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
                guard let t = s.topics[ref.topic], t.partitions.indices.contains(Int(ref.partition)) else {
                    throw .broker(
                        code: .unknownTopicOrPartition,
                        message: "topic '\(ref.topic)' has no partition \(ref.partition)")
                }
                let p = t.partitions[Int(ref.partition)]
                let old = g.offsets[ref] ?? -1
                let new: Int64
                switch target {
                case .earliest: new = p.low
                case .latest: new = p.high
                case .offset(let o): new = min(max(o, p.low), p.high)
                case .shift(let n): new = min(max((old < 0 ? p.low : old) + n, p.low), p.high)
                case .timestamp(let ts):
                    new = (p.low..<p.high).first { p.record(at: $0).timestampMs >= ts } ?? p.high
                }
                plan.append(OffsetResetInfo(topic: ref.topic, partition: ref.partition, oldOffset: old, newOffset: new))
                if !dryRun { g.offsets[ref] = new }
            }
            s.groups[groupId] = g
            return plan
        }
    }

    func commitOffsets(
        groupId: String, memberId: String, generation: Int32, offsets: [CommitOffset]
    ) async throws(AdminClientError) {
        try enter("commitOffsets")
        try store.withLock { s throws(AdminClientError) in
            var g = s.groups[groupId] ?? Group()
            guard memberId.isEmpty && generation == -1 && g.members.isEmpty else {
                throw .broker(
                    code: .nonEmptyGroup,
                    message: "consumer group '\(groupId)' has active members; stop its consumers first")
            }
            for o in offsets { g.offsets[TopicPartitionRef(topic: o.topic, partition: o.partition)] = o.offset }
            s.groups[groupId] = g
        }
    }

    /// Kafka's defaults of the keys the demo topics describe, for AlterTopicConfig's deletes.
    static let configDefaults = [
        "cleanup.policy": "delete", "max.message.bytes": "1048588", "retention.bytes": "-1",
        "retention.ms": "604800000", "segment.bytes": "1073741824",
    ]

    func alterTopicConfig(_ name: String, set: [String: String], delete: [String]) async throws(AdminClientError) {
        try enter("alterTopicConfig")
        try store.withLock { s throws(AdminClientError) in
            guard var t = s.topics[name] else {
                throw .broker(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            for (key, value) in set.sorted(by: { $0.key < $1.key }) {
                if case .failure(let problem) = TopicConfigKeys.check(key: key, value: value) {
                    throw .broker(code: .invalidConfig, message: problem.message(quote: { $0 }))
                }
                t.config.removeAll { $0.key == key }
                t.config.append(ConfigEntry(key: key, value: value, isDefault: false))
            }
            for key in delete {
                t.config.removeAll { $0.key == key }
                t.config.append(ConfigEntry(key: key, value: Self.configDefaults[key] ?? "", isDefault: true))
            }
            t.config.sort { $0.key < $1.key }
            s.topics[name] = t
        }
    }

    func addPartitions(_ name: String, totalCount: Int32) async throws(AdminClientError) {
        try enter("addPartitions")
        try store.withLock { s throws(AdminClientError) in
            guard var t = s.topics[name] else {
                throw .broker(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            guard Int(totalCount) > t.partitions.count else {
                throw .broker(
                    code: .invalidPartitions,
                    message: "topic '\(name)' has \(t.partitions.count) partitions; the new count must be larger")
            }
            t.partitions += Array(repeating: Partition(), count: Int(totalCount) - t.partitions.count)
            s.topics[name] = t
        }
    }

    func deleteRecords(
        topic: String, partitions: [DeleteRecordsPartition]
    ) async throws(AdminClientError) -> [DeleteRecordsResult] {
        try enter("deleteRecords")
        return try store.withLock { s throws(AdminClientError) in
            guard var t = s.topics[topic] else {
                throw .broker(code: .unknownTopicOrPartition, message: "topic '\(topic)' does not exist")
            }
            let results = partitions.map { dp -> DeleteRecordsResult in
                guard t.partitions.indices.contains(Int(dp.partition)) else {
                    return DeleteRecordsResult(
                        partition: dp.partition, error: .unknownTopicOrPartition,
                        message: "topic '\(topic)' has no partition \(dp.partition)")
                }
                var p = t.partitions[Int(dp.partition)]
                let target = dp.offset < 0 ? p.high : dp.offset
                guard target <= p.high else {
                    return DeleteRecordsResult(
                        partition: dp.partition, error: .offsetOutOfRange,
                        message: "offset \(target) is past the high watermark \(p.high)")
                }
                p.low = max(p.low, target)
                t.partitions[Int(dp.partition)] = p
                return DeleteRecordsResult(partition: dp.partition, lowWatermark: p.low)
            }
            s.topics[topic] = t
            return results
        }
    }

    func deleteGroup(_ groupId: String) async throws(AdminClientError) {
        try enter("deleteGroup")
        try store.withLock { s throws(AdminClientError) in
            guard let g = s.groups[groupId] else {
                throw .broker(code: .groupIdNotFound, message: "consumer group '\(groupId)' does not exist")
            }
            guard g.members.isEmpty else {
                throw .broker(
                    code: .nonEmptyGroup,
                    message: "consumer group '\(groupId)' has active members; stop its consumers first")
            }
            s.groups[groupId] = nil
        }
    }

    func subscribe(
        partitions: [SubscribePartition], lagGroupId: String, lagInterval: Duration
    ) async throws(AdminClientError) -> AsyncThrowingStream<SubscriptionEvent, any Error> {
        try enter("subscribe")
        let (stream, continuation) = AsyncThrowingStream<SubscriptionEvent, any Error>.makeStream()
        let id = store.withLock { s in
            defer { s.nextSubscriber += 1 }
            s.subscribers[s.nextSubscriber] = Subscriber(
                partitions: partitions, lagGroupId: lagGroupId, continuation: continuation)
            // Backlog from fromOffset, as the broker sends it.
            for sp in partitions where sp.fromOffset >= 0 {
                guard let p = s.topics[sp.topic]?.partitions[Int(sp.partition)], sp.fromOffset < p.high else {
                    continue
                }
                let records = (max(sp.fromOffset, p.low)..<p.high).map { p.record(at: $0) }
                continuation.yield(
                    .records(topic: sp.topic, partition: sp.partition, highWatermark: p.high, records: records))
            }
            if !lagGroupId.isEmpty, let d = try? Self.describe(s, lagGroupId) {
                continuation.yield(
                    .lagSnapshot(groupId: lagGroupId, state: d.state, totalLag: d.totalLag, partitions: d.partitions))
            }
            return s.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.store.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// A search as the broker runs it: every condition on the key, value or headers of each record
    /// of the range, matches pushed partition by partition, progress every 1,000 offsets, then done.
    func search(
        _ request: SearchRequest
    ) async throws(AdminClientError) -> (totalOffsets: Int64, events: AsyncThrowingStream<SubscriptionEvent, any Error>)
    {
        try enter("search")
        guard let topic = store.withLock({ $0.topics[request.topic] }) else {
            throw .broker(code: .unknownTopicOrPartition, message: "topic '\(request.topic)' does not exist")
        }
        let partitions = request.partitions.isEmpty ? Array(0..<Int32(topic.partitions.count)) : request.partitions
        let ranges = partitions.map { p -> (Int32, Int64, Int64) in
            let part = topic.partitions[Int(p)]
            let from = request.fromOffset == -2 ? part.low : max(part.low, request.fromOffset)
            let to = request.toOffset == -1 ? part.high : min(part.high, request.toOffset)
            return (p, from, max(from, to))
        }
        let total = ranges.reduce(0) { $0 + $1.2 - $1.1 }
        let (stream, continuation) = AsyncThrowingStream<SubscriptionEvent, any Error>.makeStream()
        func matches(_ r: FetchedRecord) -> Bool {
            if request.fromTimestampMs >= 0 && r.timestampMs < request.fromTimestampMs { return false }
            if request.toTimestampMs >= 0 && r.timestampMs > request.toTimestampMs { return false }
            return request.conditions.allSatisfy { c in
                let fields: [[UInt8]?] =
                    switch c.field {
                    case .key: [r.key]
                    case .value: [r.value]
                    case .header: r.headers.filter { $0.key == c.headerKey }.map(\.value)
                    }
                if c.match == .isNull { return c.field == .header ? fields.isEmpty : fields.first! == nil }
                return fields.contains { bytes in
                    guard var b = bytes else { return false }
                    var p = c.pattern
                    if c.ignoreCase {
                        b = Array(String(decoding: b, as: UTF8.self).lowercased().utf8)
                        p = Array(String(decoding: p, as: UTF8.self).lowercased().utf8)
                    }
                    switch c.match {
                    case .equals: return b == p
                    case .prefix: return b.starts(with: p)
                    case .contains: return p.isEmpty || b.indices.contains { b[$0...].starts(with: p) }
                    case .isNull: return false
                    }
                }
            }
        }
        var scanned: Int64 = 0
        var found: Int64 = 0
        for (p, from, to) in ranges {
            var batch: [FetchedRecord] = []
            for offset in from..<to {
                let r = topic.partitions[Int(p)].record(at: offset)
                scanned += 1
                if matches(r) {
                    batch.append(r)
                    found += 1
                }
                if scanned % 1_000 == 0 {
                    continuation.yield(.searchProgress(scannedOffsets: scanned, totalOffsets: total, matches: found))
                }
                if found >= Int64(request.maxResults) { break }
            }
            if !batch.isEmpty {
                continuation.yield(
                    .records(
                        topic: request.topic, partition: p, highWatermark: topic.partitions[Int(p)].high, records: batch
                    ))
            }
            if found >= Int64(request.maxResults) {
                continuation.yield(
                    .searchDone(
                        scannedOffsets: scanned, matches: found, complete: false,
                        reason: "stopped at \(request.maxResults) matches (the limit)"))
                continuation.finish()
                return (total, stream)
            }
        }
        continuation.yield(.searchDone(scannedOffsets: scanned, matches: found, complete: true, reason: ""))
        continuation.finish()
        return (total, stream)
    }
}
