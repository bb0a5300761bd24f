import BrokerCore
import Foundation
import KafkaProtocol
import Logging
import NIOCore
import TopicConfigRules

/// What a Kafka request handler may use.
struct KafkaRequestContext: Sendable {
    let server: KafkaServer
    let backend: any BrokerBackend
    let notifier: AppendNotifier
    let logger: Logger
    let remoteHost: String

    var config: KafkaListenerConfig { server.config }
}

/// The APIs the Kafka listener serves and the versions it advertises. The ranges include the
/// exact versions older librdkafka (before 2.11.1, as in kcat 1.7.1) needs to switch features on:
/// Produce 3 and Fetch 4 (record batches), ListOffsets 1, Produce 7 + Fetch 10 (zstd).
enum KafkaApis {
    static let supported: [KafkaApiKey: ClosedRange<Int16>] = [
        // Produce from 0: librdkafka before 2.11.1 compresses with gzip and snappy only when the
        // broker has Produce 0 (its feature check), though it then sends v3+ record batches.
        // Versions 0-2 carry the old message format, which Skiff refuses per partition.
        .produce: 0...11,
        .fetch: 4...12,
        .listOffsets: 1...7,
        .metadata: 0...12,
        .offsetForLeaderEpoch: 2...4,
        .apiVersions: 0...3,
        .createTopics: 2...7,
        .deleteTopics: 1...6,
        .deleteRecords: 0...2,
        .describeConfigs: 0...4,
        .alterConfigs: 0...2,
        .describeLogDirs: 1...4,
        // v0 (SASL tokens sent raw after it) for librdkafka before 2.11.1, which needs it to
        // start SASL at all, though it authenticates with SaslAuthenticate when offered.
        .saslHandshake: 0...1,
        .saslAuthenticate: 0...2,
        .createPartitions: 0...3,
        .incrementalAlterConfigs: 0...1,
        .describeCluster: 0...1,
        .findCoordinator: 0...4,
    ]

    static func apiVersionsResponse() -> ApiVersionsResponse {
        var response = ApiVersionsResponse()
        response.apiKeys = supported.keys.sorted { $0.rawValue < $1.rawValue }.map { api in
            var v = ApiVersionsResponse.ApiVersion()
            v.apiKey = api.rawValue
            v.minVersion = supported[api]!.lowerBound
            v.maxVersion = supported[api]!.upperBound
            return v
        }
        return response
    }
}

