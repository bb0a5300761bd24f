import AdminProtocol
import BrokerCore
import Foundation
import NIOCore
import Synchronization

/// Subscribe (key 19) and Unsubscribe (key 20): the live tail and lag snapshots a connection
/// follows. Each subscription is a task that pushes `records` events when the partitions it
/// follows grow (woken by the ``AppendNotifier``, not by polling) and `lagSnapshot` events at
/// its interval. Pushes go through the connection's writer, which suspends while the socket's
/// write buffer is above its high-water mark, so a client that does not read holds at most one
/// event plus the channel's buffer in memory and resumes where it stopped.
///
/// A new subscription waits until ``startPending()``: the connection calls it once the Subscribe
/// response is written, so the response is always on the wire before the first push (section 4.20).
/// A subscription the broker ends (its topic went away) gives up its place on the connection before
/// its `ended` event is written, and nothing of it is pushed after that event.
final class SubscriptionSet: Sendable {
    private let context: RequestContext
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let subscriptions = Mutex<[UInt32: Subscription]>([:])
    /// Tells apart two subscriptions that had the same id one after the other.
    private let nextToken = Atomic<UInt64>(0)

    /// A subscription before and after its response is written.
    private struct Subscription {
        enum State {
            /// Accepted; its pushes start with ``SubscriptionSet/startPending()``.
            case pending(@Sendable () async -> Void)
            /// Pushing.
            case running(Task<Void, Never>)
        }
        var token: UInt64
        var state: State
    }

    /// Records per push event, and bytes (about) per push event.
    static let recordsPerEvent = 500
    static let bytesPerEvent = 256 << 10

    init(context: RequestContext, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.context = context
        self.outbound = outbound
    }

    /// Accepts a subscription whose events are written at `version` (that of its request).
    func subscribe(
        _ request: SubscribeRequest, subscriptionId: UInt32, version: UInt16
    ) throws(HandlerError) -> SubscribeResponse {
        let config = context.config
        guard !request.partitions.isEmpty || !request.lagGroupId.isEmpty else {
            throw HandlerError(.invalidRequest, "a subscription needs partitions to follow or a group's lag")
        }
        guard request.partitions.count <= config.maxPartitionsPerSubscription else {
            throw HandlerError(
                .tooManyRequests,
                "a subscription may follow at most \(config.maxPartitionsPerSubscription) partitions")
        }
        if !request.lagGroupId.isEmpty {
            try context.require(request.lagIntervalMs, in: 100...60_000, "lagIntervalMs")
        }
        // Resolve start positions now, so errors (unknown partition) answer the request itself. The
        // topic id is taken first: a topic recreated after it is caught on the first pass.
        var positions: [TopicPartition: Int64] = [:]
        var topicIds: [String: UUID] = [:]
        for p in request.partitions {
            if topicIds[p.topic] == nil {
                guard let id = context.backend.topicId(of: p.topic) else {
                    throw HandlerError(BrokerError.unknownTopicOrPartition(topic: p.topic, partition: nil))
                }
                topicIds[p.topic] = id
            }
            let tp = TopicPartition(topic: p.topic, partition: p.partition)
            guard let high = context.backend.highWatermark(tp) else {
                throw HandlerError(BrokerError.unknownTopicOrPartition(topic: p.topic, partition: p.partition))
            }
            positions[tp] = p.fromOffset < 0 ? high : p.fromOffset
        }
        try subscriptions.withLock { (subscriptions) throws(HandlerError) in
            guard subscriptions[subscriptionId] == nil else {
                throw HandlerError(.invalidRequest, "subscription \(subscriptionId) already exists on this connection")
            }
            guard subscriptions.count < config.maxSubscriptionsPerConnection else {
                throw HandlerError(
                    .tooManyRequests,
                    "a connection may hold at most \(config.maxSubscriptionsPerConnection) subscriptions")
            }
            let context = self.context
            let outbound = self.outbound
            let start = positions
            let ids = topicIds
            let lagGroupId = request.lagGroupId
            let lagIntervalMs = request.lagIntervalMs
            let token = nextToken.add(1, ordering: .relaxed).newValue
            subscriptions[subscriptionId] = Subscription(
                token: token,
                state: .pending { [weak self] in
                    // The parts run until one of them ends the subscription: the tail with a reason,
                    // either with nil when cancelled or the connection is gone. The rest then stops.
                    let reason = await withTaskGroup(of: String?.self) { group in
                        if !start.isEmpty {
                            group.addTask {
                                await Self.tail(
                                    start, topicIds: ids, id: subscriptionId, version: version, context: context,
                                    outbound: outbound)
                            }
                        }
                        if !lagGroupId.isEmpty {
                            group.addTask {
                                await Self.lagSnapshots(
                                    lagGroupId, every: lagIntervalMs, id: subscriptionId, version: version,
                                    context: context, outbound: outbound)
                                return nil
                            }
                        }
                        let first = await group.next() ?? nil
                        group.cancelAll()
                        return first
                    }
                    guard let reason, !Task.isCancelled else { return }
                    self?.remove(subscriptionId, token: token)
                    await Self.push(.ended(reason: reason), id: subscriptionId, version: version, outbound: outbound)
                })
        }
        return SubscribeResponse(subscriptionId: subscriptionId)
    }

