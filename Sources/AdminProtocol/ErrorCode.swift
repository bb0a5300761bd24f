/// The error codes of a response header (`docs/admin-protocol.md`, section 5). Where Kafka has an
/// error for the same condition Skiff uses Kafka's code and name; Skiff's own codes start at 1000.
///
/// A response header keeps the raw `Int16` (a newer broker may send a code this client does not
/// know); ``ResponseHeader/knownErrorCode`` maps it onto this type.
public enum AdminErrorCode: Int16, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Success.
    case none = 0
    /// An unexpected broker failure; the message says what.
    case unknownServerError = -1
    /// The offset is outside [low watermark, high watermark].
    case offsetOutOfRange = 1
    /// A record batch failed its length or CRC check.
    case corruptMessage = 2
    /// No such topic or partition.
    case unknownTopicOrPartition = 3
    /// Larger than the topic's `max.message.bytes`.
    case messageTooLarge = 10
    /// The topic name breaks Kafka's rules.
    case invalidTopicException = 17
    /// A stale group generation.
    case illegalGeneration = 22
    /// The connection's token is read-only and the request would change something.
    case clusterAuthorizationFailed = 31
    /// A record's timestamp is below -1 (-1 alone means "none: the broker stamps the append time").
    case invalidTimestamp = 32
    /// An empty or unacceptable group id.
    case invalidGroupId = 24
    /// The member is not in the group.
    case unknownMemberId = 25
    /// A session timeout outside the broker's bounds.
    case invalidSessionTimeout = 26
    /// The group is rebalancing; rejoin.
    case rebalanceInProgress = 27
    /// The API version is not supported.
    case unsupportedVersion = 35
    /// A topic with that name exists.
    case topicAlreadyExists = 36
    /// A bad partition count.
    case invalidPartitions = 37
    /// A bad topic config key or value.
    case invalidConfig = 40
    /// An argument that is not valid for the request.
    case invalidRequest = 42
    /// The broker's disk failed the operation.
    case kafkaStorageError = 56
    /// The handshake carried no token or a wrong one, on a broker that requires one; the
    /// connection is closed. (Kafka's code 58 is SASL_AUTHENTICATION_FAILED; Skiff has no SASL.)
    case authenticationFailed = 58
    /// The group has active members.
    case nonEmptyGroup = 68
    /// No such group.
    case groupIdNotFound = 69
    /// The records are in a batch compressed with a codec Skiff cannot read.
    case unsupportedCompressionType = 76
    /// A request body that does not decode (the connection stays open), or a frame length below
    /// the minimum (the connection is closed).
    case malformedRequest = 1000
    /// An API key this broker does not know.
    case unknownApi = 1001
    /// A frame over the maximum size; the connection is closed.
    case frameTooLarge = 1002
    /// A request before ApiVersions, or no handshake within the broker's handshake timeout; the
    /// connection is closed.
    case handshakeRequired = 1003
    /// A limit of the protocol document's section 4a was hit (after the frame completion timeout
    /// the connection is closed).
    case tooManyRequests = 1004

    /// The Kafka-style name, as the protocol document writes it (`"UNKNOWN_TOPIC_OR_PARTITION"`).
    public var name: String {
        switch self {
        case .none: "NONE"
        case .unknownServerError: "UNKNOWN_SERVER_ERROR"
        case .offsetOutOfRange: "OFFSET_OUT_OF_RANGE"
        case .corruptMessage: "CORRUPT_MESSAGE"
        case .unknownTopicOrPartition: "UNKNOWN_TOPIC_OR_PARTITION"
        case .messageTooLarge: "MESSAGE_TOO_LARGE"
        case .invalidTopicException: "INVALID_TOPIC_EXCEPTION"
        case .illegalGeneration: "ILLEGAL_GENERATION"
        case .clusterAuthorizationFailed: "CLUSTER_AUTHORIZATION_FAILED"
        case .invalidTimestamp: "INVALID_TIMESTAMP"
        case .invalidGroupId: "INVALID_GROUP_ID"
        case .unknownMemberId: "UNKNOWN_MEMBER_ID"
        case .invalidSessionTimeout: "INVALID_SESSION_TIMEOUT"
        case .rebalanceInProgress: "REBALANCE_IN_PROGRESS"
        case .unsupportedVersion: "UNSUPPORTED_VERSION"
        case .topicAlreadyExists: "TOPIC_ALREADY_EXISTS"
        case .invalidPartitions: "INVALID_PARTITIONS"
        case .invalidConfig: "INVALID_CONFIG"
        case .invalidRequest: "INVALID_REQUEST"
        case .kafkaStorageError: "KAFKA_STORAGE_ERROR"
        case .authenticationFailed: "AUTHENTICATION_FAILED"
        case .nonEmptyGroup: "NON_EMPTY_GROUP"
        case .groupIdNotFound: "GROUP_ID_NOT_FOUND"
        case .unsupportedCompressionType: "UNSUPPORTED_COMPRESSION_TYPE"
        case .malformedRequest: "MALFORMED_REQUEST"
        case .unknownApi: "UNKNOWN_API"
        case .frameTooLarge: "FRAME_TOO_LARGE"
        case .handshakeRequired: "HANDSHAKE_REQUIRED"
        case .tooManyRequests: "TOO_MANY_REQUESTS"
        }
    }

    /// A sentence for when the broker sent no message of its own (an empty `errorMessage`).
    public var defaultMessage: String {
        switch self {
        case .none: "Success."
        case .unknownServerError: "The broker failed unexpectedly."
        case .offsetOutOfRange: "The offset is outside the partition's range of stored offsets."
        case .corruptMessage: "A record batch failed its length or CRC check."
        case .unknownTopicOrPartition: "The topic or partition does not exist."
        case .messageTooLarge: "The record is larger than the topic's max.message.bytes."
        case .invalidTopicException: "The topic name is not valid."
        case .illegalGeneration: "The group generation is stale; the member must rejoin."
        case .clusterAuthorizationFailed: "The connection's token is read-only; this request needs an admin token."
        case .invalidTimestamp: "A record's timestamp is not valid: it must be 0 or more, or -1 for the append time."
        case .invalidGroupId: "The group id is empty or not acceptable."
        case .unknownMemberId: "The member is not part of the group."
        case .invalidSessionTimeout: "The session timeout is outside the broker's allowed range."
        case .rebalanceInProgress: "The group is rebalancing; the member must rejoin."
        case .unsupportedVersion: "The broker does not support this version of the API."
        case .topicAlreadyExists: "A topic with this name already exists."
        case .invalidPartitions: "The partition count is not valid."
        case .invalidConfig: "A topic config key or value is not valid."
        case .invalidRequest: "The request has an argument that is not valid."
        case .kafkaStorageError: "The broker's disk failed the operation."
        case .authenticationFailed: "The broker requires a valid token in the handshake."
        case .nonEmptyGroup: "The group still has active members."
        case .groupIdNotFound: "The group does not exist."
        case .unsupportedCompressionType: "The records are compressed with a codec the broker cannot read."
        case .malformedRequest: "The request could not be decoded."
        case .unknownApi: "The broker does not know this API."
        case .frameTooLarge: "The frame is larger than the maximum frame size."
        case .handshakeRequired: "The first request on a connection must be ApiVersions."
        case .tooManyRequests: "A per-connection limit was reached."
        }
    }

    /// The Kafka-style name and the code, as `"UNKNOWN_TOPIC_OR_PARTITION (3)"`.
    public var description: String { "\(name) (\(rawValue))" }
}
