import AdminProtocol

/// ListGroups (key 10): every group with state, members, topics and total lag.
enum ListGroupsHandler {
    static func handle(_ context: RequestContext) -> ListGroupsResponse {
        ListGroupsResponse(
            groups: context.backend.groups.listGroups().map {
                GroupListing(
                    groupId: $0.groupId, state: $0.state.rawValue, memberCount: Int32($0.memberCount),
                    topics: $0.topics, totalLag: $0.totalLag)
            })
    }
}