    /// Search (key 23): scans a topic's records where they are and pushes the matches (`records`
    /// events), `searchProgress` at the request's interval and one `searchDone` at the end; it is a
    /// subscription of the connection (Unsubscribe cancels it, the per-connection limit applies).
    ///
    /// Its events are written at `version` (that of its request).
    func search(_ request: SearchRequest, searchId: UInt32, version: UInt16) throws(HandlerError) -> SearchResponse {
        let config = context.config
        try context.require(request.maxResults, in: 1...10_000, "maxResults")
        try context.require(request.progressIntervalMs, in: 100...10_000, "progressIntervalMs")
        guard request.conditions.count <= 16 else {
            throw HandlerError(.invalidRequest, "a search may have at most 16 conditions")
        }
        for condition in request.conditions where condition.pattern.count > 64 << 10 {
            throw HandlerError(
                .invalidRequest, "a search pattern may be at most 64 KiB, got \(condition.pattern.count) bytes")
        }
        guard request.fromOffset >= -2, request.toOffset >= -1 else {
            throw HandlerError(.invalidRequest, "fromOffset must be -2 or an offset, toOffset -1 or an offset")
        }
        let backend = context.backend
        guard let topicId = backend.topicId(of: request.topic), let count = backend.partitionCount(of: request.topic)
        else { throw HandlerError(BrokerError.unknownTopicOrPartition(topic: request.topic, partition: nil)) }
        let partitions = request.partitions.isEmpty ? Array(0..<count) : request.partitions
        guard Set(partitions).count == partitions.count else {
            throw HandlerError(.invalidRequest, "a partition is given twice")
        }
        var ranges: [(tp: TopicPartition, from: Int64, to: Int64)] = []
        for p in partitions {
            let tp = TopicPartition(topic: request.topic, partition: p)
            let range = try context.call { () throws(BrokerError) -> (Int64, Int64) in
                let low = try backend.offset(tp, for: .earliest)
                let high = try backend.offset(tp, for: .latest)
                var from = request.fromOffset == -2 ? low : min(max(request.fromOffset, low), high)
                var to = request.toOffset == -1 ? high : min(max(request.toOffset, low), high)
                if request.fromTimestampMs >= 0 {
                    from = max(from, try backend.offset(tp, for: .timestamp(request.fromTimestampMs)))
                }
                if request.toTimestampMs >= 0 && request.toTimestampMs < Int64.max {
                    to = min(to, try backend.offset(tp, for: .timestamp(request.toTimestampMs + 1)))
                }
                return (from, max(from, to))
            }
            ranges.append((tp, range.0, range.1))
        }
        let total = ranges.reduce(0) { $0 + ($1.to - $1.from) }
        let filter = RecordFilter(
            conditions: request.conditions.map(RecordFilter.Condition.init),
            fromTimestamp: request.fromTimestampMs >= 0 ? request.fromTimestampMs : nil,
            toTimestamp: request.toTimestampMs >= 0 ? request.toTimestampMs : nil)
        let frozen = ranges
        let context = self.context
        let outbound = self.outbound
        let maxResults = Int64(request.maxResults)
        let interval = Duration.milliseconds(Int(request.progressIntervalMs))
        let topic = request.topic
        try register(searchId, limit: config.maxSubscriptionsPerConnection) { [weak self] token in
            let done = await Self.scan(
                frozen, topic: topic, topicId: topicId, filter: filter, maxResults: maxResults, total: total,
                progressEvery: interval, id: searchId, version: version, context: context, outbound: outbound)
            guard let done, !Task.isCancelled else { return }
            self?.remove(searchId, token: token)
            await Self.push(done, id: searchId, version: version, outbound: outbound)
        }
        return SearchResponse(searchId: searchId, totalOffsets: total)
    }

    /// Accepts a pending subscription under `id` (its body starts with ``startPending()``).
    private func register(
        _ id: UInt32, limit: Int, _ body: @escaping @Sendable (_ token: UInt64) async -> Void
    ) throws(HandlerError) {
        try subscriptions.withLock { (subscriptions) throws(HandlerError) in
            guard subscriptions[id] == nil else {
                throw HandlerError(.invalidRequest, "subscription \(id) already exists on this connection")
            }
            guard subscriptions.count < limit else {
                throw HandlerError(.tooManyRequests, "a connection may hold at most \(limit) subscriptions")
            }
            let token = nextToken.add(1, ordering: .relaxed).newValue
            subscriptions[id] = Subscription(token: token, state: .pending { await body(token) })
        }
    }