/// One function per API: decode, call the broker, encode.
enum KafkaHandlers {
    static func dispatch(
        _ api: KafkaApiKey, header: RequestHeader, body: inout ByteBuffer, reply: KafkaReply,
        session: inout KafkaServer.Session, context: KafkaRequestContext
    ) async throws -> KafkaServer.Outcome {
        let v = header.requestApiVersion
        let readOnly = session.role == .readOnly
        switch api {
        case .apiVersions:
            _ = try ApiVersionsRequest(from: &body, version: v)
            return .respond(try reply.frame(KafkaApis.apiVersionsResponse()))
        case .saslHandshake:
            let request = try SaslHandshakeRequest(from: &body, version: v)
            var response = SaslHandshakeResponse()
            response.mechanisms = ["PLAIN"]
            if request.mechanism == "PLAIN" {
                session.saslMechanism = "PLAIN"
                // After a v0 handshake the client sends its token raw, not in a SaslAuthenticate.
                session.rawSaslTokenExpected = v == 0
            } else {
                response.errorCode = KafkaErrorCode.unsupportedSaslMechanism.rawValue
            }
            return .respond(try reply.frame(response))
        case .saslAuthenticate:
            let request = try SaslAuthenticateRequest(from: &body, version: v)
            return try authenticate(request, reply: reply, session: &session, context: context)
        case .metadata:
            let request = try MetadataRequest(from: &body, version: v)
            return .respond(try reply.frame(metadata(request, version: v, readOnly: readOnly, context: context)))
        case .produce:
            let request = try ProduceRequest(from: &body, version: v)
            let response = produce(request, readOnly: readOnly, context: context)
            return request.acks == 0 ? .noResponse : .respond(try reply.frame(response))
        case .fetch:
            let request = try FetchRequest(from: &body, version: v)
            return .respond(try reply.frame(await fetch(request, context: context)))
        case .listOffsets:
            let request = try ListOffsetsRequest(from: &body, version: v)
            return .respond(try reply.frame(listOffsets(request, version: v, context: context)))
        case .offsetForLeaderEpoch:
            let request = try OffsetForLeaderEpochRequest(from: &body, version: v)
            return .respond(try reply.frame(offsetForLeaderEpoch(request, context: context)))
        case .createTopics:
            let request = try CreateTopicsRequest(from: &body, version: v)
            return .respond(try reply.frame(createTopics(request, readOnly: readOnly, context: context)))
        case .deleteTopics:
            let request = try DeleteTopicsRequest(from: &body, version: v)
            return .respond(try reply.frame(deleteTopics(request, readOnly: readOnly, context: context)))
        case .createPartitions:
            let request = try CreatePartitionsRequest(from: &body, version: v)
            return .respond(try reply.frame(createPartitions(request, readOnly: readOnly, context: context)))
        case .deleteRecords:
            let request = try DeleteRecordsRequest(from: &body, version: v)
            return .respond(try reply.frame(deleteRecords(request, readOnly: readOnly, context: context)))
        case .describeConfigs:
            let request = try DescribeConfigsRequest(from: &body, version: v)
            return .respond(try reply.frame(KafkaConfigs.describe(request, version: v, context: context)))
        case .alterConfigs:
            let request = try AlterConfigsRequest(from: &body, version: v)
            return .respond(try reply.frame(KafkaConfigs.alter(request, readOnly: readOnly, context: context)))
        case .incrementalAlterConfigs:
            let request = try IncrementalAlterConfigsRequest(from: &body, version: v)
            return .respond(
                try reply.frame(KafkaConfigs.incrementalAlter(request, readOnly: readOnly, context: context)))
        case .findCoordinator:
            let request = try FindCoordinatorRequest(from: &body, version: v)
            return .respond(try reply.frame(findCoordinator(request, version: v, context: context)))
        case .describeCluster:
            _ = try DescribeClusterRequest(from: &body, version: v)
            return .respond(try reply.frame(describeCluster(context: context)))
        case .describeLogDirs:
            let request = try DescribeLogDirsRequest(from: &body, version: v)
            return .respond(try reply.frame(describeLogDirs(request, context: context)))
        default:
            return .close("\(api.name) is not served")
        }
    }

    // MARK: - SASL/PLAIN

    private static func authenticate(
        _ request: SaslAuthenticateRequest, reply: KafkaReply, session: inout KafkaServer.Session,
        context: KafkaRequestContext
    ) throws -> KafkaServer.Outcome {
        var response = SaslAuthenticateResponse()
        guard session.saslMechanism == "PLAIN" else {
            response.errorCode = KafkaErrorCode.illegalSaslState.rawValue
            response.errorMessage = "SaslHandshake with mechanism PLAIN must come first"
            return .respondAndClose(try reply.frame(response))
        }
        guard let role = plainRole(request.authBytes, context: context) else {
            response.errorCode = KafkaErrorCode.saslAuthenticationFailed.rawValue
            response.errorMessage =
                "Authentication failed: invalid username or password (users are admin and read-only, the password is the token)"
            return .respondAndClose(try reply.frame(response))
        }
        session.role = role
        return .respond(try reply.frame(response))
    }

