import NIOCore

/// Every request of the admin protocol, one case per API. This is the server's single dispatch
/// point: decode with ``decode(header:body:)``, switch over the case.
public enum AdminRequest: Hashable, Sendable {
    /// ApiVersions (key 0).
    case apiVersions(ApiVersionsRequest)
    /// ClusterInfo (key 1).
    case clusterInfo(ClusterInfoRequest)
    /// ListTopics (key 2).
    case listTopics(ListTopicsRequest)
    /// DescribeTopic (key 3).
    case describeTopic(DescribeTopicRequest)
    /// CreateTopic (key 4).
    case createTopic(CreateTopicRequest)
    /// DeleteTopic (key 5).
    case deleteTopic(DeleteTopicRequest)
    /// AlterTopicConfig (key 6).
    case alterTopicConfig(AlterTopicConfigRequest)
    /// AddPartitions (key 7).
    case addPartitions(AddPartitionsRequest)
    /// Produce (key 8).
    case produce(ProduceRequest)
    /// Fetch (key 9).
    case fetch(FetchRequest)
    /// ListGroups (key 10).
    case listGroups(ListGroupsRequest)
    /// DescribeGroup (key 11).
    case describeGroup(DescribeGroupRequest)
    /// ResetGroupOffsets (key 12).
    case resetGroupOffsets(ResetGroupOffsetsRequest)
    /// DeleteGroup (key 13).
    case deleteGroup(DeleteGroupRequest)
    /// JoinGroup (key 14).
    case joinGroup(JoinGroupRequest)
    /// Heartbeat (key 15).
    case heartbeat(HeartbeatRequest)
    /// CommitOffsets (key 16).
    case commitOffsets(CommitOffsetsRequest)
    /// LeaveGroup (key 17).
    case leaveGroup(LeaveGroupRequest)
    /// FetchOffsets (key 18).
    case fetchOffsets(FetchOffsetsRequest)
    /// Subscribe (key 19).
    case subscribe(SubscribeRequest)
    /// Unsubscribe (key 20).
    case unsubscribe(UnsubscribeRequest)
    /// DeleteRecords (key 21).
    case deleteRecords(DeleteRecordsRequest)
    /// DescribeStorage (key 22).
    case describeStorage(DescribeStorageRequest)
    /// Search (key 23).
    case search(SearchRequest)

    /// The API this request belongs to.
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

    /// The request body as its message type.
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

    /// The lowest version of the API that carries this request (1 for most; a ResetGroupOffsets
    /// naming partitions needs 2).
    public var minimumVersion: UInt16 {
        if case .resetGroupOffsets(let message) = self { return message.minimumVersion }
        return 1
    }

    /// Writes the body (no header) of `version`: only ResetGroupOffsets has more than one.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        if case .resetGroupOffsets(let message) = self {
            message.encode(into: &buffer, version: version)
        } else {
            encode(into: &buffer)
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

    /// Decodes a request body for the API and version in `header`.
    ///
    /// Throws ``AdminProtocolError/unknownApi(key:)`` for a key this codec does not know,
    /// ``AdminProtocolError/unsupportedVersion(apiKey:version:)`` for a version outside the API's
    /// ``ApiKey/supportedVersions``, and ``AdminProtocolError/malformed(reason:)`` when the body does
    /// not decode or has bytes after its last field.
    ///
    /// ApiVersions is exempt from the version check (section 4.1): a request of any version is read
    /// by its v1 fields, and bytes after them are skipped unless the version is a supported one (v1),
    /// since later versions only append fields.
    public static func decode(
        header: RequestHeader, body: inout ByteBuffer
    ) throws(AdminProtocolError) -> AdminRequest {
        guard let api = header.api else { throw .unknownApi(key: header.apiKey) }
        let supported = api.supportedVersions.contains(header.apiVersion)
        if api == .apiVersions {
            return .apiVersions(try .decodeBody(&body, allowTrailingBytes: !supported))
        }
        guard supported else { throw .unsupportedVersion(apiKey: api, version: header.apiVersion) }
        switch api {
        case .apiVersions: return .apiVersions(try .decodeBody(&body))
        case .clusterInfo: return .clusterInfo(try .decodeBody(&body))
        case .listTopics: return .listTopics(try .decodeBody(&body))
        case .describeTopic: return .describeTopic(try .decodeBody(&body))
        case .createTopic: return .createTopic(try .decodeBody(&body))
        case .deleteTopic: return .deleteTopic(try .decodeBody(&body))
        case .alterTopicConfig: return .alterTopicConfig(try .decodeBody(&body))
        case .addPartitions: return .addPartitions(try .decodeBody(&body))
        case .produce: return .produce(try .decodeBody(&body))
        case .fetch: return .fetch(try .decodeBody(&body))
        case .listGroups: return .listGroups(try .decodeBody(&body))
        case .describeGroup: return .describeGroup(try .decodeBody(&body))
        case .resetGroupOffsets: return .resetGroupOffsets(try .decodeBody(&body, version: header.apiVersion))
        case .deleteGroup: return .deleteGroup(try .decodeBody(&body))
        case .joinGroup: return .joinGroup(try .decodeBody(&body))
        case .heartbeat: return .heartbeat(try .decodeBody(&body))
        case .commitOffsets: return .commitOffsets(try .decodeBody(&body))
        case .leaveGroup: return .leaveGroup(try .decodeBody(&body))
        case .fetchOffsets: return .fetchOffsets(try .decodeBody(&body))
        case .subscribe: return .subscribe(try .decodeBody(&body))
        case .unsubscribe: return .unsubscribe(try .decodeBody(&body))
        case .deleteRecords: return .deleteRecords(try .decodeBody(&body))
        case .describeStorage: return .describeStorage(try .decodeBody(&body))
        case .search: return .search(try .decodeBody(&body))
        }
    }
}