    /// Scans `ranges` in order, pushing matches, until done, cancelled (nil) or the connection is
    /// gone (nil); returns the `searchDone` event to push.
    private static func scan(
        _ ranges: [(tp: TopicPartition, from: Int64, to: Int64)], topic: String, topicId: UUID, filter: RecordFilter,
        maxResults: Int64, total: Int64, progressEvery interval: Duration, id: UInt32, version: UInt16,
        context: RequestContext, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async -> SubscriptionEvent? {
        var scanned: Int64 = 0
        var matches: Int64 = 0
        var skipped: [String] = []
        var lastProgress = ContinuousClock.now
        func done(complete: Bool, _ reason: String) -> SubscriptionEvent {
            .searchDone(scannedOffsets: scanned, matches: matches, complete: complete, reason: reason)
        }
        for (tp, from, to) in ranges {
            var position = from
            while position < to {
                if Task.isCancelled { return nil }
                if context.backend.topicId(of: topic) != topicId {
                    return done(complete: false, "topic '\(topic)' was deleted")
                }
                let result: FetchResult
                do {
                    result = try context.backend.fetch(
                        tp, from: position, maxRecords: Int(min(to - position, 2_000)), maxBytes: 4 << 20)
                } catch .corruptBatch(let corrupt) {
                    let next = min(max(position + 1, corrupt.damage.lastOffset + 1), to)
                    skipped.append("\(tp) offsets \(position)–\(next - 1) (damaged)")
                    scanned += next - position
                    position = next
                    continue
                } catch .offsetOutOfRange(_, _, let low, _) where position < low {
                    // Retention moved past the position while the search ran.
                    scanned += min(low, to) - position
                    position = min(low, to)
                    continue
                } catch {
                    return done(complete: false, error.description)
                }
                guard let last = result.records.last else { break }
                var found: [FetchedRecord] = []
                for record in result.records where record.offset < to && filter.matches(record) {
                    found.append(FetchedRecord(record))
                    if matches + Int64(found.count) >= maxResults { break }
                }
                let next = min(last.offset + 1, to)
                if let cut = found.last, matches + Int64(found.count) >= maxResults {
                    scanned += cut.offset + 1 - position
                } else {
                    scanned += next - position
                }
                position = next
                for chunk in stride(from: 0, to: found.count, by: recordsPerEvent) {
                    let event = SubscriptionEvent.records(
                        topic: tp.topic, partition: tp.partition, highWatermark: result.highWatermark,
                        records: Array(found[chunk..<min(chunk + recordsPerEvent, found.count)]))
                    guard await push(event, id: id, version: version, outbound: outbound) else { return nil }
                }
                matches += Int64(found.count)
                if matches >= maxResults {
                    return done(complete: false, "stopped at \(maxResults) matches (the limit)")
                }
                if ContinuousClock.now - lastProgress >= interval {
                    lastProgress = ContinuousClock.now
                    let progress = SubscriptionEvent.searchProgress(
                        scannedOffsets: scanned, totalOffsets: total, matches: matches)
                    guard await push(progress, id: id, version: version, outbound: outbound) else { return nil }
                }
                await Task.yield()
            }
        }
        if !skipped.isEmpty {
            return done(complete: false, "skipped \(skipped.joined(separator: ", "))")
        }
        return done(complete: true, "")
    }

    /// Forgets a subscription that ended by itself, unless the id is another subscription's by now.
    private func remove(_ id: UInt32, token: UInt64) {
        subscriptions.withLock { subscriptions in
            if subscriptions[id]?.token == token { subscriptions[id] = nil }
        }
    }

    /// Starts pushing for the subscriptions accepted since the last call. Call it after writing
    /// their Subscribe response: a push written before the response would reach a client that
    /// does not know the subscription yet.
    func startPending() {
        subscriptions.withLock { subscriptions in
            for (id, subscription) in subscriptions {
                guard case .pending(let body) = subscription.state else { continue }
                subscriptions[id]?.state = .running(Task { await body() })
            }
        }
    }

    func unsubscribe(_ request: UnsubscribeRequest) throws(HandlerError) -> UnsubscribeResponse {
        guard let subscription = subscriptions.withLock({ $0.removeValue(forKey: request.subscriptionId) }) else {
            throw HandlerError(.invalidRequest, "no subscription \(request.subscriptionId) on this connection")
        }
        if case .running(let task) = subscription.state { task.cancel() }
        return UnsubscribeResponse()
    }

    func cancelAll() {
        let all = subscriptions.withLock { subscriptions in
            defer { subscriptions.removeAll() }
            return Array(subscriptions.values)
        }
        for subscription in all {
            if case .running(let task) = subscription.state { task.cancel() }
        }
    }

    // MARK: - Push loops

    /// Pushes the records of `start`'s partitions as they arrive, until cancelled (or the
    /// connection is gone: nil) or until one of their topics is no longer the topic it was
    /// (deleted, or deleted and recreated: `topicIds` holds each topic's id when the subscription
    /// began) or cannot be read: then it returns the reason that ends the subscription.
    private static func tail(
        _ start: [TopicPartition: Int64], topicIds: [String: UUID], id: UInt32, version: UInt16,
        context: RequestContext, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async -> String? {
        var positions = start
        let topics = topicIds.keys.sorted()
        let registration = context.notifier.register(Set(start.keys))
        defer { context.notifier.unregister(registration.id) }
        // A slow safety tick catches what no append or deletion here signals: retention moving the
        // low watermark, a topic deleted straight on the broker.
        let interval = context.config.subscriptionRecheckInterval
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                registration.continuation.yield()
            }
        }
        defer { ticker.cancel() }
        /// Why `topic` can no longer be followed, or nil while it is the topic the tail began on.
        func gone(_ topic: String) -> String? {
            guard let current = context.backend.topicId(of: topic) else { return "topic '\(topic)' was deleted" }
            return current == topicIds[topic] ? nil : "topic '\(topic)' was deleted and recreated (topic id changed)"
        }
        registration.continuation.yield()  // a first pass sends what is already there
        for await _ in registration.stream {
            if Task.isCancelled { return nil }
            var progressed = true
            while progressed && !Task.isCancelled {
                progressed = false
                if let reason = topics.lazy.compactMap(gone).first { return reason }
                for tp in positions.keys.sorted() {
                    let position = positions[tp]!
                    let result: FetchResult
                    do {
                        result = try context.backend.fetch(
                            tp, from: position, maxRecords: recordsPerEvent, maxBytes: bytesPerEvent)
                    } catch .offsetOutOfRange(_, _, let start, let end) {
                        // The range may be another topic's now; otherwise retention moved past us (or
                        // the log was cut): continue from the nearest valid offset.
                        if let reason = gone(tp.topic) { return reason }
                        positions[tp] = position < start ? start : end
                        progressed = true
                        continue
                    } catch {
                        return gone(tp.topic) ?? error.description
                    }
                    guard let last = result.records.last else { continue }
                    // Checked after the read: records read from a topic recreated in between are not pushed.
                    if let reason = gone(tp.topic) { return reason }
                    positions[tp] = last.offset + 1
                    progressed = true
                    let event = SubscriptionEvent.records(
                        topic: tp.topic, partition: tp.partition, highWatermark: result.highWatermark,
                        records: result.records.map(FetchedRecord.init))
                    guard await push(event, id: id, version: version, outbound: outbound) else { return nil }
                }
            }
        }
        return nil
    }