    /// The role a SASL/PLAIN token (RFC 4616: [authzid] NUL authcid NUL passwd) authenticates:
    /// user `admin` or `read-only`, the broker token of that role as password.
    static func plainRole(_ token: [UInt8], context: KafkaRequestContext) -> KafkaSessionRole? {
        let parts = token.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        let user = parts.count == 3 ? parts[1] : ""
        let password = parts.count == 3 ? parts[2] : nil
        let tokens = context.server.admin.config.tokens ?? [:]
        guard let role = Authentication.role(for: password, in: tokens), role.description == user else {
            context.logger.warning("Kafka SASL/PLAIN authentication failed", metadata: ["user": "\(user)"])
            return nil
        }
        return role
    }

    // MARK: - Coordinators

    /// Every group's coordinator is this broker; transactions have none (Skiff has none).
    static func findCoordinator(
        _ request: FindCoordinatorRequest, version: Int16, context: KafkaRequestContext
    )
        -> FindCoordinatorResponse
    {
        let host = context.server.advertised.host
        let port = context.server.advertised.port
        func answer(_ key: String) -> (Int16, String?) {
            if request.keyType == 1 {
                return (
                    KafkaErrorCode.coordinatorNotAvailable.rawValue,
                    "Skiff has no transaction coordinator: transactions are not supported"
                )
            }
            if key.isEmpty { return (KafkaErrorCode.invalidRequest.rawValue, "the group id is empty") }
            return (0, nil)
        }
        var response = FindCoordinatorResponse()
        if version >= 4 {
            response.coordinators = request.coordinatorKeys.map { key in
                var c = FindCoordinatorResponse.Coordinator()
                c.key = key
                (c.errorCode, c.errorMessage) = answer(key)
                c.nodeId = c.errorCode == 0 ? context.backend.brokerId : -1
                c.host = c.errorCode == 0 ? host : ""
                c.port = c.errorCode == 0 ? port : -1
                return c
            }
        } else {
            (response.errorCode, response.errorMessage) = answer(request.key)
            response.nodeId = response.errorCode == 0 ? context.backend.brokerId : -1
            response.host = response.errorCode == 0 ? host : ""
            response.port = response.errorCode == 0 ? port : -1
        }
        return response
    }

    // MARK: - Metadata

    static func kafkaUUID(_ uuid: UUID?) -> KafkaUUID {
        guard let uuid else { return .zero }
        let u = uuid.uuid
        return KafkaUUID(bytes: [
            u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15,
        ]) ?? .zero
    }

    static func code(_ error: BrokerError) -> Int16 {
        switch error {
        case .storage: KafkaErrorCode.kafkaStorageError.rawValue
        case .unsupportedCompression: KafkaErrorCode.unsupportedCompressionType.rawValue
        default: Int16(truncatingIfNeeded: error.kafkaErrorCode)
        }
    }

    /// Creates `topic` when auto-creation is on; returns the error code when it cannot.
    static func autoCreate(_ topic: String, readOnly: Bool, context: KafkaRequestContext) -> Int16 {
        guard context.config.autoCreateTopics, !readOnly else {
            return KafkaErrorCode.unknownTopicOrPartition.rawValue
        }
        do {
            _ = try context.backend.createTopic(
                topic, partitions: context.config.defaultPartitions, config: [:], validateOnly: false)
            context.logger.info("auto-created topic", metadata: ["topic.name": "\(topic)"])
            return 0
        } catch {
            if case .topicAlreadyExists = error { return 0 }
            if case .invalidTopicName = error { return KafkaErrorCode.invalidTopicException.rawValue }
            return code(error)
        }
    }

