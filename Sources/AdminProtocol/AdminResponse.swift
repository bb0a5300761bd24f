import NIOCore

/// Every response body of the admin protocol, one case per API. Error responses have no body:
/// see ``AdminFrame/decodeResponse(payload:expecting:)``.
public enum AdminResponse: Hashable, Sendable {
    /// ApiVersions (key 0).
    case apiVersions(ApiVersionsResponse)
    /// ClusterInfo (key 1).
    case clusterInfo(ClusterInfoResponse)
    /// ListTopics (key 2).
    case listTopics(ListTopicsResponse)
    /// DescribeTopic (key 3).
    case describeTopic(DescribeTopicResponse)
    /// CreateTopic (key 4).
    case createTopic(CreateTopicResponse)
    /// DeleteTopic (key 5).
    case deleteTopic(DeleteTopicResponse)
    /// AlterTopicConfig (key 6).
    case alterTopicConfig(AlterTopicConfigResponse)
    /// AddPartitions (key 7).
    case addPartitions(AddPartitionsResponse)
    /// Produce (key 8).
    case produce(ProduceResponse)
    /// Fetch (key 9).
    case fetch(FetchResponse)
    /// ListGroups (key 10).
    case listGroups(ListGroupsResponse)
    /// DescribeGroup (key 11).
    case describeGroup(DescribeGroupResponse)
    /// ResetGroupOffsets (key 12).
    case resetGroupOffsets(ResetGroupOffsetsResponse)
    /// DeleteGroup (key 13).
    case deleteGroup(DeleteGroupResponse)
    /// JoinGroup (key 14).
    case joinGroup(JoinGroupResponse)
    /// Heartbeat (key 15).
    case heartbeat(HeartbeatResponse)
    /// CommitOffsets (key 16).
    case commitOffsets(CommitOffsetsResponse)
    /// LeaveGroup (key 17).
    case leaveGroup(LeaveGroupResponse)
    /// FetchOffsets (key 18).
    case fetchOffsets(FetchOffsetsResponse)
    /// Subscribe (key 19).
    case subscribe(SubscribeResponse)
    /// Unsubscribe (key 20).
    case unsubscribe(UnsubscribeResponse)
    /// DeleteRecords (key 21).
    case deleteRecords(DeleteRecordsResponse)
    /// DescribeStorage (key 22).
    case describeStorage(DescribeStorageResponse)
    /// Search (key 23).
    case search(SearchResponse)

    /// The API this response belongs to.
    public var apiKey: ApiKey {
        switch self {
        case .apiVersions: .apiVersions
        case .clusterInfo: .clusterInfo
        case .listTopics: .listTopics
        case .describeTopic: .describeTopic
        case .createTopic: .createTopic
        case .deleteTopic: .deleteTopic
        case .alterTopicConfig: .alterTopicConfig
        case .addPartitions: .addPartitions
        case .produce: .produce
        case .fetch: .fetch
        case .listGroups: .listGroups
        case .describeGroup: .describeGroup
        case .resetGroupOffsets: .resetGroupOffsets
        case .deleteGroup: .deleteGroup
        case .joinGroup: .joinGroup
        case .heartbeat: .heartbeat
        case .commitOffsets: .commitOffsets
        case .leaveGroup: .leaveGroup
        case .fetchOffsets: .fetchOffsets
        case .subscribe: .subscribe
        case .unsubscribe: .unsubscribe
        case .deleteRecords: .deleteRecords
        case .describeStorage: .describeStorage
        case .search: .search
        }
    }

    /// The response body as its message type.
    public var message: any AdminMessage {
        switch self {
        case .apiVersions(let message): message
        case .clusterInfo(let message): message
        case .listTopics(let message): message
        case .describeTopic(let message): message
        case .createTopic(let message): message
        case .deleteTopic(let message): message
        case .alterTopicConfig(let message): message
        case .addPartitions(let message): message
        case .produce(let message): message
        case .fetch(let message): message
        case .listGroups(let message): message
        case .describeGroup(let message): message
        case .resetGroupOffsets(let message): message
        case .deleteGroup(let message): message
        case .joinGroup(let message): message
        case .heartbeat(let message): message
        case .commitOffsets(let message): message
        case .leaveGroup(let message): message
        case .fetchOffsets(let message): message
        case .subscribe(let message): message
        case .unsubscribe(let message): message
        case .deleteRecords(let message): message
        case .describeStorage(let message): message
        case .search(let message): message
        }
    }

