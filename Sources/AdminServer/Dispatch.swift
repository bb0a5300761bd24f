import AdminProtocol
import BrokerCore

extension AdminServer {
    /// The one dispatch point: each request goes to its handler (one file per API in Handlers/).
    func dispatch(
        _ request: AdminRequest, header: RequestHeader, context: RequestContext, subscriptions: SubscriptionSet
    ) async throws(HandlerError) -> AdminResponse {
        switch request {
        case .apiVersions: preconditionFailure("ApiVersions is answered by the handshake, before dispatch")
        case .clusterInfo: .clusterInfo(ClusterInfoHandler.handle(context))
        case .listTopics(let r): .listTopics(ListTopicsHandler.handle(r, context))
        case .describeTopic(let r): .describeTopic(try DescribeTopicHandler.handle(r, context))
        case .createTopic(let r): .createTopic(try CreateTopicHandler.handle(r, context))
        case .deleteTopic(let r): .deleteTopic(try DeleteTopicHandler.handle(r, context))
        case .alterTopicConfig(let r): .alterTopicConfig(try AlterTopicConfigHandler.handle(r, context))
        case .addPartitions(let r): .addPartitions(try AddPartitionsHandler.handle(r, context))
        case .produce(let r): .produce(try ProduceHandler.handle(r, context))
        case .fetch(let r): .fetch(try FetchHandler.handle(r, context))
        case .listGroups: .listGroups(ListGroupsHandler.handle(context))
        case .describeGroup(let r): .describeGroup(try DescribeGroupHandler.handle(r, context))
        case .resetGroupOffsets(let r): .resetGroupOffsets(try ResetGroupOffsetsHandler.handle(r, context))
        case .deleteGroup(let r): .deleteGroup(try DeleteGroupHandler.handle(r, context))
        case .joinGroup(let r): .joinGroup(try JoinGroupHandler.handle(r, context))
        case .heartbeat(let r): .heartbeat(try HeartbeatHandler.handle(r, context))
        case .commitOffsets(let r): .commitOffsets(try CommitOffsetsHandler.handle(r, context))
        case .leaveGroup(let r): .leaveGroup(try LeaveGroupHandler.handle(r, context))
        case .fetchOffsets(let r): .fetchOffsets(try FetchOffsetsHandler.handle(r, context))
        case .subscribe(let r):
            .subscribe(
                try subscriptions.subscribe(r, subscriptionId: header.correlationId, version: header.apiVersion))
        case .unsubscribe(let r): .unsubscribe(try subscriptions.unsubscribe(r))
        case .deleteRecords(let r): .deleteRecords(try DeleteRecordsHandler.handle(r, context))
        case .describeStorage: .describeStorage(DescribeStorageHandler.handle(context))
        case .search(let r):
            .search(try subscriptions.search(r, searchId: header.correlationId, version: header.apiVersion))
        }
    }
}