    static func metadata(
        _ request: MetadataRequest, version: Int16, readOnly: Bool, context: KafkaRequestContext
    ) -> MetadataResponse {
        let backend = context.backend
        var response = MetadataResponse()
        var broker = MetadataResponse.MetadataResponseBroker()
        broker.nodeId = backend.brokerId
        broker.host = context.server.advertised.host
        broker.port = context.server.advertised.port
        broker.rack = nil
        response.brokers = [broker]
        response.clusterId = backend.identity.clusterId
        response.controllerId = backend.brokerId
        // v0 lists every topic for an empty array; later versions for a null one.
        let names: [String]
        var unknownIds: [KafkaUUID] = []
        if let topics = request.topics, !(version == 0 && topics.isEmpty) {
            var wanted: [String] = []
            let byId =
                topics.contains { $0.name == nil }
                ? Dictionary(
                    backend.listTopics(includeInternal: true).map {
                        (kafkaUUID(backend.topicId(of: $0.name)), $0.name)
                    },
                    uniquingKeysWith: { a, _ in a }) : [:]
            for t in topics {
                if let name = t.name {
                    wanted.append(name)
                } else if let name = byId[t.topicId] {
                    wanted.append(name)
                } else {
                    unknownIds.append(t.topicId)
                }
            }
            names = wanted
        } else {
            names = backend.listTopics(includeInternal: true).map(\.name)
        }
        let allowCreate = version < 4 || request.allowAutoTopicCreation
        for name in names {
            var topic = MetadataResponse.MetadataResponseTopic()
            topic.name = name
            var description = try? backend.describeTopic(name)
            if description == nil && request.topics != nil {
                if allowCreate {
                    topic.errorCode = autoCreate(name, readOnly: readOnly, context: context)
                    description = try? backend.describeTopic(name)
                } else {
                    topic.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                }
                if topic.errorCode == 0 && description == nil {
                    topic.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                }
            }
            if let d = description {
                topic.topicId = kafkaUUID(d.topicId)
                topic.isInternal = d.isInternal
                topic.partitions = d.partitions.map { p in
                    var mp = MetadataResponse.MetadataResponsePartition()
                    mp.partitionIndex = p.partition
                    mp.leaderId = p.leader
                    mp.leaderEpoch = 0
                    mp.replicaNodes = p.replicas
                    mp.isrNodes = p.inSyncReplicas
                    return mp
                }
            }
            response.topics.append(topic)
        }
        for id in unknownIds {
            var topic = MetadataResponse.MetadataResponseTopic()
            topic.topicId = id
            topic.name = nil
            topic.errorCode = KafkaErrorCode.unknownTopicId.rawValue
            response.topics.append(topic)
        }
        return response
    }

    // MARK: - Produce

    static func produce(_ request: ProduceRequest, readOnly: Bool, context: KafkaRequestContext) -> ProduceResponse {
        var response = ProduceResponse()
        var written: [TopicPartition] = []
        let validAcks = [-1, 0, 1].contains(request.acks)
        for topicData in request.topicData {
            var topicResponse = ProduceResponse.TopicProduceResponse()
            topicResponse.name = topicData.name
            var topicError: Int16 = 0
            if !validAcks {
                topicError = KafkaErrorCode.invalidRequiredAcks.rawValue
            } else if readOnly {
                topicError = KafkaErrorCode.topicAuthorizationFailed.rawValue
            } else if request.transactionalId != nil {
                topicError = KafkaErrorCode.transactionalIdAuthorizationFailed.rawValue
            } else if context.backend.partitionCount(of: topicData.name) == nil {
                topicError = autoCreate(topicData.name, readOnly: readOnly, context: context)
            }
            for partitionData in topicData.partitionData {
                var p = ProduceResponse.PartitionProduceResponse()
                p.index = partitionData.index
                p.baseOffset = -1
                p.logAppendTimeMs = -1
                p.logStartOffset = -1
                if topicError != 0 {
                    p.errorCode = topicError
                } else if var records = partitionData.records, records.readableBytes > 0 {
                    let tp = TopicPartition(topic: topicData.name, partition: partitionData.index)
                    let magic = records.getInteger(at: records.readerIndex + 16, as: UInt8.self)
                    guard magic == 2 else {
                        p.errorCode = KafkaErrorCode.unsupportedForMessageFormat.rawValue
                        p.errorMessage =
                            "message format v\(magic.map(String.init) ?? "?") is not stored by Skiff: send record batches (magic 2, Produce v3 or later)"
                        topicResponse.partitionResponses.append(p)
                        continue
                    }
                    let bytes = records.readBytes(length: records.readableBytes) ?? []
                    do {
                        let info = try context.backend.appendBatch(tp, bytes)
                        p.baseOffset = info.firstOffset
                        p.logAppendTimeMs = info.kafkaLogAppendTimeMs
                        p.logStartOffset = (try? context.backend.offset(tp, for: .earliest)) ?? -1
                        written.append(tp)
                    } catch {
                        p.errorCode = code(error)
                        p.errorMessage = error.description
                        if case .unknownTopicOrPartition = error {
                        } else {
                            context.logger.info(
                                "Kafka produce refused",
                                metadata: ["topic.partition": "\(tp)", "error": "\(error)"])
                        }
                    }
                } else {
                    p.errorCode = KafkaErrorCode.invalidRecord.rawValue
                    p.errorMessage = "the partition's records are empty"
                }
                topicResponse.partitionResponses.append(p)
            }
            response.responses.append(topicResponse)
        }
        if !written.isEmpty { context.notifier.notify(written) }
        return response
    }

