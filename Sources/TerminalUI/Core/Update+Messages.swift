import AdminClient
import AdminProtocol
import KafkaHash

extension AppState {
    /// Records a find-by-key scan reads at most.
    static let keySearchScanLimit: Int64 = 100_000
    /// Matches a find-by-key scan keeps (the newest).
    static let keySearchMaxMatches = 200

    /// Starts the messages window at its start position, once the partition count is known.
    mutating func startMessages() -> [Effect] {
        guard var m = messages else { return [] }
        if m.partition == nil && m.partitionCount == nil {
            m.waitingForPartitions = true
            messages = m
            return load(.describeTopic(m.topic))
        }
        m.waitingForPartitions = false
        messages = m
        return fetchMessages(.replace(m.start)) + (m.partitionCount == nil ? load(.describeTopic(m.topic)) : [])
    }

    /// Reloads the watermarks; restarts a failed first fetch or a broken live tail.
    mutating func refreshMessages() -> [Effect] {
        guard let m = messages else { return [] }
        var effects = load(.describeTopic(m.topic))
        if m.pending == nil && m.keySearch == nil && !m.waitingForPartitions {
            if m.follow && m.followSubscription == nil {
                effects += startFollowSubscription()
            } else if m.rows.isEmpty && !m.follow {
                effects += fetchMessages(.replace(m.start))
            }
        }
        return effects
    }

    /// A fetch extending (or replacing) the window; nothing when there is nothing to fetch.
    mutating func fetchMessages(_ direction: MessagesState.Direction) -> [Effect] {
        guard var m = messages else { return [] }
        let parts: [PartitionFetch]
        switch direction {
        case .replace(let position): parts = m.replaceParts(position)
        case .newer: parts = m.newerParts()
        case .older: parts = m.olderParts()
        }
        guard !parts.isEmpty else { return [] }
        let id = makeId()
        m.pending = MessagesState.PendingFetch(id: id, direction: direction, parts: parts)
        messages = m
        return [.fetchMessages(MessageFetch(requestId: id, topic: m.topic, partitions: parts))]
    }

    /// Starts the window again at `position` (g, G, o, t); leaves a key search.
    mutating func restartMessages(at position: StartPosition) -> [Effect] {
        guard var m = messages else { return [] }
        if case .offset = position, m.partition == nil {
            flash("offsets are per partition: open one partition to start at an offset", isError: true)
            return []
        }
        var effects: [Effect] = []
        m.keySearch = nil
        m.start = position
        if position != .newest, m.follow {
            m.follow = false
            if let id = m.followSubscription { effects.append(.unsubscribe(id: id)) }
            m.followSubscription = nil
            flash("stopped following")
        }
        m.pending = nil
        messages = m
        return effects + fetchMessages(.replace(position))
    }

    mutating func moveMessagesCursor(by delta: Int) -> [Effect] {
        guard var m = messages else { return [] }
        var effects: [Effect] = []
        if delta < 0 && m.cursor == 0 && m.follow && m.hasOlder && m.keySearch == nil {
            // Paging back in time ends the live tail: the window can only grow at one end.
            m.follow = false
            if let id = m.followSubscription { effects.append(.unsubscribe(id: id)) }
            m.followSubscription = nil
            flash("stopped following to page back")
        }
        m.move(to: m.cursor.addingClamped(delta), listHeight: listHeight)
        messages = m
        return effects + prefetchMessages()
    }

    /// Fetches the next page when the cursor comes within a screen of the window's edge.
    private mutating func prefetchMessages() -> [Effect] {
        guard let m = messages, m.pending == nil, m.keySearch == nil, !m.waitingForPartitions else { return [] }
        let h = listHeight
        if m.visible.count - 1 - m.cursor < h && m.followSubscription == nil && m.hasNewer {
            return fetchMessages(.newer)
        }
        if m.cursor < h && !m.follow && m.hasOlder {
            return fetchMessages(.older)
        }
        return []
    }

    mutating func messagesCommand(_ command: Command) -> [Effect] {
        guard var m = messages else { return [] }
        switch command {
        case .oldest: return restartMessages(at: .oldest)
        case .newest: return restartMessages(at: .newest)
        case .gotoOffset:
            guard m.partition != nil else {
                flash("offsets are per partition: open one partition to start at an offset", isError: true)
                return []
            }
            prompt = Prompt(kind: .gotoOffset, field: TextField())
        case .gotoTimestamp:
            prompt = Prompt(kind: .gotoTimestamp, field: TextField())
        case .findByKey:
            prompt = Prompt(kind: .findKey, field: TextField(m.keySearch?.key ?? ""))
        case .toggleDetail:
            m.detailOpen.toggle()
            m.detailScroll = 0
            messages = m
            reclampAll()
        case .cycleFormat:
            let current = m.format ?? Payload.automaticFormat(m.selected?.record.value)
            m.format = current.next
            m.detailOpen = true
            m.detailScroll = 0
            messages = m
            reclampAll()
            flash("value shown as \(m.format!.rawValue)")
        case .scrollDetailUp, .scrollDetailDown:
            guard m.detailOpen, let row = m.selected else { return [] }
            let lines = Payload.detailLines(
                row.record.value, format: m.format ?? Payload.automaticFormat(row.record.value))
            let step = command == .scrollDetailDown ? 1 : -1
            m.detailScroll = max(0, min(lines.count - 1, m.detailScroll + step))
            messages = m
        case .follow:
            return toggleFollow()
        default: break
        }
        return []
    }

