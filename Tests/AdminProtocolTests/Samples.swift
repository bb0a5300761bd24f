import AdminProtocol

/// Sample values for round trips: empty arrays and strings, null keys and values, unicode and the
/// extremes of every integer type. Every API has at least two requests and two responses.
enum Samples {
    static let unicode = "prices-€-日本語-🚀-e\u{301}-\u{0}-ß"
    /// The longest string the wire can carry: 65,535 UTF-8 bytes.
    static let longest = String(repeating: "é", count: 32_767) + "x"

    static let headers: [HeaderData] = [
        HeaderData(key: "", value: nil),
        HeaderData(key: "trace-id", value: [0x00, 0xFF, 0x7F, 0x80]),
        HeaderData(key: unicode, value: []),
    ]

    static let fetchedRecords: [FetchedRecord] = [
        FetchedRecord(offset: 0, timestampMs: -1, key: nil, value: nil, headers: []),
        FetchedRecord(offset: Int64.max, timestampMs: Int64.min, key: [], value: Array(0...255), headers: headers),
        FetchedRecord(
            offset: 1_234_567, timestampMs: 1_700_000_000_000, key: Array("k€y".utf8), value: [0], headers: []),
    ]

    static let groupPartitions: [GroupPartitionInfo] = [
        GroupPartitionInfo(
            topic: "orders", partition: 0, committedOffset: -1, logStartOffset: 0, highWatermark: 0, lag: -1,
            timeLagMs: -1, memberId: "", commitTimestampMs: -1, metadata: ""),
        GroupPartitionInfo(
            topic: unicode, partition: Int32.max, committedOffset: Int64.max, logStartOffset: Int64.min,
            highWatermark: Int64.max, lag: 0, timeLagMs: 0, memberId: "consumer-1-\(unicode)",
            commitTimestampMs: 1_700_000_000_000, metadata: "{\"host\":\"a\"}"),
    ]