    // MARK: - Fetch

    static func fetch(_ request: FetchRequest, context: KafkaRequestContext) async -> FetchResponse {
        let backend = context.backend
        // v13+ names topics by id.
        var names: [KafkaUUID: String] = [:]
        if request.topics.contains(where: { $0.topic.isEmpty && $0.topicId != .zero }) {
            for t in backend.listTopics(includeInternal: true) {
                names[kafkaUUID(backend.topicId(of: t.name))] = t.name
            }
        }
        let wanted = request.topics.flatMap { t in
            t.partitions.map {
                TopicPartition(topic: t.topic.isEmpty ? names[t.topicId] ?? "" : t.topic, partition: $0.partition)
            }
        }
        let wait = min(Duration.milliseconds(max(0, Int64(request.maxWaitMs))), context.config.maxFetchWait)
        let deadline = ContinuousClock.now + wait
        // Registered before the first read, so an append between that read and the wait still wakes it.
        let registration = context.notifier.register(Set(wanted))
        defer { context.notifier.unregister(registration.id) }
        while true {
            let (response, bytes) = readFetch(request, names: names, context: context)
            if bytes >= Int(request.minBytes) || ContinuousClock.now >= deadline || Task.isCancelled
                || response.responses.allSatisfy({ $0.partitions.allSatisfy { $0.errorCode != 0 } })
            {
                return response
            }
            let continuation = registration.continuation
            // Wakes the wait at the deadline; a timer cancelled because an append woke the wait
            // first must not wake the next one (that would spin until the deadline).
            let timer = Task {
                guard (try? await Task.sleep(until: deadline)) != nil else { return }
                continuation.yield()
            }
            var iterator = registration.stream.makeAsyncIterator()
            _ = await iterator.next()
            timer.cancel()
        }
    }

