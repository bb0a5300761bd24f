import BrokerCore

extension TopicPartition {
    /// `tp("t0", 1)`: shorthand for tests.
    static func tp(_ topic: String, _ partition: Int32) -> TopicPartition {
        TopicPartition(topic: topic, partition: partition)
    }
}