    static let requests: [AdminRequest] = [
        .apiVersions(ApiVersionsRequest(clientName: "skiff-cli", clientVersion: "0.1.0", authToken: nil)),
        .apiVersions(ApiVersionsRequest(clientName: "", clientVersion: unicode, authToken: "")),
        .apiVersions(ApiVersionsRequest(clientName: longest, clientVersion: "9", authToken: "tok€n")),
        .clusterInfo(ClusterInfoRequest()),
        .clusterInfo(ClusterInfoRequest()),
        .listTopics(ListTopicsRequest(includeInternal: false)),
        .listTopics(ListTopicsRequest(includeInternal: true)),
        .describeTopic(DescribeTopicRequest(name: "orders")),
        .describeTopic(DescribeTopicRequest(name: "")),
        .describeTopic(DescribeTopicRequest(name: unicode)),
        .createTopic(CreateTopicRequest(name: "orders", partitionCount: 3, config: [], validateOnly: false)),
        .createTopic(
            CreateTopicRequest(
                name: unicode, partitionCount: Int32.min,
                config: [
                    ConfigPair(key: "retention.ms", value: "-1"), ConfigPair(key: "", value: ""),
                    ConfigPair(key: "cleanup.policy", value: unicode),
                ], validateOnly: true)),
        .deleteTopic(DeleteTopicRequest(name: "orders")),
        .deleteTopic(DeleteTopicRequest(name: "")),
        .alterTopicConfig(AlterTopicConfigRequest(name: "orders", set: [], delete: [])),
        .alterTopicConfig(
            AlterTopicConfigRequest(
                name: unicode, set: [ConfigPair(key: "segment.bytes", value: "1048576")],
                delete: ["retention.ms", "", unicode])),
        .addPartitions(AddPartitionsRequest(name: "orders", totalCount: 10_000)),
        .addPartitions(AddPartitionsRequest(name: "", totalCount: Int32.min)),
        .produce(ProduceRequest(topic: "orders", records: [])),
        .produce(
            ProduceRequest(
                topic: unicode,
                records: [
                    ProduceRecord(partition: -1, key: nil, value: nil, headers: [], timestampMs: -1),
                    ProduceRecord(partition: Int32.max, key: [], value: [], headers: headers, timestampMs: Int64.max),
                    ProduceRecord(
                        partition: 0, key: Array("user-1".utf8), value: Array(unicode.utf8), headers: [],
                        timestampMs: Int64.min),
                ])),
        .fetch(FetchRequest(topic: "orders", partition: 0, start: .earliest, maxRecords: 1, maxBytes: 1)),
        .fetch(FetchRequest(topic: unicode, partition: Int32.max, start: .latest, maxRecords: 0, maxBytes: 0)),
        .fetch(FetchRequest(topic: "t", partition: -1, start: .offset(Int64.max), maxRecords: 10_000, maxBytes: -1)),
        .fetch(FetchRequest(topic: "t", partition: 1, start: .timestamp(Int64.min), maxRecords: 5, maxBytes: 5)),
        .fetch(FetchRequest(topic: "t", partition: 2, start: .lastN(-1), maxRecords: Int32.max, maxBytes: Int32.max)),
        .listGroups(ListGroupsRequest()),
        .listGroups(ListGroupsRequest()),
        .describeGroup(DescribeGroupRequest(groupId: "billing")),
        .describeGroup(DescribeGroupRequest(groupId: unicode)),
        .resetGroupOffsets(ResetGroupOffsetsRequest(groupId: "billing", topics: [], target: .earliest, dryRun: true)),
        .resetGroupOffsets(
            ResetGroupOffsetsRequest(groupId: unicode, topics: ["orders", ""], target: .latest, dryRun: false)),
        .resetGroupOffsets(
            ResetGroupOffsetsRequest(groupId: "g", topics: ["a"], target: .offset(Int64.max), dryRun: false)),
        .resetGroupOffsets(
            ResetGroupOffsetsRequest(groupId: "g", topics: [], target: .timestamp(1_700_000_000_000), dryRun: true)),
        .resetGroupOffsets(ResetGroupOffsetsRequest(groupId: "g", topics: [], target: .shift(Int64.min), dryRun: true)),
        .deleteGroup(DeleteGroupRequest(groupId: "billing")),
        .deleteGroup(DeleteGroupRequest(groupId: "")),
        .joinGroup(
            JoinGroupRequest(
                groupId: "billing", memberId: "", clientId: "skiff-ui", sessionTimeoutMs: 45_000,
                rebalanceTimeoutMs: 300_000, topics: [], assignor: "")),
        .joinGroup(
            JoinGroupRequest(
                groupId: unicode, memberId: "m-1", clientId: "", sessionTimeoutMs: Int32.min,
                rebalanceTimeoutMs: Int32.max, topics: ["orders", unicode], assignor: "roundrobin")),
        .heartbeat(HeartbeatRequest(groupId: "billing", memberId: "m-1", generation: -1)),
        .heartbeat(HeartbeatRequest(groupId: "", memberId: unicode, generation: Int32.max)),
        .commitOffsets(CommitOffsetsRequest(groupId: "billing", memberId: "", generation: -1, offsets: [])),
        .commitOffsets(
            CommitOffsetsRequest(
                groupId: unicode, memberId: "m-1", generation: 7,
                offsets: [
                    CommitOffset(topic: "orders", partition: 0, offset: 0, metadata: ""),
                    CommitOffset(topic: unicode, partition: Int32.min, offset: Int64.max, metadata: unicode),
                ])),
        .leaveGroup(LeaveGroupRequest(groupId: "billing", memberId: "m-1")),
        .leaveGroup(LeaveGroupRequest(groupId: "", memberId: "")),
        .fetchOffsets(FetchOffsetsRequest(groupId: "billing")),
        .fetchOffsets(FetchOffsetsRequest(groupId: unicode)),
        .subscribe(SubscribeRequest(partitions: [], lagGroupId: "", lagIntervalMs: 0)),
        .subscribe(
            SubscribeRequest(
                partitions: [
                    SubscribePartition(topic: "orders", partition: 0, fromOffset: -1),
                    SubscribePartition(topic: unicode, partition: Int32.max, fromOffset: Int64.max),
                ], lagGroupId: "billing", lagIntervalMs: 60_000)),
        .unsubscribe(UnsubscribeRequest(subscriptionId: 0)),
        .unsubscribe(UnsubscribeRequest(subscriptionId: UInt32.max)),
        .deleteRecords(DeleteRecordsRequest(topic: "orders", partitions: [])),
        .deleteRecords(
            DeleteRecordsRequest(
                topic: unicode,
                partitions: [
                    DeleteRecordsPartition(partition: 0, offset: -1),
                    DeleteRecordsPartition(partition: Int32.max, offset: Int64.max),
                    DeleteRecordsPartition(partition: Int32.min, offset: Int64.min),
                ])),
        .describeStorage(DescribeStorageRequest()),
        .describeStorage(DescribeStorageRequest()),
        .search(SearchRequest(topic: "orders", conditions: [])),
        .search(
            SearchRequest(
                topic: unicode, partitions: [0, Int32.max], fromOffset: Int64.max, toOffset: 17,
                fromTimestampMs: 1_700_000_000_000, toTimestampMs: Int64.max,
                conditions: [
                    SearchCondition(field: .key, match: .equals, pattern: Array("AAPL".utf8)),
                    SearchCondition(
                        field: .header, match: .contains, headerKey: unicode, pattern: [0, 255], ignoreCase: true),
                    SearchCondition(field: .value, match: .isNull, pattern: []),
                ], maxResults: 10_000, progressIntervalMs: 100)),
    ]

