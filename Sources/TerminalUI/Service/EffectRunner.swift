import AdminClient
import AdminProtocol
import Synchronization

/// Actions finished by effect tasks, waiting for the UI loop: the lock-protected hand-over box
/// between concurrent network tasks and the single-threaded loop.
public final class ActionInbox: Sendable {
    private let queue = Mutex<[Action]>([])

    /// An empty inbox.
    public init() {}

    /// Adds an action (from any task).
    public func post(_ action: Action) {
        queue.withLock { $0.append(action) }
    }

    /// Takes every waiting action, oldest first.
    public func drain() -> [Action] {
        queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}

/// Performs effects against an ``AdminService`` and posts their results to an ``ActionInbox``.
/// One-shot effects run as tasks; subscriptions run until ``Effect/unsubscribe(id:)`` or
/// ``cancelAll()``. The runner never retries: the state decides (backoff lives in ``update(_:_:)``).
public final class EffectRunner: Sendable {
    /// The broker.
    public let service: any AdminService
    /// Where results go.
    public let inbox: ActionInbox
    /// How often lag snapshots are pushed.
    public let lagInterval: Duration
    /// The broker's address, for errors the runner words itself.
    public let brokerAddress: String
    private let tasks = Mutex<[Int: Task<Void, Never>]>([:])

    /// A runner posting to `inbox`.
    public init(
        service: any AdminService, inbox: ActionInbox = ActionInbox(), lagInterval: Duration = .seconds(1),
        brokerAddress: String = "the broker"
    ) {
        self.service = service
        self.inbox = inbox
        self.lagInterval = lagInterval
        self.brokerAddress = brokerAddress
    }

    /// Starts `effect`; its result arrives in the inbox later.
    public func run(_ effect: Effect) {
        switch effect {
        case .quit, .copyToClipboard:
            return
        case .unsubscribe(let id):
            let task = tasks.withLock { $0.removeValue(forKey: id) }
            task?.cancel()
        case .search(let id, let request):
            let service = self.service
            let inbox = self.inbox
            let address = brokerAddress
            let task = Task {
                await Self.search(id: id, request: request, service: service, inbox: inbox, address: address)
            }
            tasks.withLock { $0[id] = task }
        case .subscribe(let id, let partitions, let lagGroupId):
            let service = self.service
            let inbox = self.inbox
            let interval = lagInterval
            let address = brokerAddress
            let task = Task {
                await Self.follow(
                    id: id, partitions: partitions, lagGroupId: lagGroupId, interval: interval, service: service,
                    inbox: inbox, address: address)
            }
            tasks.withLock { $0[id] = task }
        default:
            let inbox = self.inbox
            Task { [self] in
                for action in await perform(effect) { inbox.post(action) }
            }
        }
    }

    /// Stops every subscription.
    public func cancelAll() {
        let all = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        for task in all { task.cancel() }
    }

    private static func follow(
        id: Int, partitions: [SubscribePartition], lagGroupId: String, interval: Duration, service: any AdminService,
        inbox: ActionInbox, address: String
    ) async {
        do {
            let stream = try await service.subscribe(
                partitions: partitions, lagGroupId: lagGroupId, lagInterval: interval)
            for try await event in stream {
                inbox.post(.subscriptionEvent(id: id, event))
                if case .ended = event { return }
            }
            if !Task.isCancelled {
                inbox.post(
                    .subscriptionFailed(id: id, .connectionLost(address: address, reason: "the live stream ended")))
            }
        } catch let error as AdminClientError {
            if !Task.isCancelled { inbox.post(.subscriptionFailed(id: id, error)) }
        } catch {
            if !Task.isCancelled {
                inbox.post(.subscriptionFailed(id: id, .connectionLost(address: address, reason: "\(error)")))
            }
        }
    }

    private static func search(
        id: Int, request: SearchRequest, service: any AdminService, inbox: ActionInbox, address: String
    ) async {
        do {
            let (total, events) = try await service.search(request)
            inbox.post(.searchStarted(id: id, totalOffsets: total))
            for try await event in events {
                inbox.post(.subscriptionEvent(id: id, event))
                if event.isFinal { return }
            }
            if !Task.isCancelled {
                inbox.post(.subscriptionFailed(id: id, .connectionLost(address: address, reason: "the search ended")))
            }
        } catch let error as AdminClientError {
            if !Task.isCancelled { inbox.post(.subscriptionFailed(id: id, error)) }
        } catch {
            if !Task.isCancelled {
                inbox.post(.subscriptionFailed(id: id, .connectionLost(address: address, reason: "\(error)")))
            }
        }
    }

