// Design note: how Kafka's classic protocol fits on this coordinator later.
//
// The coordinator is split in three parts, so that Kafka's classic JoinGroup/SyncGroup protocol
// (client-side assignment: the leader receives every member's subscription in its JoinGroup
// response and sends the whole assignment back in SyncGroup) can be added without a rewrite:
//
// 1. `GroupStateMachine` (pure, one per group) owns states, generations, members and the join
//    phase. It knows nothing of assignors, clocks or I/O: every event (join, heartbeat, leave,
//    poll) returns `Action`s. When every member has (re)joined it bumps the generation, elects a
//    leader, enters CompletingRebalance and returns `.assignmentRequired(request)`; members get
//    `.awaitingAssignment` until `installAssignment(generation:assignment:)` is called, and the
//    group turns Stable once every member has collected its assignment.
// 2. `GroupAssignmentStrategy` decides who answers `.assignmentRequired`. Today
//    `BrokerAssignmentStrategy` runs the group's assignor at once (the broker-side assignment
//    of KIP-848). A classic-protocol strategy would return nil instead; the JoinGroup handler
//    would hand `request.subscriptions` to the leader, and the SyncGroup handler would call
//    `installAssignment` with the leader's assignment (followers' SyncGroup maps onto the
//    `.awaitingAssignment`/`.assigned` heartbeat results they already get).
// 3. `GroupCoordinator` (this file) validates requests, generates member ids, reads the clock,
//    persists offsets, applies actions and logs; one `Mutex` guards every group so that state
//    changes are atomic under concurrent callers.
//
// What the classic protocol would still need: JoinGroup responses that block until the join
// phase completes (the NIO server can park them and answer on `.assignmentRequired`), the
// MEMBER_ID_REQUIRED round trip for new members, and protocol selection among the assignors each
// member supports. None of these change the state machine's states or generations.

import Foundation
import Logging
import Synchronization

/// A consumer group and its committed offsets.
struct ConsumerGroup: Sendable {
    var machine: GroupStateMachine
    var offsets: [TopicPartition: CommittedOffset] = [:]

    /// Whether nothing is left of the group: no members and no committed offsets.
    var isDisposable: Bool { machine.state == .empty && offsets.isEmpty }
}

/// Everything the coordinator's lock guards.
struct GroupCoordinatorState: Sendable {
    var groups: [String: ConsumerGroup] = [:]
}

/// Log lines collected under the lock and written after it is released.
struct GroupEventLog {
    private var events: [(level: Logger.Level, groupId: String, message: String)] = []

    mutating func record(_ level: Logger.Level, group groupId: String, _ message: String) {
        events.append((level, groupId, message))
    }

    func emit(to logger: Logger) {
        for event in events {
            logger.log(level: event.level, "\(event.message)", metadata: ["group.id": "\(event.groupId)"])
        }
    }
}

/// The consumer-group coordinator of the broker: membership, rebalances, broker-side partition
/// assignment, committed offsets, lag, and offset administration, in Kafka's model.
///
/// Membership follows Kafka's classic states and generations with an eager rebalance: a join,
/// a leave, an expired session or a changed subscription moves the group to
/// ``GroupState/preparingRebalance``; once every member has (re)joined, or the rebalance timeout
/// has passed, the generation is bumped and the broker computes the assignment with the group's
/// assignor (``GroupState/completingRebalance``); members collect it by heartbeating, and the
/// group is ``GroupState/stable`` once all have. A member's flow is therefore: `join`, then
/// `heartbeat` until ``HeartbeatResult/assigned(_:)``, consume and `commitOffsets`, heartbeat
/// regularly, and `join` again (with its member id) on ``HeartbeatResult/rejoinRequired``.
///
/// All methods are synchronous and safe to call from any thread: one `Mutex` makes each call
/// atomic. Nothing sleeps; time comes from the injected ``BrokerClock``, and the broker calls
/// ``tick()`` periodically to expire sessions and rebalance timeouts (every other call also
/// applies them to the group it touches first). The ``OffsetStore`` and ``GroupTopicMetadata``
/// are called under the lock and must not call back into the coordinator.
public final class GroupCoordinator: Sendable {
    /// The protocol type of every group: `consumer`.
    public static let protocolType = "consumer"

