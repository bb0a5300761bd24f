/// One member of a consumer group, as the coordinator tracks it.
struct GroupMember: Hashable, Sendable {
    /// The coordinator-generated id.
    let memberId: String
    /// The order in which members first joined; the earliest present member leads.
    let joinSequence: UInt64
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    var topics: Set<String>
    /// The partitions of the current generation (or, while preparing a rebalance, the previous one).
    var assignment: [TopicPartition] = []
    /// The last join or heartbeat.
    var lastHeartbeatMs: Int64
    /// Whether the member (re)joined the rebalance being prepared.
    var hasJoined = false
    /// Whether the member collected its assignment of the current generation.
    var hasCollectedAssignment = false
    /// The generation the coordinator last told this member (in a join or heartbeat result).
    var knownGeneration: Int32 = 0

    /// When the session expires without another heartbeat.
    var sessionDeadlineMs: Int64 { lastHeartbeatMs &+ Int64(sessionTimeoutMs) }
}

/// The membership state machine of one consumer group: states, generations, members, and
/// the join phase of a rebalance. It is pure: no clock, no I/O, no assignor. Each operation
/// returns ``Action``s that the ``GroupCoordinator`` carries out, notably
/// ``Action/assignmentRequired(_:)``, answered by whichever ``GroupAssignmentStrategy`` is in
/// use through ``installAssignment(generation:assignment:)``.
///
/// The rebalance model is eager: when a rebalance starts every member must rejoin (giving up its
/// partitions) before the new generation starts, so no partition ever has two owners.
struct GroupStateMachine: Sendable {
    /// Why a member left the group.
    enum RemovalReason: String, Hashable, Sendable {
        case left = "left the group"
        case sessionExpired = "session timed out"
        case rebalanceTimeout = "did not rejoin before the rebalance timeout"
        case groupDeleted = "group was deleted"
    }

    /// What the state machine asks its owner to do or to record.
    enum Action: Hashable, Sendable {
        /// A new member was added.
        case memberJoined(memberId: String)
        /// A member was removed.
        case memberRemoved(memberId: String, reason: RemovalReason)
        /// The group entered PreparingRebalance.
        case rebalanceStarted(reason: String)
        /// The join phase completed: a new generation started in CompletingRebalance and needs
        /// an assignment, to be handed to ``installAssignment(generation:assignment:)``.
        case assignmentRequired(AssignmentRequest)
        /// The join phase completed without members: the group is Empty in a new generation.
        case becameEmpty(generation: Int32)
        /// Every member collected its assignment.
        case becameStable(generation: Int32)
    }

    /// Everything needed to compute the assignment of a new generation.
    struct AssignmentRequest: Hashable, Sendable {
        var groupId: String
        var generation: Int32
        var leaderId: String
        var assignor: PartitionAssignorName
        /// Member id → subscribed topics.
        var subscriptions: [String: Set<String>]
    }

    /// A join as the state machine sees it; the coordinator has validated the arguments and
    /// generated the id of a new member.
    struct JoinRequest: Hashable, Sendable {
        var memberId: String
        var isNewMember: Bool
        var clientId: String
        var clientHost: String
        var sessionTimeoutMs: Int32
        var rebalanceTimeoutMs: Int32
        var topics: Set<String>
        var assignor: PartitionAssignorName?
    }

    let groupId: String
    private(set) var state: GroupState = .empty
    private(set) var generation: Int32 = 0
    private(set) var members: [String: GroupMember] = [:]
    private(set) var leaderId: String?
    private(set) var assignor: PartitionAssignorName
    /// When the rebalance being prepared completes even if not every member rejoined.
    private(set) var rebalanceDeadlineMs: Int64?
    /// Whether the assignment of the current generation has been installed.
    private(set) var hasAssignment = false
    private let defaultAssignor: PartitionAssignorName
    private var nextJoinSequence: UInt64 = 0

    /// Creates an Empty group in generation 0.
    init(groupId: String, defaultAssignor: PartitionAssignorName) {
        self.groupId = groupId
        self.defaultAssignor = defaultAssignor
        self.assignor = defaultAssignor
    }

    // MARK: - Events

