import BrokerCore
import Foundation

/// The one narrow interface through which the admin server reaches a broker.
///
/// The bundled broker (``BrokerCore/Broker``) implements it today; a later implementation backed
/// by a real Kafka cluster will implement it too, so the same server, CLI and UI can front
/// either. It speaks BrokerCore's value types (the shared model), never the wire types: the
/// per-API handlers translate between the two.
public protocol BrokerBackend: Sendable {
    /// The broker id reported as leader and replica.
    var brokerId: Int32 { get }
    /// Where the data lives (shown by ClusterInfo).
    var dataDirectory: String { get }
    /// When the broker started, milliseconds since the epoch.
    var startedAt: Int64 { get }
    /// The broker's clock, milliseconds since the epoch.
    func nowMilliseconds() -> Int64
    /// Records produced and fetched since start.
    func trafficCounters() -> TrafficCounters
    /// Bytes stored in partition logs.
    func dataSizeBytes() -> Int64
    /// The file system holding the data, nil when unknown; see `Broker.diskSpace()`.
    func diskSpace() -> DiskSpace?
    /// Topics (internal ones included), partitions and consumer groups; see `Broker.counts()`.
    func counts() -> BrokerCounts

    /// Every topic with totals.
    func listTopics(includeInternal: Bool) -> [TopicSummary]
    /// One topic in detail.
    func describeTopic(_ name: String) throws(BrokerError) -> TopicDescription
    /// Creates a topic (or only validates the request); returns the new topic id.
    func createTopic(
        _ name: String, partitions: Int32, config: [String: String], validateOnly: Bool
    )
        throws(BrokerError) -> UUID?
    /// Deletes a topic.
    func deleteTopic(_ name: String) throws(BrokerError)
    /// Sets and removes topic config entries.
    func alterTopicConfig(_ name: String, set: [String: String], delete: [String]) throws(BrokerError)
    /// Grows a topic to `totalCount` partitions.
    func addPartitions(_ name: String, totalCount: Int32) throws(BrokerError)
    /// The partition count of a topic, nil when it does not exist.
    func partitionCount(of topic: String) -> Int32?
    /// The id of a topic, nil when it does not exist. Every topic created gets a new id (Kafka's
    /// topic id), so a topic deleted and recreated under the same name has a different one.
    func topicId(of topic: String) -> UUID?

    /// Appends records; each goes to its partition or the partitioner's choice.
    func produce(
        topic: String, records: [(partition: Int32?, record: ProducerRecord)]
    ) throws(BrokerError)
        -> [ProduceResult]
    /// Reads records from one partition.
    func fetch(
        _ tp: TopicPartition, from offset: Int64, maxRecords: Int, maxBytes: Int
    ) throws(BrokerError)
        -> FetchResult
    /// Resolves an offset spec in a partition (ListOffsets).
    func offset(_ tp: TopicPartition, for spec: OffsetSpec) throws(BrokerError) -> Int64
    /// The high watermark of a partition, nil when it does not exist.
    func highWatermark(_ tp: TopicPartition) -> Int64?
    /// Moves the low watermark of `tp` to `offset` (-1 = the high watermark), deleting the records
    /// before it (Kafka's DeleteRecords); returns the new low watermark. An offset at or below the
    /// current low watermark changes nothing.
    func deleteRecords(_ tp: TopicPartition, before offset: Int64) throws(BrokerError) -> Int64

    /// The cluster id and node id (Kafka's Metadata and DescribeCluster report them).
    var identity: ClusterIdentity { get }
    /// Appends a record batch as a Kafka client sent it; see `Broker.appendBatch(_:_:)`.
    func appendBatch(_ tp: TopicPartition, _ bytes: [UInt8]) throws(BrokerError) -> AppendInfo
    /// The stored batches from the one holding `offset`, whole, with the watermarks.
    func readBatches(
        _ tp: TopicPartition, from offset: Int64, maxBytes: Int
    ) throws(BrokerError) -> (bytes: [UInt8], logStartOffset: Int64, highWatermark: Int64)

    /// Kafka's ListOffsets for one partition; see `Broker.listOffset(_:timestamp:)`.
    func listOffset(_ tp: TopicPartition, timestamp: Int64) throws(BrokerError) -> (offset: Int64, timestamp: Int64)?

    /// The storage's state: notices, open segment files, the disk reserve.
    var storageStatus: StorageStatus { get }

    /// The consumer group coordinator.
    var groups: GroupCoordinator { get }
}

extension Broker: BrokerBackend {
    public var brokerId: Int32 { config.brokerId }
    public var dataDirectory: String { config.dataDirectory }
    public func nowMilliseconds() -> Int64 { clock.nowMilliseconds() }
    public func trafficCounters() -> TrafficCounters { trafficCounters }
    public func dataSizeBytes() -> Int64 { dataSizeBytes }

    public func createTopic(
        _ name: String, partitions: Int32, config: [String: String], validateOnly: Bool
    )
        throws(BrokerError) -> UUID?
    {
        if validateOnly {
            try validateNewTopic(name, partitions: partitions, config: config)
            return nil
        }
        return try createTopic(name, partitions: partitions, config: config).topicId
    }

    public func partitionCount(of topic: String) -> Int32? { topics.partitionCount(of: topic) }

    public func topicId(of topic: String) -> UUID? { try? topics.topic(topic).record.topicId }

    public func highWatermark(_ tp: TopicPartition) -> Int64? { (try? topics.partition(tp))?.logEndOffset }
}