    let clock: any BrokerClock
    let offsetStore: any OffsetStore
    let metadata: any GroupTopicMetadata
    let config: GroupCoordinatorConfig
    let logger: Logger
    let assignmentStrategy: any GroupAssignmentStrategy = BrokerAssignmentStrategy()
    let state: Mutex<GroupCoordinatorState>

    /// Creates the coordinator and restores committed offsets by replaying `offsetStore`: every
    /// group with committed offsets reappears, Empty.
    /// - Parameters:
    ///   - clock: the source of time for sessions, rebalance timeouts, commit times and time lag.
    ///   - offsetStore: where committed offsets are persisted.
    ///   - metadata: partition counts, watermarks and record timestamps of the topics.
    ///   - config: limits; Kafka's defaults unless given.
    ///   - logger: the logger; lines carry the `group.id` metadata key.
    /// - Throws: what `offsetStore.loadAll()` throws.
    public init(
        clock: any BrokerClock, offsetStore: any OffsetStore, metadata: any GroupTopicMetadata,
        config: GroupCoordinatorConfig = GroupCoordinatorConfig(), logger: Logger
    ) throws(BrokerError) {
        self.clock = clock
        self.offsetStore = offsetStore
        self.metadata = metadata
        self.config = config
        self.logger = logger
        var restored = GroupCoordinatorState()
        let entries = try offsetStore.loadAll()
        for entry in entries {
            let groupId = entry.key.group
            if let value = entry.value {
                restored.groups[groupId, default: ConsumerGroup(machine: Self.newMachine(groupId, config))]
                    .offsets[entry.key.topicPartition] = CommittedOffset(
                        offset: value.offset, leaderEpoch: value.leaderEpoch, metadata: value.metadata,
                        commitTimestamp: value.commitTimestamp)
            } else {
                restored.groups[groupId]?.offsets[entry.key.topicPartition] = nil
            }
        }
        restored.groups = restored.groups.filter { !$0.value.offsets.isEmpty }
        state = Mutex(restored)
        logger.info("restored \(restored.groups.count) consumer groups from \(entries.count) offset commit entries")
    }

    // MARK: - Membership

    /// A member joins the group, or rejoins it.
    ///
    /// A `nil` or empty `memberId` is a new member: the coordinator generates its id
    /// (`<clientId>-<uuid>`), adds it and starts a rebalance (creating the group if needed). A
    /// known `memberId` rejoins: during a rebalance it counts as having rejoined; otherwise only
    /// a changed subscription starts a rebalance. The rebalance completes as soon as every
    /// member has (re)joined; the member then heartbeats to collect its assignment.
    /// - Parameters:
    ///   - groupId: the group (`group.id`).
    ///   - memberId: `nil` or empty for a new member; the id from an earlier join to rejoin.
    ///   - clientId: the client's `client.id`.
    ///   - clientHost: the client's address, for display.
    ///   - sessionTimeoutMs: the member is removed when it does not heartbeat for this long;
    ///     within ``GroupCoordinatorConfig/minSessionTimeoutMs`` and
    ///     ``GroupCoordinatorConfig/maxSessionTimeoutMs``.
    ///   - rebalanceTimeoutMs: how long a rebalance waits for this member to rejoin.
    ///   - topics: the subscribed topics; not empty. Topics that do not exist yet are allowed.
    ///   - assignor: the assignor; the first member sets the group's (default:
    ///     ``GroupCoordinatorConfig/defaultAssignor``) and later members must agree or pass `nil`.
    /// - Throws: ``BrokerError/invalidGroupId(_:)``, ``BrokerError/invalidSessionTimeout(_:)``,
    ///   ``BrokerError/invalidRequest(_:)`` (bad topics or rebalance timeout, a different
    ///   assignor), ``BrokerError/unknownMemberId(group:memberId:)``.
    public func join(
        groupId: String, memberId: String?, clientId: String, clientHost: String, sessionTimeoutMs: Int32,
        rebalanceTimeoutMs: Int32, topics: [String], assignor: PartitionAssignorName? = nil
    ) throws(BrokerError) -> JoinResult {
        try validate(groupId: groupId)
        guard (config.minSessionTimeoutMs...config.maxSessionTimeoutMs).contains(sessionTimeoutMs) else {
            throw .invalidSessionTimeout(sessionTimeoutMs)
        }
        guard rebalanceTimeoutMs > 0 else {
            throw .invalidRequest("the rebalance timeout must be positive, got \(rebalanceTimeoutMs) ms")
        }
        let subscription = Set(topics)
        guard !subscription.isEmpty else {
            throw .invalidRequest("a member must subscribe to at least one topic")
        }
        if let bad = subscription.sorted().first(where: { $0.isEmpty || $0.utf8.count > 249 }) {
            throw .invalidRequest("'\(bad.debugEscaped)' is not a valid topic name")
        }
        let knownId = memberId.flatMap { $0.isEmpty ? nil : $0 }
        let request = GroupStateMachine.JoinRequest(
            memberId: knownId ?? Self.makeMemberId(clientId: clientId), isNewMember: knownId == nil,
            clientId: clientId, clientHost: clientHost, sessionTimeoutMs: sessionTimeoutMs,
            rebalanceTimeoutMs: rebalanceTimeoutMs, topics: subscription, assignor: assignor)
        let now = clock.nowMilliseconds()
        return try withState { state, log throws(BrokerError) in
            refresh(groupId, in: &state, now: now, log: &log)
            if state.groups[groupId] == nil {
                guard request.isNewMember else {
                    throw .unknownMemberId(group: groupId, memberId: request.memberId)
                }
                state.groups[groupId] = ConsumerGroup(machine: Self.newMachine(groupId, config))
            }
            let actions = try state.groups[groupId]!.machine.join(request, now: now)
            apply(actions, to: &state.groups[groupId]!, log: &log)
            let machine = state.groups[groupId]!.machine
            return JoinResult(
                memberId: request.memberId, generation: machine.generation, state: machine.state,
                leaderId: machine.leaderId, assignor: machine.assignor)
        }
    }

