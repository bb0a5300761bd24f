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

    func subscribe(_ request: SubscribeRequest, subscriptionId: UInt32) throws(HandlerError) -> SubscribeResponse {
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
                                    start, topicIds: ids, id: subscriptionId, context: context, outbound: outbound)
                            }
                        }
                        if !lagGroupId.isEmpty {
                            group.addTask {
                                await Self.lagSnapshots(
                                    lagGroupId, every: lagIntervalMs, id: subscriptionId, context: context,
                                    outbound: outbound)
                                return nil
                            }
                        }
                        let first = await group.next() ?? nil
                        group.cancelAll()
                        return first
                    }
                    guard let reason, !Task.isCancelled else { return }
                    self?.remove(subscriptionId, token: token)
                    await Self.push(.ended(reason: reason), id: subscriptionId, outbound: outbound)
                })
        }
        return SubscribeResponse(subscriptionId: subscriptionId)
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
        _ start: [TopicPartition: Int64], topicIds: [String: UUID], id: UInt32, context: RequestContext,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
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
                    guard await push(event, id: id, outbound: outbound) else { return nil }
                }
            }
        }
        return nil
    }

    private static func lagSnapshots(
        _ groupId: String, every intervalMs: Int32, id: UInt32, context: RequestContext,
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
            guard await push(event, id: id, outbound: outbound) else { return }
            try? await Task.sleep(for: .milliseconds(Int(intervalMs)))
        }
    }

    /// Writes one push frame; false when the connection is gone.
    @discardableResult
    private static func push(
        _ event: SubscriptionEvent, id: UInt32, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async -> Bool {
        do {
            try await outbound.write(AdminFrame.encodePush(subscriptionId: id, event: event))
            return true
        } catch {
            return false
        }
    }
}