    /// Esc on the messages screen: leaves a key search, then clears a filter, then goes back.
    mutating func messagesEscape() -> [Effect]? {
        guard let m = messages else { return nil }
        if m.keySearch != nil { return restartMessages(at: .newest) }
        if !m.filter.isEmpty {
            let h = listHeight
            messages?.setFilter("", listHeight: h)
            flash("filter cleared")
            return []
        }
        return nil
    }

    private mutating func toggleFollow() -> [Effect] {
        guard var m = messages else { return [] }
        if m.follow {
            m.follow = false
            let effects = m.followSubscription.map { [Effect.unsubscribe(id: $0)] } ?? []
            m.followSubscription = nil
            messages = m
            flash("stopped following")
            return effects
        }
        m.follow = true
        m.followEnded = nil
        m.keySearch = nil
        let atEnd =
            !m.rows.isEmpty
            && m.shownPartitions.allSatisfy { p in
                guard let r = m.ranges[p], let w = m.watermarks[p] else { return false }
                return r.end >= w.high
            }
        messages = m
        flash("following new records (f stops)")
        if atEnd && m.pending == nil { return startFollowSubscription() }
        messages?.start = .newest
        messages?.pending = nil
        return fetchMessages(.replace(.newest))
    }

    /// Subscribes to the shown partitions from the end of the window, so nothing is skipped.
    mutating func startFollowSubscription() -> [Effect] {
        guard var m = messages, m.follow, m.followSubscription == nil, !m.shownPartitions.isEmpty else { return [] }
        let id = makeId()
        m.followSubscription = id
        let partitions = m.shownPartitions.map { p in
            SubscribePartition(topic: m.topic, partition: p, fromOffset: m.ranges[p]?.end ?? -1)
        }
        messages = m
        return [.subscribe(id: id, partitions: partitions, lagGroupId: "")]
    }

    mutating func startKeySearch(_ text: String) -> [Effect] {
        guard var m = messages else { return [] }
        guard let count = m.partitionCount, count > 0 else {
            flash("the topic's partition count is not known yet; try again in a moment", isError: true)
            return load(.describeTopic(m.topic))
        }
        var effects: [Effect] = []
        if let id = m.followSubscription { effects.append(.unsubscribe(id: id)) }
        m.follow = false
        m.followSubscription = nil
        m.pending = nil
        let key = Array(text.utf8)
        let partition = KafkaPartitioner.partition(forKey: key, partitionCount: count)
        let id = makeId()
        m.keySearch = MessagesState.KeySearch(key: text, partition: partition, requestId: id, result: nil)
        m.partition = partition
        m.showSearchResult(
            KeySearchResult(partition: partition, matches: [], scannedFrom: 0, scannedTo: 0, logStartOffset: 0),
            listHeight: listHeight)
        messages = m
        stack[stack.count - 1] = .messages(topic: m.topic, partition: partition)
        return effects + [
            .findByKey(
                KeySearchRequest(
                    requestId: id, topic: m.topic, partition: partition, key: key, scanLimit: Self.keySearchScanLimit,
                    maxMatches: Self.keySearchMaxMatches))
        ]
    }

    mutating func messagesFetched(_ id: Int, _ result: Result<[FetchedPartition], AdminClientError>) -> [Effect] {
        guard var m = messages, let pending = m.pending, pending.id == id else { return [] }
        m.pending = nil
        switch result {
        case .success(let parts):
            noteSuccess()
            m.apply(parts, for: pending, listHeight: listHeight)
            var effects: [Effect] = []
            if case .replace = pending.direction, m.follow, let old = m.followSubscription {
                // Records pushed while the new window was loading were dropped with the old one:
                // tail again from the new window's end so none goes missing.
                effects.append(.unsubscribe(id: old))
                m.followSubscription = nil
            }
            messages = m
            if m.follow && m.followSubscription == nil { effects += startFollowSubscription() }
            return effects
        case .failure(let error):
            messages = m
            return noteFailure(error)
        }
    }

    mutating func keySearchFinished(_ id: Int, _ result: Result<KeySearchResult, AdminClientError>) -> [Effect] {
        guard var m = messages, var search = m.keySearch, search.requestId == id else { return [] }
        switch result {
        case .success(let found):
            noteSuccess()
            search.requestId = nil
            search.result = found
            m.keySearch = search
            m.showSearchResult(found, listHeight: listHeight)
            messages = m
            flash("\(found.matches.count) record(s) with key '\(search.key)' in partition \(found.partition)")
            return []
        case .failure(let error):
            m.keySearch = nil
            messages = m
            return noteFailure(error) + restartMessages(at: .newest)
        }
    }

    /// Keeps the messages screen's partition count and watermarks fresh; starts a waiting window.
    mutating func describedForMessages(_ d: DescribeTopicResponse) -> [Effect] {
        guard var m = messages, m.topic == d.name else { return [] }
        m.partitionCount = Int32(d.partitions.count)
        for p in d.partitions {
            m.watermarks[p.partition] = Watermarks(low: p.logStartOffset, high: p.highWatermark)
        }
        messages = m
        return m.waitingForPartitions ? startMessages() : []
    }
}