    private static func lagSnapshots(
        _ groupId: String, every intervalMs: Int32, id: UInt32, version: UInt16, context: RequestContext,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async {
        while !Task.isCancelled {
            let event: SubscriptionEvent
            do {
                let d = try context.backend.groups.describeGroup(groupId)
                event = .lagSnapshot(
                    groupId: groupId, state: d.state.rawValue, totalLag: d.totalLag,
                    partitions: d.partitions.map(GroupPartitionInfo.init))
            } catch {
                event = .lagSnapshot(groupId: groupId, state: GroupState.dead.rawValue, totalLag: 0, partitions: [])
            }
            guard await push(event, id: id, version: version, outbound: outbound) else { return }
            try? await Task.sleep(for: .milliseconds(Int(intervalMs)))
        }
    }

    /// Writes one push frame of a subscription opened at `version`; false when the connection is gone.
    @discardableResult
    private static func push(
        _ event: SubscriptionEvent, id: UInt32, version: UInt16, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async -> Bool {
        do {
            try await outbound.write(AdminFrame.encodePush(subscriptionId: id, event: event, version: version))
            return true
        } catch {
            return false
        }
    }
}

extension RecordFilter.Condition {
    /// The core's form of a wire search condition.
    init(_ c: SearchCondition) {
        let field: RecordFilter.Field
        switch c.field {
        case .key: field = .key
        case .value: field = .value
        case .header: field = .header(c.headerKey)
        }
        let match: RecordFilter.Match
        switch c.match {
        case .contains: match = .contains
        case .equals: match = .equals
        case .prefix: match = .prefix
        case .isNull: match = .isNull
        }
        self.init(field: field, match: match, pattern: c.pattern, ignoreCase: c.ignoreCase)
    }
}