    /// A member heartbeats: its session is refreshed and it learns what to do.
    ///
    /// `generation` is the one of the member's last join or assignment. While the group prepares
    /// a rebalance the member is told to rejoin (or to wait, once it has); otherwise it receives
    /// its assignment of the current generation, and the group turns Stable once every member
    /// has collected its own.
    /// - Throws: ``BrokerError/unknownMemberId(group:memberId:)`` when the member is not in the
    ///   group (it must join as a new member), ``BrokerError/illegalGeneration(group:generation:current:)``
    ///   when `generation` is stale (it must rejoin), ``BrokerError/invalidGroupId(_:)``.
    public func heartbeat(groupId: String, memberId: String, generation: Int32) throws(BrokerError) -> HeartbeatResult {
        try validate(groupId: groupId)
        let now = clock.nowMilliseconds()
        return try withState { state, log throws(BrokerError) in
            refresh(groupId, in: &state, now: now, log: &log)
            guard state.groups[groupId] != nil else {
                throw .unknownMemberId(group: groupId, memberId: memberId)
            }
            let (result, actions) = try state.groups[groupId]!.machine.heartbeat(
                memberId: memberId, generation: generation, now: now)
            apply(actions, to: &state.groups[groupId]!, log: &log)
            return result
        }
    }

    /// A member leaves the group: it is removed at once and the others rebalance; the last
    /// member leaving makes the group Empty (in a new generation).
    /// - Throws: ``BrokerError/unknownMemberId(group:memberId:)``, ``BrokerError/invalidGroupId(_:)``.
    public func leave(groupId: String, memberId: String) throws(BrokerError) {
        try validate(groupId: groupId)
        let now = clock.nowMilliseconds()
        try withState { state, log throws(BrokerError) in
            refresh(groupId, in: &state, now: now, log: &log)
            guard state.groups[groupId] != nil else {
                throw .unknownMemberId(group: groupId, memberId: memberId)
            }
            let actions = try state.groups[groupId]!.machine.leave(memberId: memberId, now: now)
            apply(actions, to: &state.groups[groupId]!, log: &log)
        }
    }

    /// Applies the passage of time to every group: removes members whose session timed out
    /// (which starts a rebalance), completes rebalances whose timeout passed (removing the
    /// members that did not rejoin), and forgets Empty groups without committed offsets (Dead).
    /// The broker calls this periodically, e.g. every few hundred milliseconds.
    public func tick() {
        let now = clock.nowMilliseconds()
        withState { state, log in
            for groupId in state.groups.keys.sorted() {
                refresh(groupId, in: &state, now: now, log: &log)
                if state.groups[groupId]?.isDisposable == true {
                    state.groups[groupId] = nil
                    log.record(.info, group: groupId, "group is Dead: no members and no committed offsets")
                }
            }
        }
    }