    /// A member joins: a new member (its id already generated), or a known member rejoining.
    ///
    /// A new member or a changed subscription starts a rebalance; a known member rejoining
    /// during PreparingRebalance is marked as joined; the join phase completes as soon as every
    /// member has joined.
    mutating func join(_ request: JoinRequest, now: Int64) throws(BrokerError) -> [Action] {
        let others = members.keys.filter { $0 != request.memberId }
        if let wanted = request.assignor, wanted != assignor, !others.isEmpty {
            throw .invalidRequest(
                "consumer group '\(groupId)' uses the \(assignor) assignor; member asked for \(wanted)"
                    + " (Kafka's INCONSISTENT_GROUP_PROTOCOL)")
        }
        var actions: [Action] = []
        if request.isNewMember {
            if others.isEmpty {
                assignor = request.assignor ?? defaultAssignor
            }
            members[request.memberId] = GroupMember(
                memberId: request.memberId, joinSequence: nextJoinSequence, clientId: request.clientId,
                clientHost: request.clientHost, sessionTimeoutMs: request.sessionTimeoutMs,
                rebalanceTimeoutMs: request.rebalanceTimeoutMs, topics: request.topics, lastHeartbeatMs: now,
                hasJoined: true, knownGeneration: generation)
            nextJoinSequence += 1
            actions.append(.memberJoined(memberId: request.memberId))
            actions += startRebalance(reason: "member \(request.memberId) joined", now: now, joined: request.memberId)
        } else {
            guard var member = members[request.memberId], state != .empty, state != .dead else {
                throw .unknownMemberId(group: groupId, memberId: request.memberId)
            }
            var changed = member.topics != request.topics
            if let wanted = request.assignor, wanted != assignor {
                assignor = wanted  // the only member may switch assignors
                changed = true
            }
            member.clientId = request.clientId
            member.clientHost = request.clientHost
            member.sessionTimeoutMs = request.sessionTimeoutMs
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
            member.topics = request.topics
            member.lastHeartbeatMs = now
            members[request.memberId] = member
            if state == .preparingRebalance {
                members[request.memberId]?.hasJoined = true
                actions += completeJoinIfReady()
            } else if changed {
                actions += startRebalance(
                    reason: "member \(request.memberId) changed its subscription", now: now, joined: request.memberId)
            }
        }
        members[request.memberId]?.knownGeneration = generation
        return actions
    }

    /// A member heartbeats: refreshes its session and learns what to do next.
    mutating func heartbeat(
        memberId: String, generation memberGeneration: Int32, now: Int64
    ) throws(BrokerError) -> (HeartbeatResult, [Action]) {
        guard var member = members[memberId] else {
            throw .unknownMemberId(group: groupId, memberId: memberId)
        }
        // A member that has not collected the current generation's assignment yet only knows the
        // generation it was last told.
        guard memberGeneration == generation || memberGeneration == member.knownGeneration else {
            throw .illegalGeneration(group: groupId, generation: memberGeneration, current: generation)
        }
        member.lastHeartbeatMs = now
        var actions: [Action] = []
        let result: HeartbeatResult
        switch state {
        case .preparingRebalance:
            result = member.hasJoined ? .awaitingAssignment : .rejoinRequired
        case .completingRebalance, .stable:
            if let leaderId, hasAssignment {
                member.hasCollectedAssignment = true
                member.knownGeneration = generation
                result = .assigned(
                    MemberAssignment(
                        generation: generation, partitions: member.assignment, leaderId: leaderId, assignor: assignor))
            } else {
                result = .awaitingAssignment
            }
        case .empty, .dead:
            throw .unknownMemberId(group: groupId, memberId: memberId)
        }
        members[memberId] = member
        if state == .completingRebalance, hasAssignment, members.values.allSatisfy(\.hasCollectedAssignment) {
            state = .stable
            actions.append(.becameStable(generation: generation))
        }
        return (result, actions)
    }

    /// A member leaves on its own: it is removed and a rebalance starts.
    mutating func leave(memberId: String, now: Int64) throws(BrokerError) -> [Action] {
        guard members[memberId] != nil else {
            throw .unknownMemberId(group: groupId, memberId: memberId)
        }
        return remove([memberId], reason: .left, now: now)
    }

    /// Time passes: expires members whose session timed out and completes a rebalance whose
    /// timeout passed, removing the members that did not rejoin.
    mutating func poll(now: Int64) -> [Action] {
        let expired = members.values.filter { $0.sessionDeadlineMs <= now }.map(\.memberId).sorted()
        var actions = expired.isEmpty ? [] : remove(expired, reason: .sessionExpired, now: now)
        if state == .preparingRebalance, let deadline = rebalanceDeadlineMs, deadline <= now {
            let late = members.values.filter { !$0.hasJoined }.map(\.memberId).sorted()
            for memberId in late {
                members[memberId] = nil
                actions.append(.memberRemoved(memberId: memberId, reason: .rebalanceTimeout))
            }
            actions += completeJoinIfReady()
        }
        return actions
    }

