/// Kafka's error codes that Skiff sends or reads, by their numbers in Kafka's protocol guide.
public enum KafkaErrorCode: Int16, Sendable, CaseIterable {
    /// Success.
    case none = 0
    /// UNKNOWN_SERVER_ERROR.
    case unknownServerError = -1
    /// OFFSET_OUT_OF_RANGE.
    case offsetOutOfRange = 1
    /// CORRUPT_MESSAGE.
    case corruptMessage = 2
    /// UNKNOWN_TOPIC_OR_PARTITION.
    case unknownTopicOrPartition = 3
    /// INVALID_FETCH_SIZE.
    case invalidFetchSize = 4
    /// LEADER_NOT_AVAILABLE.
    case leaderNotAvailable = 5
    /// NOT_LEADER_OR_FOLLOWER.
    case notLeaderOrFollower = 6
    /// REQUEST_TIMED_OUT.
    case requestTimedOut = 7
    /// MESSAGE_TOO_LARGE.
    case messageTooLarge = 10
    /// COORDINATOR_NOT_AVAILABLE.
    case coordinatorNotAvailable = 15
    /// INVALID_TOPIC_EXCEPTION.
    case invalidTopicException = 17
    /// RECORD_LIST_TOO_LARGE.
    case recordListTooLarge = 18
    /// INVALID_REQUIRED_ACKS.
    case invalidRequiredAcks = 21
    /// TOPIC_AUTHORIZATION_FAILED.
    case topicAuthorizationFailed = 29
    /// CLUSTER_AUTHORIZATION_FAILED.
    case clusterAuthorizationFailed = 31
    /// INVALID_TIMESTAMP.
    case invalidTimestamp = 32
    /// UNSUPPORTED_SASL_MECHANISM.
    case unsupportedSaslMechanism = 33
    /// ILLEGAL_SASL_STATE.
    case illegalSaslState = 34
    /// UNSUPPORTED_VERSION.
    case unsupportedVersion = 35
    /// TOPIC_ALREADY_EXISTS.
    case topicAlreadyExists = 36
    /// INVALID_PARTITIONS.
    case invalidPartitions = 37
    /// INVALID_REPLICATION_FACTOR.
    case invalidReplicationFactor = 38
    /// INVALID_REPLICA_ASSIGNMENT.
    case invalidReplicaAssignment = 39
    /// INVALID_CONFIG.
    case invalidConfig = 40
    /// INVALID_REQUEST.
    case invalidRequest = 42
    /// UNSUPPORTED_FOR_MESSAGE_FORMAT.
    case unsupportedForMessageFormat = 43
    /// POLICY_VIOLATION.
    case policyViolation = 44
    /// TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
    case transactionalIdAuthorizationFailed = 53
    /// KAFKA_STORAGE_ERROR.
    case kafkaStorageError = 56
    /// SASL_AUTHENTICATION_FAILED.
    case saslAuthenticationFailed = 58
    /// UNKNOWN_PRODUCER_ID.
    case unknownProducerId = 59
    /// INVALID_RECORD.
    case invalidRecord = 87
    /// UNKNOWN_TOPIC_ID.
    case unknownTopicId = 100
    /// UNSUPPORTED_COMPRESSION_TYPE.
    case unsupportedCompressionType = 76
    /// UNKNOWN_LEADER_EPOCH.
    case unknownLeaderEpoch = 75
    /// INCONSISTENT_TOPIC_ID.
    case inconsistentTopicId = 103
}