    private static func readFetch(
        _ request: FetchRequest, names: [KafkaUUID: String], context: KafkaRequestContext
    ) -> (FetchResponse, Int) {
        var response = FetchResponse()
        var budget = Int(request.maxBytes)
        var total = 0
        for t in request.topics {
            var topicResponse = FetchResponse.FetchableTopicResponse()
            topicResponse.topic = t.topic
            topicResponse.topicId = t.topicId
            let name = t.topic.isEmpty ? names[t.topicId] : t.topic
            for p in t.partitions {
                var data = FetchResponse.PartitionData()
                data.partitionIndex = p.partition
                data.highWatermark = -1
                data.lastStableOffset = -1
                data.logStartOffset = -1
                data.abortedTransactions = []
                data.records = ByteBuffer()
                guard let name else {
                    data.errorCode = KafkaErrorCode.unknownTopicId.rawValue
                    topicResponse.partitions.append(data)
                    continue
                }
                let tp = TopicPartition(topic: name, partition: p.partition)
                // The first batch is returned even when larger than the limits (KIP-74).
                let limit =
                    total == 0 ? max(1, min(Int(p.partitionMaxBytes), budget)) : min(Int(p.partitionMaxBytes), budget)
                do {
                    if limit <= 0 {
                        let hw = context.backend.highWatermark(tp) ?? -1
                        data.highWatermark = hw
                        data.lastStableOffset = hw
                        data.logStartOffset = (try? context.backend.offset(tp, for: .earliest)) ?? -1
                    } else {
                        let read = try context.backend.readBatches(tp, from: p.fetchOffset, maxBytes: limit)
                        data.highWatermark = read.highWatermark
                        data.lastStableOffset = read.highWatermark
                        data.logStartOffset = read.logStartOffset
                        var buffer = ByteBuffer()
                        buffer.writeBytes(read.bytes)
                        data.records = buffer
                        total += read.bytes.count
                        budget -= read.bytes.count
                    }
                } catch {
                    data.errorCode = code(error)
                    if case .offsetOutOfRange(_, _, let start, let end) = error {
                        data.highWatermark = end
                        data.lastStableOffset = end
                        data.logStartOffset = start
                    } else if case .corruptBatch = error {
                        context.logger.warning("Kafka fetch hit a damaged batch", metadata: ["error": "\(error)"])
                    }
                }
                topicResponse.partitions.append(data)
            }
            response.responses.append(topicResponse)
        }
        return (response, total)
    }

    // MARK: - Offsets

    static func listOffsets(
        _ request: ListOffsetsRequest, version: Int16, context: KafkaRequestContext
    )
        -> ListOffsetsResponse
    {
        var response = ListOffsetsResponse()
        for t in request.topics {
            var topic = ListOffsetsResponse.ListOffsetsTopicResponse()
            topic.name = t.name
            for p in t.partitions {
                var r = ListOffsetsResponse.ListOffsetsPartitionResponse()
                r.partitionIndex = p.partitionIndex
                r.timestamp = -1
                r.offset = -1
                do {
                    if let found = try context.backend.listOffset(
                        TopicPartition(topic: t.name, partition: p.partitionIndex), timestamp: p.timestamp)
                    {
                        r.offset = found.offset
                        r.timestamp = found.timestamp
                        if version >= 4 { r.leaderEpoch = 0 }
                    }
                } catch {
                    r.errorCode = code(error)
                }
                topic.partitions.append(r)
            }
            response.topics.append(topic)
        }
        return response
    }

    /// Every record Skiff stores is in leader epoch 0 (one broker, never a new leader).
    static func offsetForLeaderEpoch(
        _ request: OffsetForLeaderEpochRequest, context: KafkaRequestContext
    ) -> OffsetForLeaderEpochResponse {
        var response = OffsetForLeaderEpochResponse()
        for t in request.topics {
            var topic = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult()
            topic.topic = t.topic
            for p in t.partitions {
                var r = OffsetForLeaderEpochResponse.EpochEndOffset()
                r.partition = p.partition
                if let end = context.backend.highWatermark(TopicPartition(topic: t.topic, partition: p.partition)) {
                    if p.leaderEpoch > 0 || p.currentLeaderEpoch > 0 {
                        r.errorCode = KafkaErrorCode.unknownLeaderEpoch.rawValue
                        r.leaderEpoch = -1
                        r.endOffset = -1
                    } else {
                        r.leaderEpoch = 0
                        r.endOffset = end
                    }
                } else {
                    r.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                    r.leaderEpoch = -1
                    r.endOffset = -1
                }
                topic.partitions.append(r)
            }
            response.topics.append(topic)
        }
        return response
    }

    // MARK: - Topics