    /// The partitions of a subscribed topic changed (created, deleted, grown): members must
    /// rebalance so the assignment covers exactly the partitions that exist.
    mutating func topicChanged(_ topic: String, now: Int64) -> [Action] {
        guard state == .stable || state == .completingRebalance,
            members.values.contains(where: { $0.topics.contains(topic) })
        else { return [] }
        return startRebalance(reason: "partitions of topic '\(topic)' changed", now: now, joined: nil)
    }

    /// Installs the assignment of the generation announced by ``Action/assignmentRequired(_:)``.
    /// - Returns: `false` (and changes nothing) when that generation is no longer current or
    ///   already has its assignment.
    mutating func installAssignment(generation assigned: Int32, assignment: [String: [TopicPartition]]) -> Bool {
        guard state == .completingRebalance, assigned == generation, !hasAssignment else { return false }
        for memberId in members.keys {
            members[memberId]?.assignment = (assignment[memberId] ?? []).sorted()
        }
        hasAssignment = true
        return true
    }

    /// Checks that an offset commit from `memberId` in `memberGeneration` is allowed (Kafka's
    /// rules): a standalone client (generation < 0) only while the group has no members; a
    /// member only in the current generation, and not before collecting its assignment. A
    /// member's accepted commit also refreshes its session, as in Kafka.
    mutating func authorizeCommit(
        memberId: String, generation memberGeneration: Int32, now: Int64
    ) throws(BrokerError) {
        if members.isEmpty, memberGeneration < 0 {
            return
        }
        guard let member = members[memberId] else {
            throw .unknownMemberId(group: groupId, memberId: memberId)
        }
        if state == .completingRebalance, !member.hasCollectedAssignment {
            throw .rebalanceInProgress(groupId)
        }
        guard memberGeneration == generation else {
            throw .illegalGeneration(group: groupId, generation: memberGeneration, current: generation)
        }
        members[memberId]?.lastHeartbeatMs = now
    }

    // MARK: - Transitions

    /// Removes members, then lets the group rebalance without them.
    private mutating func remove(_ memberIds: [String], reason: RemovalReason, now: Int64) -> [Action] {
        var actions: [Action] = []
        for memberId in memberIds where members.removeValue(forKey: memberId) != nil {
            actions.append(.memberRemoved(memberId: memberId, reason: reason))
        }
        guard !actions.isEmpty else { return [] }
        switch state {
        case .stable, .completingRebalance:
            let who = memberIds.count == 1 ? "member \(memberIds[0])" : "\(memberIds.count) members"
            actions += startRebalance(reason: "\(who) \(reason.rawValue)", now: now, joined: nil)
        case .preparingRebalance:
            actions += completeJoinIfReady()
        case .empty, .dead:
            break
        }
        return actions
    }

    /// Enters PreparingRebalance (if not there already): every member but `joined` must rejoin
    /// within the longest rebalance timeout of the members.
    private mutating func startRebalance(reason: String, now: Int64, joined: String?) -> [Action] {
        var actions: [Action] = []
        if state != .preparingRebalance {
            state = .preparingRebalance
            for memberId in members.keys {
                members[memberId]?.hasJoined = memberId == joined
            }
            let timeout = members.values.map { Int64($0.rebalanceTimeoutMs) }.max() ?? 0
            rebalanceDeadlineMs = now &+ timeout
            actions.append(.rebalanceStarted(reason: reason))
        } else if let joined {
            members[joined]?.hasJoined = true
        }
        return actions + completeJoinIfReady()
    }

    /// Completes the join phase once every member has (re)joined: bumps the generation, elects
    /// the leader and asks for an assignment (CompletingRebalance), or becomes Empty.
    private mutating func completeJoinIfReady() -> [Action] {
        guard state == .preparingRebalance, members.values.allSatisfy(\.hasJoined) else { return [] }
        generation = generation == .max ? 1 : generation + 1
        rebalanceDeadlineMs = nil
        hasAssignment = false
        guard !members.isEmpty else {
            state = .empty
            leaderId = nil
            return [.becameEmpty(generation: generation)]
        }
        if leaderId.flatMap({ members[$0] }) == nil {
            leaderId = members.values.min(by: { $0.joinSequence < $1.joinSequence })?.memberId
        }
        state = .completingRebalance
        for memberId in members.keys {
            members[memberId]?.assignment = []
            members[memberId]?.hasCollectedAssignment = false
        }
        let request = AssignmentRequest(
            groupId: groupId, generation: generation, leaderId: leaderId ?? "", assignor: assignor,
            subscriptions: members.mapValues(\.topics))
        return [.assignmentRequired(request)]
    }
}