    static let responses: [AdminResponse] = [
        .apiVersions(
            ApiVersionsResponse(brokerVersion: "0.1.0", maxFrameBytes: 16_777_216, apis: ApiKey.supportedRanges)),
        .apiVersions(
            ApiVersionsResponse(
                brokerVersion: unicode, maxFrameBytes: UInt32.max,
                apis: [ApiVersionRange(apiKey: UInt16.max, minVersion: 0, maxVersion: UInt16.max)])),
        .apiVersions(ApiVersionsResponse(brokerVersion: "", maxFrameBytes: 0, apis: [], role: .readOnly)),
        .clusterInfo(
            ClusterInfoResponse(
                brokerId: 0, brokerVersion: "0.1.0", startedAtMs: 1_700_000_000_000, uptimeMs: 0,
                dataDirectory: "data", dataSizeBytes: 0, diskTotalBytes: -1, diskFreeBytes: -1, connectionCount: 1,
                topicCount: 0, partitionCount: 0, groupCount: 0, producedRecords: 0, fetchedRecords: 0,
                produceRate: 0, fetchRate: -0.0)),
        .clusterInfo(
            ClusterInfoResponse(
                brokerId: Int32.min, brokerVersion: unicode, startedAtMs: Int64.min, uptimeMs: Int64.max,
                dataDirectory: unicode, dataSizeBytes: Int64.max, diskTotalBytes: Int64.max,
                diskFreeBytes: Int64.min, connectionCount: Int32.max, topicCount: Int32.max,
                partitionCount: Int32.min, groupCount: -1, producedRecords: Int64.max, fetchedRecords: Int64.min,
                produceRate: .infinity, fetchRate: .leastNonzeroMagnitude)),
        .clusterInfo(
            ClusterInfoResponse(
                brokerId: 1, brokerVersion: "", startedAtMs: 0, uptimeMs: 1, dataDirectory: "", dataSizeBytes: 1,
                diskTotalBytes: 2, diskFreeBytes: 3, connectionCount: 4, topicCount: 5, partitionCount: 6,
                groupCount: 7, producedRecords: 8, fetchedRecords: 9, produceRate: 1234.5678,
                fetchRate: -.greatestFiniteMagnitude)),
        .listTopics(ListTopicsResponse(topics: [])),
        .listTopics(
            ListTopicsResponse(topics: [
                TopicListing(
                    name: "orders", partitionCount: 3, messageCount: 0, sizeBytes: 0, lastWriteTimeMs: -1,
                    isInternal: false, consumerGroups: []),
                TopicListing(
                    name: "__consumer_offsets", partitionCount: Int32.max, messageCount: Int64.max,
                    sizeBytes: Int64.min, lastWriteTimeMs: Int64.max, isInternal: true,
                    consumerGroups: ["billing", "", unicode]),
            ])),
        .describeTopic(
            DescribeTopicResponse(
                name: "orders", topicId: "", isInternal: false, config: [], partitions: [], consumerGroups: [])),
        .describeTopic(
            DescribeTopicResponse(
                name: unicode, topicId: "3F2504E0-4F89-11D3-9A0C-0305E82C3301", isInternal: true,
                config: [
                    ConfigEntry(key: "retention.ms", value: "604800000", isDefault: true),
                    ConfigEntry(key: "", value: unicode, isDefault: false),
                ],
                partitions: [
                    PartitionInfo(
                        partition: 0, leader: 0, replicas: [], inSyncReplicas: [], logStartOffset: 0,
                        highWatermark: 0, sizeBytes: 0, firstTimestampMs: -1, lastTimestampMs: -1),
                    PartitionInfo(
                        partition: Int32.max, leader: Int32.min, replicas: [0, Int32.max, Int32.min],
                        inSyncReplicas: [0], logStartOffset: Int64.min, highWatermark: Int64.max,
                        sizeBytes: Int64.max, firstTimestampMs: Int64.min, lastTimestampMs: Int64.max),
                ],
                consumerGroups: [
                    TopicGroupLag(groupId: "billing", state: "Stable", lag: 0),
                    TopicGroupLag(groupId: unicode, state: "", lag: Int64.max),
                ])),
        .createTopic(CreateTopicResponse(topicId: "")),
        .createTopic(CreateTopicResponse(topicId: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")),
        .deleteTopic(DeleteTopicResponse()),
        .deleteTopic(DeleteTopicResponse()),
        .alterTopicConfig(AlterTopicConfigResponse()),
        .alterTopicConfig(AlterTopicConfigResponse()),
        .addPartitions(AddPartitionsResponse()),
        .addPartitions(AddPartitionsResponse()),
        .produce(ProduceResponse(results: [])),
        .produce(
            ProduceResponse(results: [
                ProducedOffset(partition: 0, offset: 0, timestampMs: -1),
                ProducedOffset(partition: Int32.max, offset: Int64.max, timestampMs: Int64.min),
            ])),
        .fetch(FetchResponse(logStartOffset: 0, highWatermark: 0, records: [])),
        .fetch(FetchResponse(logStartOffset: Int64.min, highWatermark: Int64.max, records: fetchedRecords)),
        .listGroups(ListGroupsResponse(groups: [])),
        .listGroups(
            ListGroupsResponse(groups: [
                GroupListing(groupId: "billing", state: "Empty", memberCount: 0, topics: [], totalLag: -1),
                GroupListing(
                    groupId: unicode, state: "PreparingRebalance", memberCount: Int32.max,
                    topics: ["orders", unicode], totalLag: Int64.max),
            ])),
        .describeGroup(
            DescribeGroupResponse(
                groupId: "billing", state: "Empty", generation: 0, assignor: "", leaderId: "", members: [],
                partitions: [], totalLag: 0)),
        .describeGroup(
            DescribeGroupResponse(
                groupId: unicode, state: "Stable", generation: Int32.max, assignor: "range", leaderId: "m-1",
                members: [
                    GroupMemberInfo(
                        memberId: "m-1", clientId: "skiff-ui", clientHost: "127.0.0.1", sessionTimeoutMs: 45_000,
                        subscribedTopics: ["orders"],
                        assignment: [
                            TopicPartitionRef(topic: "orders", partition: 0),
                            TopicPartitionRef(topic: unicode, partition: Int32.max),
                        ], lastHeartbeatMs: 1_700_000_000_000),
                    GroupMemberInfo(
                        memberId: "", clientId: "", clientHost: "", sessionTimeoutMs: Int32.min, subscribedTopics: [],
                        assignment: [], lastHeartbeatMs: Int64.min),
                ],
                partitions: groupPartitions, totalLag: Int64.min)),
        .resetGroupOffsets(ResetGroupOffsetsResponse(entries: [])),
        .resetGroupOffsets(
            ResetGroupOffsetsResponse(entries: [
                OffsetResetInfo(topic: "orders", partition: 0, oldOffset: -1, newOffset: 0),
                OffsetResetInfo(topic: unicode, partition: Int32.max, oldOffset: Int64.max, newOffset: Int64.min),
            ])),
        .deleteGroup(DeleteGroupResponse()),
        .deleteGroup(DeleteGroupResponse()),
        .joinGroup(JoinGroupResponse(memberId: "skiff-ui-1-3F2504E0", generation: 1, state: "PreparingRebalance")),
        .joinGroup(JoinGroupResponse(memberId: "", generation: Int32.min, state: unicode)),
        .heartbeat(HeartbeatResponse(status: .awaitingAssignment, generation: -1, assignment: [])),
        .heartbeat(
            HeartbeatResponse(
                status: .assigned, generation: Int32.max,
                assignment: [
                    TopicPartitionRef(topic: "orders", partition: 0), TopicPartitionRef(topic: "", partition: -1),
                ])),
        .heartbeat(HeartbeatResponse(status: .rejoinRequired, generation: 0, assignment: [])),
        .commitOffsets(CommitOffsetsResponse()),
        .commitOffsets(CommitOffsetsResponse()),
        .leaveGroup(LeaveGroupResponse()),
        .leaveGroup(LeaveGroupResponse()),
        .fetchOffsets(FetchOffsetsResponse(offsets: [])),
        .fetchOffsets(
            FetchOffsetsResponse(offsets: [
                CommittedOffsetInfo(topic: "orders", partition: 0, offset: 0, metadata: "", commitTimestampMs: -1),
                CommittedOffsetInfo(
                    topic: unicode, partition: Int32.min, offset: Int64.max, metadata: longest,
                    commitTimestampMs: Int64.max),
            ])),
        .subscribe(SubscribeResponse(subscriptionId: 0)),
        .subscribe(SubscribeResponse(subscriptionId: UInt32.max)),
        .unsubscribe(UnsubscribeResponse()),
        .unsubscribe(UnsubscribeResponse()),
        .deleteRecords(DeleteRecordsResponse(partitions: [])),
        .deleteRecords(
            DeleteRecordsResponse(partitions: [
                DeleteRecordsResult(partition: 0, lowWatermark: 42),
                DeleteRecordsResult(
                    partition: Int32.max, error: .offsetOutOfRange,
                    message: "offset 99 is out of range for orders-1: valid offsets are 0 to 42"),
                DeleteRecordsResult(
                    partition: Int32.min, lowWatermark: Int64.max, errorCode: Int16.min, errorMessage: unicode),
            ])),
        .describeStorage(
            DescribeStorageResponse(
                openSegmentFiles: 0, segmentFileLimit: 64, openFileLimit: -1, segmentFileOpens: 0,
                segmentFileEvictions: 0, diskReserveBytes: 0, diskReserveHeld: false, notices: [])),
        .describeStorage(
            DescribeStorageResponse(
                openSegmentFiles: Int32.max, segmentFileLimit: Int32.max, openFileLimit: Int32.max,
                segmentFileOpens: Int64.max, segmentFileEvictions: Int64.max, diskReserveBytes: 4 << 20,
                diskReserveHeld: true,
                notices: [
                    StorageNoticeInfo(
                        kind: "stray-directory", path: "prices-0.3f2a9c-stray",
                        message: "moved partition directory prices-0 aside", timeMs: 1_700_000_000_000),
                    StorageNoticeInfo(kind: unicode, path: unicode, message: unicode, timeMs: Int64.min),
                ])),
        .search(SearchResponse(searchId: 0, totalOffsets: 0)),
        .search(SearchResponse(searchId: UInt32.max, totalOffsets: Int64.max)),
    ]

    static let events: [SubscriptionEvent] = [
        .records(topic: "orders", partition: 0, highWatermark: 0, records: []),
        .records(topic: unicode, partition: Int32.max, highWatermark: Int64.max, records: fetchedRecords),
        .lagSnapshot(groupId: "billing", state: "Empty", totalLag: 0, partitions: []),
        .lagSnapshot(groupId: unicode, state: "Stable", totalLag: Int64.min, partitions: groupPartitions),
        .ended(reason: "topic 'prices' was deleted"),
        .ended(reason: ""),
        .searchProgress(scannedOffsets: 0, totalOffsets: 0, matches: 0),
        .searchProgress(scannedOffsets: Int64.max, totalOffsets: Int64.max, matches: Int64.min),
        .searchDone(scannedOffsets: 1_000, matches: 3, complete: true, reason: ""),
        .searchDone(scannedOffsets: 8, matches: 1_000, complete: false, reason: unicode),
    ]
}
