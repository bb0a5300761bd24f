extension GroupCoordinator {
    /// Commits offsets for a group, durably: the entries are written to the ``OffsetStore``
    /// first, and only then become visible in ``fetchOffsets(groupId:)``.
    ///
    /// Allowed (Kafka's rules) from a member in the group's current generation, also while a
    /// rebalance is being prepared (members commit before they rejoin), but not from a member
    /// that has not collected its assignment of a new generation; and from a standalone client
    /// (`generation` < 0, any `memberId`, usually empty) only while the group has no members,
    /// which creates the group, Empty, if needed. A member's commit also refreshes its session.
    /// - Parameters:
    ///   - offsets: per partition, the next offset to consume and optional metadata. Every
    ///     partition must exist; offsets must not be negative.
    /// - Throws: ``BrokerError/unknownMemberId(group:memberId:)``,
    ///   ``BrokerError/illegalGeneration(group:generation:current:)`` (stale generation, or a
    ///   member generation for a group that does not exist),
    ///   ``BrokerError/rebalanceInProgress(_:)``, ``BrokerError/unknownTopicOrPartition(topic:partition:)``,
    ///   ``BrokerError/invalidRequest(_:)`` (negative offset, metadata too large),
    ///   ``BrokerError/invalidGroupId(_:)``, or the store's error (nothing is committed then).
    public func commitOffsets(
        groupId: String, memberId: String, generation: Int32, offsets: [TopicPartition: OffsetAndMetadata]
    ) throws(BrokerError) {
        try validate(groupId: groupId)
        let sorted = offsets.sorted { $0.key < $1.key }
        var partitionCounts: [String: Int32?] = [:]
        for (topicPartition, commit) in sorted {
            guard commit.offset >= 0 else {
                throw .invalidRequest("cannot commit negative offset \(commit.offset) for \(topicPartition)")
            }
            guard commit.metadata.utf8.count <= config.maxOffsetMetadataBytes else {
                throw .invalidRequest(
                    "offset metadata for \(topicPartition) is \(commit.metadata.utf8.count) bytes;"
                        + " offset.metadata.max.bytes is \(config.maxOffsetMetadataBytes)")
            }
            try checkExists(topicPartition, counts: &partitionCounts)
        }
        let now = clock.nowMilliseconds()
        try withState { state, log throws(BrokerError) in
            refresh(groupId, in: &state, now: now, log: &log)
            if state.groups[groupId] != nil {
                try state.groups[groupId]!.machine.authorizeCommit(memberId: memberId, generation: generation, now: now)
            } else if generation >= 0 {
                throw .illegalGeneration(group: groupId, generation: generation, current: 0)
            }
            guard !sorted.isEmpty else { return }
            let committed = sorted.map { topicPartition, commit in
                (
                    topicPartition,
                    CommittedOffset(
                        offset: commit.offset, leaderEpoch: commit.leaderEpoch, metadata: commit.metadata,
                        commitTimestamp: now)
                )
            }
            try persist(groupId: groupId, committed, in: &state)
            log.record(.debug, group: groupId, "committed \(committed.count) offsets (member '\(memberId)')")
        }
    }

    /// The offsets `groupId` has committed; empty for an unknown group.
    public func fetchOffsets(groupId: String) -> [TopicPartition: CommittedOffset] {
        withState { state, _ in state.groups[groupId]?.offsets ?? [:] }
    }

    /// Moves a group's committed offsets, like `kafka-consumer-groups.sh --reset-offsets`.
    ///
    /// Allowed only while the group has no members (it is Empty, or does not exist yet: then
    /// `topics` must be given and executing creates it). New offsets are clamped to
    /// `[log start offset, high watermark]`.
    /// - Parameters:
    ///   - topics: reset every partition of these topics; when empty (and `partitions` too), every
    ///     partition the group has committed offsets for (skipping topics that no longer exist).
    ///   - partitions: reset these partitions as well (`--topic t:0,1`); each must exist.
    ///   - target: where to move the offsets.
    ///   - dryRun: when `true`, only compute the result (a preview); nothing is written.
    /// - Returns: per partition, sorted, the committed offset before and after.
    /// - Throws: ``BrokerError/nonEmptyGroup(_:)`` when the group has members,
    ///   ``BrokerError/groupIdNotFound(_:)`` (no topics given for an unknown group),
    ///   ``BrokerError/unknownTopicOrPartition(topic:partition:)``,
    ///   ``BrokerError/invalidRequest(_:)`` (shift of a partition without committed offset),
    ///   ``BrokerError/invalidGroupId(_:)``, or a metadata or store error.
    public func resetOffsets(
        groupId: String, topics: [String], partitions chosen: [TopicPartition] = [], to target: OffsetResetTarget,
        dryRun: Bool
    ) throws(BrokerError) -> [OffsetResetEntry] {
        try validate(groupId: groupId)
        let now = clock.nowMilliseconds()
        return try withState { state, log throws(BrokerError) -> [OffsetResetEntry] in
            refresh(groupId, in: &state, now: now, log: &log)
            let group = state.groups[groupId]
            if let group, !group.machine.members.isEmpty {
                throw .nonEmptyGroup(groupId)
            }
            let committed = group?.offsets ?? [:]
            var partitions: [TopicPartition] = []
            if topics.isEmpty && chosen.isEmpty {
                guard group != nil else { throw .groupIdNotFound(groupId) }
                partitions = committed.keys.filter { metadata.partitionCount(of: $0.topic) != nil }.sorted()
            } else {
                var scope: Set<TopicPartition> = []
                for topic in Set(topics).sorted() {
                    guard let count = metadata.partitionCount(of: topic) else {
                        throw .unknownTopicOrPartition(topic: topic, partition: nil)
                    }
                    scope.formUnion((0..<max(count, 0)).map { TopicPartition(topic: topic, partition: $0) })
                }
                for tp in chosen {
                    guard let count = metadata.partitionCount(of: tp.topic), (0..<count).contains(tp.partition) else {
                        throw .unknownTopicOrPartition(topic: tp.topic, partition: tp.partition)
                    }
                    scope.insert(tp)
                }
                partitions = scope.sorted()
            }
            var entries: [OffsetResetEntry] = []
            for topicPartition in partitions {
                let old = committed[topicPartition]?.offset
                let new = try resetOffset(topicPartition, from: old, to: target)
                entries.append(OffsetResetEntry(topicPartition: topicPartition, oldOffset: old, newOffset: new))
            }
            guard !dryRun, !entries.isEmpty else { return entries }
            try persist(
                groupId: groupId,
                entries.map { ($0.topicPartition, CommittedOffset(offset: $0.newOffset, commitTimestamp: now)) },
                in: &state)
            log.record(.info, group: groupId, "reset \(entries.count) offsets to \(target)")
            return entries
        }
    }

    /// Deletes a group and its committed offsets (tombstones are written to the store); the group
    /// is Dead and gone, also after a restart.
    /// - Throws: ``BrokerError/groupIdNotFound(_:)``, ``BrokerError/nonEmptyGroup(_:)`` when the
    ///   group has members, ``BrokerError/invalidGroupId(_:)``, or the store's error.
    public func deleteGroup(_ groupId: String) throws(BrokerError) {
        try validate(groupId: groupId)
        let now = clock.nowMilliseconds()
        try withState { state, log throws(BrokerError) in
            refresh(groupId, in: &state, now: now, log: &log)
            guard let group = state.groups[groupId] else { throw .groupIdNotFound(groupId) }
            guard group.machine.members.isEmpty else { throw .nonEmptyGroup(groupId) }
            let tombstones = group.offsets.keys.sorted().map {
                OffsetCommitEntry(key: OffsetCommitKey(group: groupId, topicPartition: $0), value: nil)
            }
            if !tombstones.isEmpty {
                try offsetStore.append(tombstones)
            }
            state.groups[groupId] = nil
            log.record(.info, group: groupId, "group deleted (Dead) with \(tombstones.count) committed offsets")
        }
    }

    /// A topic was deleted: every group's committed offsets for it are dropped (tombstones are
    /// written to the store), and groups subscribed to it rebalance.
    /// - Throws: the store's error; nothing is dropped then.
    public func topicDeleted(_ topic: String) throws(BrokerError) {
        let now = clock.nowMilliseconds()
        let dropped = try withState { state, log throws(BrokerError) -> Int in
            var tombstones: [OffsetCommitEntry] = []
            for groupId in state.groups.keys.sorted() {
                for topicPartition in state.groups[groupId]!.offsets.keys.sorted() where topicPartition.topic == topic {
                    tombstones.append(
                        OffsetCommitEntry(
                            key: OffsetCommitKey(group: groupId, topicPartition: topicPartition), value: nil))
                }
            }
            if !tombstones.isEmpty {
                try offsetStore.append(tombstones)
            }
            for entry in tombstones {
                state.groups[entry.key.group]?.offsets[entry.key.topicPartition] = nil
            }
            for groupId in state.groups.keys.sorted() {
                let actions = state.groups[groupId]!.machine.topicChanged(topic, now: now)
                apply(actions, to: &state.groups[groupId]!, log: &log)
            }
            return tombstones.count
        }
        if dropped > 0 {
            logger.info("dropped \(dropped) committed offsets of deleted topic '\(topic)'")
        }
    }

    // MARK: - Helpers

    /// Writes committed offsets ahead to the store, then into memory (creating the group).
    private func persist(
        groupId: String, _ committed: [(TopicPartition, CommittedOffset)], in state: inout GroupCoordinatorState
    ) throws(BrokerError) {
        let entries = committed.map { topicPartition, offset in
            OffsetCommitEntry(
                key: OffsetCommitKey(group: groupId, topicPartition: topicPartition),
                value: OffsetCommitValue(
                    offset: offset.offset, leaderEpoch: offset.leaderEpoch, metadata: offset.metadata,
                    commitTimestamp: offset.commitTimestamp))
        }
        try offsetStore.append(entries)
        if state.groups[groupId] == nil {
            state.groups[groupId] = ConsumerGroup(machine: Self.newMachine(groupId, config))
        }
        for (topicPartition, offset) in committed {
            state.groups[groupId]!.offsets[topicPartition] = offset
        }
    }

    /// The offset `target` designates for `topicPartition`, clamped to the partition's range.
    private func resetOffset(
        _ topicPartition: TopicPartition, from old: Int64?, to target: OffsetResetTarget
    ) throws(BrokerError) -> Int64 {
        guard let logStart = metadata.logStartOffset(of: topicPartition),
            let highWatermark = metadata.highWatermark(of: topicPartition)
        else {
            throw .unknownTopicOrPartition(topic: topicPartition.topic, partition: topicPartition.partition)
        }
        let spec: OffsetSpec
        switch target {
        case .earliest: spec = .earliest
        case .latest: spec = .latest
        case .offset(let offset): spec = .offset(offset)
        case .timestamp(let timestamp): spec = .timestamp(timestamp)
        case .shift(let delta):
            guard let old else {
                throw .invalidRequest("cannot shift \(topicPartition): the group has no committed offset there")
            }
            let (sum, overflow) = old.addingReportingOverflow(delta)
            spec = .offset(overflow ? (delta > 0 ? .max : .min) : sum)
        }
        let offset = try metadata.offset(for: spec, in: topicPartition)
        return max(logStart, min(offset, highWatermark))
    }

    /// Throws unless the partition exists; caches partition counts per topic in `counts`.
    private func checkExists(_ topicPartition: TopicPartition, counts: inout [String: Int32?]) throws(BrokerError) {
        let count: Int32?
        if let cached = counts[topicPartition.topic] {
            count = cached
        } else {
            count = metadata.partitionCount(of: topicPartition.topic)
            counts[topicPartition.topic] = .some(count)
        }
        guard let count else {
            throw .unknownTopicOrPartition(topic: topicPartition.topic, partition: nil)
        }
        guard topicPartition.partition >= 0, topicPartition.partition < count else {
            throw .unknownTopicOrPartition(topic: topicPartition.topic, partition: topicPartition.partition)
        }
    }
}