    static func createTopics(
        _ request: CreateTopicsRequest, readOnly: Bool, context: KafkaRequestContext
    ) -> CreateTopicsResponse {
        var response = CreateTopicsResponse()
        for t in request.topics {
            var r = CreateTopicsResponse.CreatableTopicResult()
            r.name = t.name
            r.numPartitions = -1
            r.replicationFactor = -1
            func fail(_ code: KafkaErrorCode, _ message: String) {
                r.errorCode = code.rawValue
                r.errorMessage = message
            }
            var partitions = t.numPartitions == -1 ? context.config.defaultPartitions : t.numPartitions
            if !t.assignments.isEmpty {
                partitions = Int32(t.assignments.count)
            }
            if readOnly {
                fail(.clusterAuthorizationFailed, "the read-only user cannot create topics")
            } else if t.replicationFactor != 1 && t.replicationFactor != -1 {
                fail(
                    .invalidReplicationFactor,
                    "replication factor \(t.replicationFactor) is more than the 1 broker Skiff has: use 1 (or -1 for the default)"
                )
            } else if t.assignments.contains(where: { $0.brokerIds != [context.backend.brokerId] }) {
                fail(
                    .invalidReplicaAssignment,
                    "every partition's replicas must be [\(context.backend.brokerId)], the one broker")
            } else if t.configs.contains(where: { $0.value == nil }) {
                fail(.invalidConfig, "a config entry has a null value")
            } else {
                let config = Dictionary(t.configs.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
                do {
                    let id = try context.backend.createTopic(
                        t.name, partitions: partitions, config: config, validateOnly: request.validateOnly)
                    r.topicId = kafkaUUID(id)
                    r.numPartitions = partitions
                    r.replicationFactor = 1
                    if let d = try? context.backend.describeTopic(t.name) {
                        r.configs = d.sortedConfig.map { entry in
                            var c = CreateTopicsResponse.CreatableTopicConfigs()
                            c.name = entry.key
                            c.value = entry.value
                            c.configSource =
                                entry.isOverride ? KafkaConfigs.dynamicTopicConfig : KafkaConfigs.defaultConfig
                            return c
                        }
                    }
                } catch {
                    r.errorCode = code(error)
                    r.errorMessage = error.description
                }
            }
            response.topics.append(r)
        }
        return response
    }

    static func deleteTopics(
        _ request: DeleteTopicsRequest, readOnly: Bool, context: KafkaRequestContext
    ) -> DeleteTopicsResponse {
        let backend = context.backend
        var targets: [(name: String?, id: KafkaUUID)] = request.topicNames.map { ($0, .zero) }
        targets += request.topics.map { ($0.name, $0.topicId) }
        var byId: [KafkaUUID: String] = [:]
        if targets.contains(where: { $0.name == nil }) {
            for t in backend.listTopics(includeInternal: true) { byId[kafkaUUID(backend.topicId(of: t.name))] = t.name }
        }
        var response = DeleteTopicsResponse()
        for target in targets {
            var r = DeleteTopicsResponse.DeletableTopicResult()
            r.name = target.name
            r.topicId = target.id
            guard let name = target.name ?? byId[target.id] else {
                r.errorCode = KafkaErrorCode.unknownTopicId.rawValue
                r.errorMessage = "no topic has id \(target.id)"
                response.responses.append(r)
                continue
            }
            r.name = name
            if readOnly {
                r.errorCode = KafkaErrorCode.topicAuthorizationFailed.rawValue
                r.errorMessage = "the read-only user cannot delete topics"
            } else {
                r.topicId = kafkaUUID(backend.topicId(of: name))
                do {
                    try backend.deleteTopic(name)
                    context.notifier.notify(topic: name)
                } catch {
                    r.errorCode = code(error)
                    r.errorMessage = error.description
                }
            }
            response.responses.append(r)
        }
        return response
    }

    static func createPartitions(
        _ request: CreatePartitionsRequest, readOnly: Bool, context: KafkaRequestContext
    ) -> CreatePartitionsResponse {
        var response = CreatePartitionsResponse()
        for t in request.topics {
            var r = CreatePartitionsResponse.CreatePartitionsTopicResult()
            r.name = t.name
            if readOnly {
                r.errorCode = KafkaErrorCode.clusterAuthorizationFailed.rawValue
                r.errorMessage = "the read-only user cannot add partitions"
            } else if let current = context.backend.partitionCount(of: t.name) {
                if t.count <= current {
                    r.errorCode = KafkaErrorCode.invalidPartitions.rawValue
                    r.errorMessage = "topic \(t.name) has \(current) partitions; the new count must be more"
                } else if !request.validateOnly {
                    do {
                        try context.backend.addPartitions(t.name, totalCount: t.count)
                    } catch {
                        r.errorCode = code(error)
                        r.errorMessage = error.description
                    }
                }
            } else {
                r.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                r.errorMessage = "no topic \(t.name)"
            }
            response.results.append(r)
        }
        return response
    }

    static func deleteRecords(
        _ request: DeleteRecordsRequest, readOnly: Bool, context: KafkaRequestContext
    ) -> DeleteRecordsResponse {
        var response = DeleteRecordsResponse()
        for t in request.topics {
            var topic = DeleteRecordsResponse.DeleteRecordsTopicResult()
            topic.name = t.name
            for p in t.partitions {
                var r = DeleteRecordsResponse.DeleteRecordsPartitionResult()
                r.partitionIndex = p.partitionIndex
                r.lowWatermark = -1
                if readOnly {
                    r.errorCode = KafkaErrorCode.topicAuthorizationFailed.rawValue
                } else if (try? context.backend.describeTopic(t.name))?.isInternal == true {
                    // As Kafka: records of an internal topic (committed offsets) cannot be deleted.
                    r.errorCode = KafkaErrorCode.invalidTopicException.rawValue
                } else {
                    do {
                        r.lowWatermark = try context.backend.deleteRecords(
                            TopicPartition(topic: t.name, partition: p.partitionIndex), before: p.offset)
                    } catch {
                        r.errorCode = code(error)
                    }
                }
                topic.partitions.append(r)
            }
            response.topics.append(topic)
        }
        return response
    }

    // MARK: - Cluster

    static func describeCluster(context: KafkaRequestContext) -> DescribeClusterResponse {
        var response = DescribeClusterResponse()
        response.clusterId = context.backend.identity.clusterId
        response.controllerId = context.backend.brokerId
        var broker = DescribeClusterResponse.DescribeClusterBroker()
        broker.brokerId = context.backend.brokerId
        broker.host = context.server.advertised.host
        broker.port = context.server.advertised.port
        response.brokers = [broker]
        return response
    }

    static func describeLogDirs(
        _ request: DescribeLogDirsRequest, context: KafkaRequestContext
    ) -> DescribeLogDirsResponse {
        let backend = context.backend
        var result = DescribeLogDirsResponse.DescribeLogDirsResult()
        result.logDir = backend.dataDirectory
        let wanted: [(String, [Int32]?)] =
            request.topics.map { $0.map { ($0.topic, Optional($0.partitions)) } }
            ?? backend.listTopics(includeInternal: true).map { ($0.name, nil) }
        for (name, partitions) in wanted {
            guard let d = try? backend.describeTopic(name) else { continue }
            var topic = DescribeLogDirsResponse.DescribeLogDirsTopic()
            topic.name = name
            for p in d.partitions where partitions?.contains(p.partition) ?? true {
                var dp = DescribeLogDirsResponse.DescribeLogDirsPartition()
                dp.partitionIndex = p.partition
                dp.partitionSize = p.sizeBytes
                topic.partitions.append(dp)
            }
            result.topics.append(topic)
        }
        let disk = backend.diskSpace()
        result.totalBytes = disk?.totalBytes ?? -1
        result.usableBytes = disk?.freeBytes ?? -1
        var response = DescribeLogDirsResponse()
        response.results = [result]
        return response
    }
}