    /// Writes the body (no header) of `version`: Fetch (version 2 adds each record's timestamp
    /// type) and ClusterInfo (version 2 adds the Kafka listener) have more than one response
    /// layout; every other body is the same at each version.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        switch self {
        case .fetch(let message): message.encode(into: &buffer, version: version)
        case .clusterInfo(let message): message.encode(into: &buffer, version: version)
        default: encode(into: &buffer)
        }
    }

    /// Writes the body (no header) in its version 1 form.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .apiVersions(let message): message.encode(into: &buffer)
        case .clusterInfo(let message): message.encode(into: &buffer)
        case .listTopics(let message): message.encode(into: &buffer)
        case .describeTopic(let message): message.encode(into: &buffer)
        case .createTopic(let message): message.encode(into: &buffer)
        case .deleteTopic(let message): message.encode(into: &buffer)
        case .alterTopicConfig(let message): message.encode(into: &buffer)
        case .addPartitions(let message): message.encode(into: &buffer)
        case .produce(let message): message.encode(into: &buffer)
        case .fetch(let message): message.encode(into: &buffer)
        case .listGroups(let message): message.encode(into: &buffer)
        case .describeGroup(let message): message.encode(into: &buffer)
        case .resetGroupOffsets(let message): message.encode(into: &buffer)
        case .deleteGroup(let message): message.encode(into: &buffer)
        case .joinGroup(let message): message.encode(into: &buffer)
        case .heartbeat(let message): message.encode(into: &buffer)
        case .commitOffsets(let message): message.encode(into: &buffer)
        case .leaveGroup(let message): message.encode(into: &buffer)
        case .fetchOffsets(let message): message.encode(into: &buffer)
        case .subscribe(let message): message.encode(into: &buffer)
        case .unsubscribe(let message): message.encode(into: &buffer)
        case .deleteRecords(let message): message.encode(into: &buffer)
        case .describeStorage(let message): message.encode(into: &buffer)
        case .search(let message): message.encode(into: &buffer)
        }
    }

    /// Decodes the body of a successful response to a request of `apiKey` sent at `version`, and
    /// checks that no bytes follow it.
    public static func decode(
        apiKey: ApiKey, version: UInt16, body: inout ByteBuffer
    ) throws(AdminProtocolError) -> AdminResponse {
        if apiKey == .fetch { return .fetch(try FetchResponse.decodeBody(&body, version: version)) }
        if apiKey == .clusterInfo { return .clusterInfo(try ClusterInfoResponse.decodeBody(&body, version: version)) }
        return try decode(apiKey: apiKey, body: &body)
    }

    /// Decodes the body of a successful response to a version 1 request of `apiKey`, and checks
    /// that no bytes follow it.
    public static func decode(apiKey: ApiKey, body: inout ByteBuffer) throws(AdminProtocolError) -> AdminResponse {
        switch apiKey {
        case .apiVersions: .apiVersions(try .decodeBody(&body))
        case .clusterInfo: .clusterInfo(try .decodeBody(&body))
        case .listTopics: .listTopics(try .decodeBody(&body))
        case .describeTopic: .describeTopic(try .decodeBody(&body))
        case .createTopic: .createTopic(try .decodeBody(&body))
        case .deleteTopic: .deleteTopic(try .decodeBody(&body))
        case .alterTopicConfig: .alterTopicConfig(try .decodeBody(&body))
        case .addPartitions: .addPartitions(try .decodeBody(&body))
        case .produce: .produce(try .decodeBody(&body))
        case .fetch: .fetch(try .decodeBody(&body))
        case .listGroups: .listGroups(try .decodeBody(&body))
        case .describeGroup: .describeGroup(try .decodeBody(&body))
        case .resetGroupOffsets: .resetGroupOffsets(try .decodeBody(&body))
        case .deleteGroup: .deleteGroup(try .decodeBody(&body))
        case .joinGroup: .joinGroup(try .decodeBody(&body))
        case .heartbeat: .heartbeat(try .decodeBody(&body))
        case .commitOffsets: .commitOffsets(try .decodeBody(&body))
        case .leaveGroup: .leaveGroup(try .decodeBody(&body))
        case .fetchOffsets: .fetchOffsets(try .decodeBody(&body))
        case .subscribe: .subscribe(try .decodeBody(&body))
        case .unsubscribe: .unsubscribe(try .decodeBody(&body))
        case .deleteRecords: .deleteRecords(try .decodeBody(&body))
        case .describeStorage: .describeStorage(try .decodeBody(&body))
        case .search: .search(try .decodeBody(&body))
        }
    }
}
