/// Who computes the assignment of a new generation.
///
/// The ``GroupStateMachine`` only announces that a generation needs an assignment
/// (``GroupStateMachine/Action/assignmentRequired(_:)``). With ``BrokerAssignmentStrategy``
/// (KIP-848 style, the only one today) the broker computes it at once. Kafka's classic protocol
/// would add a strategy that returns `nil` here and installs the assignment later, when the
/// leader sends it in SyncGroup.
protocol GroupAssignmentStrategy: Sendable {
    /// The assignment for `request`, or `nil` when it will be installed later.
    func assignment(
        for request: GroupStateMachine.AssignmentRequest, metadata: any GroupTopicMetadata
    ) -> [String: [TopicPartition]]?
}

/// The broker computes the assignment with the group's assignor over the topics that exist now.
struct BrokerAssignmentStrategy: GroupAssignmentStrategy {
    func assignment(
        for request: GroupStateMachine.AssignmentRequest, metadata: any GroupTopicMetadata
    ) -> [String: [TopicPartition]]? {
        var partitionsPerTopic: [String: Int32] = [:]
        for topic in Set(request.subscriptions.values.flatMap { $0 }) {
            if let count = metadata.partitionCount(of: topic), count > 0 {
                partitionsPerTopic[topic] = count
            }
        }
        return request.assignor.assignor.assign(
            partitionsPerTopic: partitionsPerTopic, subscriptions: request.subscriptions)
    }
}