    /// Performs a one-shot effect and returns the actions it results in (subscriptions excluded).
    public func perform(_ effect: Effect) async -> [Action] {
        let s = service
        switch effect {
        case .loadTopics:
            return [
                .topicsLoaded(
                    await result { () async throws(AdminClientError) in try await s.listTopics(includeInternal: true) })
            ]
        case .describeTopic(let name):
            return [
                .topicDescribed(
                    name: name, await result { () async throws(AdminClientError) in try await s.describeTopic(name) })
            ]
        case .fetchMessages(let fetch):
            return [
                .messagesFetched(
                    requestId: fetch.requestId,
                    await result { () async throws(AdminClientError) in try await Self.fetch(fetch, service: s) })
            ]
        case .produce(let topic, let records):
            return [
                .produced(
                    topic: topic,
                    await result { () async throws(AdminClientError) in
                        try await s.produce(topic: topic, records: records)
                    })
            ]
        case .createTopic(let name, let partitions, let config):
            return [
                .topicCreated(
                    name: name,
                    await result { () async throws(AdminClientError) in
                        try await s.createTopic(name, partitions: partitions, config: config, validateOnly: false)
                    })
            ]
        case .deleteTopic(let name):
            let r = await result { () async throws(AdminClientError) in try await s.deleteTopic(name) }
            return [.topicDeleted(name: name, error: r.failure)]
        case .loadGroups:
            return [.groupsLoaded(await result { () async throws(AdminClientError) in try await s.listGroups() })]
        case .describeGroup(let id):
            return [
                .groupDescribed(
                    groupId: id, await result { () async throws(AdminClientError) in try await s.describeGroup(id) })
            ]
        case .resetOffsets(let id, let scope, let target, let dryRun):
            return [
                .offsetsReset(
                    groupId: id, dryRun: dryRun,
                    await result { () async throws(AdminClientError) in
                        try await s.resetGroupOffsets(
                            id, topics: scope.topics, partitions: scope.partitions, to: target, dryRun: dryRun)
                    })
            ]
        case .restoreOffsets(let id, let offsets):
            let r = await result { () async throws(AdminClientError) in
                try await s.commitOffsets(groupId: id, memberId: "", generation: -1, offsets: offsets)
            }
            return [.offsetsRestored(groupId: id, count: offsets.count, error: r.failure)]
        case .loadClusterInfo:
            async let storage = result { () async throws(AdminClientError) in try await s.describeStorage() }
            let info = await result { () async throws(AdminClientError) in try await s.clusterInfo() }
            return [.clusterInfoLoaded(info), .storageLoaded(await storage)]
        case .saveRecords(let path, let request):
            return [.recordsSaved(path: path, await RecordFile.save(request, to: path, service: s))]
        case .alterTopicConfig(let topic, let set, let delete):
            let r = await result { () async throws(AdminClientError) in
                try await s.alterTopicConfig(topic, set: set, delete: delete)
            }
            return [.topicConfigAltered(topic: topic, set: set, delete: delete, error: r.failure)]
        case .addPartitions(let topic, let totalCount):
            let r = await result { () async throws(AdminClientError) in
                try await s.addPartitions(topic, totalCount: totalCount)
            }
            return [.partitionsAdded(topic: topic, totalCount: totalCount, error: r.failure)]
        case .deleteRecords(let topic, let partitions):
            return [
                .recordsDeleted(
                    topic: topic,
                    await result { () async throws(AdminClientError) in
                        try await s.deleteRecords(topic: topic, partitions: partitions)
                    })
            ]
        case .deleteGroup(let id):
            let r = await result { () async throws(AdminClientError) in try await s.deleteGroup(id) }
            return [.groupDeleted(groupId: id, error: r.failure)]
        case .subscribe, .search, .unsubscribe, .quit, .copyToClipboard:
            return []
        }
    }

    /// Fetches every partition of a page concurrently. A start offset that retention has
    /// deleted in the meantime is retried from the oldest record.
    static func fetch(
        _ fetch: MessageFetch, service: any AdminService
    ) async throws(AdminClientError) -> [FetchedPartition] {
        let results = await withTaskGroup(of: (Int, Result<FetchedPartition, AdminClientError>).self) { group in
            for (i, part) in fetch.partitions.enumerated() {
                group.addTask {
                    (
                        i,
                        await result { () async throws(AdminClientError) in
                            try await fetchOne(fetch.topic, part, service: service)
                        }
                    )
                }
            }
            var all: [(Int, Result<FetchedPartition, AdminClientError>)] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var out: [FetchedPartition] = []
        for r in results {
            switch r {
            case .success(let p): out.append(p)
            case .failure(let e): throw e
            }
        }
        return out
    }

    private static func fetchOne(
        _ topic: String, _ part: PartitionFetch, service: any AdminService
    ) async throws(AdminClientError) -> FetchedPartition {
        let response: FetchResponse
        do {
            response = try await service.fetch(
                topic: topic, partition: part.partition, from: part.start, maxRecords: max(1, part.maxRecords),
                maxBytes: 4 << 20)
        } catch  where error.brokerErrorCode == .offsetOutOfRange {
            response = try await service.fetch(
                topic: topic, partition: part.partition, from: .earliest, maxRecords: max(1, part.maxRecords),
                maxBytes: 4 << 20)
        }
        return FetchedPartition(
            partition: part.partition, logStartOffset: response.logStartOffset, highWatermark: response.highWatermark,
            records: response.records)
    }
}

/// Runs `body` and captures its typed error.
func result<T>(_ body: () async throws(AdminClientError) -> T) async -> Result<T, AdminClientError> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

extension Result {
    /// The error, when failed.
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
