import AdminProtocol
import Testing

struct ApiKeyAndErrorCodeTests {
    /// The 24 API keys of section 4, numbered 0 … 23 in the document's order, all at version 1 only
    /// but ResetGroupOffsets (1 and 2: v2 appends `partitions`).
    @Test func apiKeys() {
        let names = [
            "ApiVersions", "ClusterInfo", "ListTopics", "DescribeTopic", "CreateTopic", "DeleteTopic",
            "AlterTopicConfig", "AddPartitions", "Produce", "Fetch", "ListGroups", "DescribeGroup",
            "ResetGroupOffsets", "DeleteGroup", "JoinGroup", "Heartbeat", "CommitOffsets", "LeaveGroup",
            "FetchOffsets", "Subscribe", "Unsubscribe", "DeleteRecords", "DescribeStorage", "Search",
        ]
        #expect(ApiKey.allCases.map(\.rawValue) == Array(0...23))
        #expect(ApiKey.allCases.map(\.name) == names)
        let twoVersions: Set<ApiKey> = [.clusterInfo, .resetGroupOffsets, .fetch, .subscribe, .search]
        #expect(ApiKey.allCases.filter { !twoVersions.contains($0) }.allSatisfy { $0.supportedVersions == 1...1 })
        #expect(twoVersions.allSatisfy { $0.supportedVersions == 1...2 })
    }

    /// Every code of section 5 (plus UNSUPPORTED_COMPRESSION_TYPE) with its number and Kafka-style name.
    @Test func errorCodes() {
        let table: [(Int16, String)] = [
            (0, "NONE"), (-1, "UNKNOWN_SERVER_ERROR"), (1, "OFFSET_OUT_OF_RANGE"), (2, "CORRUPT_MESSAGE"),
            (3, "UNKNOWN_TOPIC_OR_PARTITION"), (10, "MESSAGE_TOO_LARGE"), (17, "INVALID_TOPIC_EXCEPTION"),
            (22, "ILLEGAL_GENERATION"), (31, "CLUSTER_AUTHORIZATION_FAILED"), (32, "INVALID_TIMESTAMP"),
            (24, "INVALID_GROUP_ID"),
            (25, "UNKNOWN_MEMBER_ID"),
            (26, "INVALID_SESSION_TIMEOUT"), (27, "REBALANCE_IN_PROGRESS"), (35, "UNSUPPORTED_VERSION"),
            (36, "TOPIC_ALREADY_EXISTS"), (37, "INVALID_PARTITIONS"), (40, "INVALID_CONFIG"), (42, "INVALID_REQUEST"),
            (56, "KAFKA_STORAGE_ERROR"), (58, "AUTHENTICATION_FAILED"), (68, "NON_EMPTY_GROUP"),
            (69, "GROUP_ID_NOT_FOUND"),
            (76, "UNSUPPORTED_COMPRESSION_TYPE"), (1000, "MALFORMED_REQUEST"), (1001, "UNKNOWN_API"),
            (1002, "FRAME_TOO_LARGE"), (1003, "HANDSHAKE_REQUIRED"), (1004, "TOO_MANY_REQUESTS"),
        ]
        #expect(AdminErrorCode.allCases.count == table.count)
        for (code, name) in table {
            #expect(AdminErrorCode(rawValue: code)?.name == name)
        }
        #expect(AdminErrorCode.allCases.allSatisfy { $0.defaultMessage.hasSuffix(".") })
        #expect(AdminErrorCode.unknownTopicOrPartition.description == "UNKNOWN_TOPIC_OR_PARTITION (3)")
    }

    /// Codec errors map onto the wire codes a broker answers with, with a readable sentence.
    @Test func protocolErrorCodes() {
        #expect(AdminProtocolError.malformed(reason: "x: y").errorCode == .malformedRequest)
        #expect(AdminProtocolError.unsupportedVersion(apiKey: .fetch, version: 3).errorCode == .unsupportedVersion)
        #expect(AdminProtocolError.unsupportedVersion(apiKey: .fetch, version: 3).description.contains("Fetch v3"))
        #expect(AdminProtocolError.frameTooLarge(size: 20, limit: 10).description.contains("20"))
    }

    /// A header without a message falls back to the code's default sentence.
    @Test func displayMessage() {
        let header = ResponseHeader(correlationId: 1, kind: .response, error: .groupIdNotFound, errorMessage: "")
        #expect(header.displayMessage == AdminErrorCode.groupIdNotFound.defaultMessage)
        let withMessage = ResponseHeader(
            correlationId: 1, kind: .response, error: .groupIdNotFound, errorMessage: "no 'g'")
        #expect(withMessage.displayMessage == "no 'g'")
    }
}