    /// The partitions of `topic` changed (created, or partitions added): groups subscribed to it
    /// rebalance so the assignment covers exactly the partitions that exist.
    public func topicPartitionsChanged(_ topic: String) {
        let now = clock.nowMilliseconds()
        withState { state, log in
            for groupId in state.groups.keys.sorted() {
                let actions = state.groups[groupId]!.machine.topicChanged(topic, now: now)
                apply(actions, to: &state.groups[groupId]!, log: &log)
            }
        }
    }

    // MARK: - Internals shared by the extensions

    /// Runs `body` under the lock, then writes the log lines it recorded (also when it throws).
    func withState<T: Sendable, E: Error>(
        _ body: (inout GroupCoordinatorState, inout GroupEventLog) throws(E) -> T
    ) throws(E) -> T {
        var log = GroupEventLog()
        let outcome: Result<T, E> = state.withLock { state in
            do throws(E) {
                return .success(try body(&state, &log))
            } catch {
                return .failure(error)
            }
        }
        log.emit(to: logger)
        return try outcome.get()
    }

    /// Applies the passage of time to one group (session expiry, rebalance timeout).
    func refresh(_ groupId: String, in state: inout GroupCoordinatorState, now: Int64, log: inout GroupEventLog) {
        guard state.groups[groupId] != nil else { return }
        let actions = state.groups[groupId]!.machine.poll(now: now)
        apply(actions, to: &state.groups[groupId]!, log: &log)
    }

    /// Carries out the state machine's actions: computes assignments through the assignment
    /// strategy and records log lines.
    func apply(_ actions: [GroupStateMachine.Action], to group: inout ConsumerGroup, log: inout GroupEventLog) {
        let groupId = group.machine.groupId
        for action in actions {
            switch action {
            case .memberJoined(let memberId):
                log.record(.info, group: groupId, "member \(memberId) joined")
            case .memberRemoved(let memberId, let reason):
                log.record(.info, group: groupId, "member \(memberId) removed: \(reason.rawValue)")
            case .rebalanceStarted(let reason):
                log.record(.info, group: groupId, "rebalance started (PreparingRebalance): \(reason)")
            case .assignmentRequired(let request):
                log.record(
                    .info, group: groupId,
                    "generation \(request.generation) started with \(request.subscriptions.count) members,"
                        + " leader \(request.leaderId) (CompletingRebalance)")
                if let assignment = assignmentStrategy.assignment(for: request, metadata: metadata) {
                    if group.machine.installAssignment(generation: request.generation, assignment: assignment) {
                        for (memberId, partitions) in assignment.sorted(by: { $0.key < $1.key }) {
                            let list = partitions.map(\.description).joined(separator: ", ")
                            log.record(.debug, group: groupId, "member \(memberId) assigned [\(list)]")
                        }
                    } else {
                        log.record(.warning, group: groupId, "assignment for stale generation \(request.generation)")
                    }
                }
            case .becameEmpty(let generation):
                log.record(.info, group: groupId, "group is Empty (generation \(generation))")
            case .becameStable(let generation):
                log.record(.info, group: groupId, "group is Stable (generation \(generation))")
            }
        }
    }

    /// Checks a group id: not empty, at most ``GroupCoordinatorConfig/maxGroupIdBytes``, no
    /// control characters.
    func validate(groupId: String) throws(BrokerError) {
        guard !groupId.isEmpty else {
            throw .invalidGroupId("the group id must not be empty")
        }
        guard groupId.utf8.count <= config.maxGroupIdBytes else {
            throw .invalidGroupId(
                "the group id is \(groupId.utf8.count) bytes long; at most \(config.maxGroupIdBytes) are allowed")
        }
        guard !groupId.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .invalidGroupId("the group id '\(groupId.debugEscaped)' contains control characters")
        }
    }

    static func newMachine(_ groupId: String, _ config: GroupCoordinatorConfig) -> GroupStateMachine {
        GroupStateMachine(groupId: groupId, defaultAssignor: config.defaultAssignor)
    }

    /// Kafka's member id: the client id, a dash, a random UUID.
    static func makeMemberId(clientId: String) -> String {
        "\(clientId.isEmpty ? "consumer" : clientId)-\(UUID().uuidString.lowercased())"
    }
}
