/// The APIs of the admin protocol, by their wire key (`docs/admin-protocol.md`, section 4).
public enum ApiKey: UInt16, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The handshake: client and broker exchange names, versions and supported APIs.
    case apiVersions = 0
    /// The broker's identity, uptime, disk use and throughput.
    case clusterInfo = 1
    /// All topics with their sizes and consumer groups.
    case listTopics = 2
    /// One topic: config, partitions with watermarks, consumer group lag.
    case describeTopic = 3
    /// Creates a topic (or only validates the request).
    case createTopic = 4
    /// Deletes a topic and its data.
    case deleteTopic = 5
    /// Sets and deletes topic config overrides.
    case alterTopicConfig = 6
    /// Raises a topic's partition count.
    case addPartitions = 7
    /// Appends records to a topic.
    case produce = 8
    /// Reads records from one partition.
    case fetch = 9
    /// All consumer groups with their states and total lag.
    case listGroups = 10
    /// One group: members, assignment and the per-partition lag table.
    case describeGroup = 11
    /// Moves a group's committed offsets (or only computes the plan).
    case resetGroupOffsets = 12
    /// Deletes an empty group and its committed offsets.
    case deleteGroup = 13
    /// Joins a consumer group as a member.
    case joinGroup = 14
    /// Keeps a membership alive and delivers the member's assignment.
    case heartbeat = 15
    /// Commits consumed offsets for a group.
    case commitOffsets = 16
    /// Leaves a consumer group.
    case leaveGroup = 17
    /// Reads a group's committed offsets.
    case fetchOffsets = 18
    /// Starts a live tail of partitions and/or lag snapshots, delivered as push frames.
    case subscribe = 19
    /// Ends a subscription.
    case unsubscribe = 20
    /// Moves partitions' low watermarks forward, deleting the records before them.
    case deleteRecords = 21
    /// The storage's state: notices of what it found wrong, open files, the disk reserve.
    case describeStorage = 22
    /// Searches a topic's records on the broker; matches and progress arrive as push frames.
    case search = 23

    /// The request versions this codec reads and writes for the API.
    public var supportedVersions: ClosedRange<UInt16> {
        switch self {
        case .apiVersions, .listTopics, .describeTopic, .createTopic, .deleteTopic,
            .alterTopicConfig, .addPartitions, .produce, .listGroups, .describeGroup,
            .deleteGroup, .joinGroup, .heartbeat, .commitOffsets, .leaveGroup,
            .fetchOffsets, .unsubscribe, .deleteRecords, .describeStorage:
            1...1
        // v2 appends the Kafka listener's address (section 4.2).
        case .clusterInfo:
            1...2
        // v2 appends `partitions` (section 4.13).
        case .resetGroupOffsets:
            1...2
        // v2: the records of the response (Fetch) and of the pushed `records` events (Subscribe,
        // Search) carry their timestamp type (sections 4.10, 4.20, 4.24).
        case .fetch, .subscribe, .search:
            1...2
        }
    }

    /// The API's name as the protocol document writes it, for messages and logs (`"DescribeTopic"`).
    public var name: String {
        switch self {
        case .apiVersions: "ApiVersions"
        case .clusterInfo: "ClusterInfo"
        case .listTopics: "ListTopics"
        case .describeTopic: "DescribeTopic"
        case .createTopic: "CreateTopic"
        case .deleteTopic: "DeleteTopic"
        case .alterTopicConfig: "AlterTopicConfig"
        case .addPartitions: "AddPartitions"
        case .produce: "Produce"
        case .fetch: "Fetch"
        case .listGroups: "ListGroups"
        case .describeGroup: "DescribeGroup"
        case .resetGroupOffsets: "ResetGroupOffsets"
        case .deleteGroup: "DeleteGroup"
        case .joinGroup: "JoinGroup"
        case .heartbeat: "Heartbeat"
        case .commitOffsets: "CommitOffsets"
        case .leaveGroup: "LeaveGroup"
        case .fetchOffsets: "FetchOffsets"
        case .subscribe: "Subscribe"
        case .unsubscribe: "Unsubscribe"
        case .deleteRecords: "DeleteRecords"
        case .describeStorage: "DescribeStorage"
        case .search: "Search"
        }
    }

    /// The name, as ``name``.
    public var description: String { name }
}
