import AdminClient
import AdminProtocol
import KafkaHash
import SkiffText

extension AppState {
    /// The most matches a search asks the broker for (the window keeps the newest ``MessagesState/maxRows``).
    static let searchMaxResults: Int32 = 10_000

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
        if m.pending == nil && m.search == nil && !m.waitingForPartitions {
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

    /// Starts the window again at `position` (g, G, o, t); leaves a search (cancelling it).
    mutating func restartMessages(at position: StartPosition) -> [Effect] {
        guard var m = messages else { return [] }
        if case .offset = position, m.partition == nil {
            flash("offsets are per partition: open one partition to start at an offset", isError: true)
            return []
        }
        var effects: [Effect] = []
        if let id = m.search?.subscription { effects.append(.unsubscribe(id: id)) }
        m.search = nil
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
        if delta < 0 && m.cursor == 0 && m.follow && m.hasOlder && m.search == nil {
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
        guard let m = messages, m.pending == nil, m.search == nil, !m.waitingForPartitions else { return [] }
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
        case .newest:
            if m.isFollowPaused && m.search == nil { return resumeFollow() }
            return restartMessages(at: .newest)
        case .gotoOffset:
            prompt = Prompt(kind: .gotoOffset, field: TextField())
        case .gotoTimestamp:
            prompt = Prompt(kind: .gotoTimestamp, field: TextField())
        case .findByKey:
            let previous = m.search?.keyPartition != nil ? String(m.search?.label.dropFirst(4) ?? "") : ""
            prompt = Prompt(kind: .findKey, field: TextField(previous))
        case .searchTopic:
            prompt = Prompt(kind: .search, field: TextField(m.search?.keyPartition == nil ? m.search?.label ?? "" : ""))
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
            guard m.detailOpen, let detail = m.detail else { return [] }
            let rows = MessagesGeometry(layout: layout, detailOpen: true).detailHeight - 1
            let step = command == .scrollDetailDown ? 1 : -1
            m.detailScroll = MessagesView.clampedScroll(
                MessagesView.clampedScroll(m.detailScroll, lines: detail.lines.count, rows: rows) + step,
                lines: detail.lines.count, rows: rows)
            messages = m
        case .follow:
            return toggleFollow()
        default: break
        }
        return []
    }

    /// Esc on the messages screen: cancels a running search (its matches stay), leaves a finished
    /// one, then clears a filter, then goes back.
    mutating func messagesEscape() -> [Effect]? {
        guard var m = messages else { return nil }
        if var search = m.search {
            if let id = search.subscription {
                search.subscription = nil
                search.done = MessagesState.SearchEnd(complete: false, reason: "cancelled")
                m.search = search
                messages = m
                flash("search cancelled: \(Format.plural(search.matches, "match", "matches")) so far")
                return [.unsubscribe(id: id)]
            }
            return restartMessages(at: .newest)
        }
        if !m.filter.isEmpty {
            let h = listHeight
            messages?.setFilter("", listHeight: h)
            flash("filter cleared")
            return []
        }
        return nil
    }

    /// `G` or `f` while a live tail is paused: back to the newest record, the view moving with
    /// new ones again.
    private mutating func resumeFollow() -> [Effect] {
        guard var m = messages else { return [] }
        let brought = m.pausedNew
        m.move(to: max(0, m.visible.count - 1), listHeight: listHeight)
        messages = m
        flash("following again" + (brought > 0 ? "; \(Format.plural(brought, "record")) arrived while paused" : ""))
        return []
    }

    private mutating func toggleFollow() -> [Effect] {
        guard var m = messages else { return [] }
        if m.isFollowPaused { return resumeFollow() }
        if m.follow {
            m.follow = false
            let effects = m.followSubscription.map { [Effect.unsubscribe(id: $0)] } ?? []
            m.followSubscription = nil
            messages = m
            flash("stopped following")
            return effects
        }
        var effects: [Effect] = []
        if let id = m.search?.subscription { effects.append(.unsubscribe(id: id)) }
        m.follow = true
        m.followEnded = nil
        m.search = nil
        let atEnd =
            !m.rows.isEmpty
            && m.shownPartitions.allSatisfy { p in
                guard let r = m.ranges[p], let w = m.watermarks[p] else { return false }
                return r.end >= w.high
            }
        messages = m
        flash("following new records (f stops)")
        if atEnd && m.pending == nil { return effects + startFollowSubscription() }
        messages?.start = .newest
        messages?.pending = nil
        return effects + fetchMessages(.replace(.newest))
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

    /// `F`: every record with this key, searched on the broker in the one partition Kafka's
    /// partitioner sends the key to (murmur2), the whole partition.
    mutating func startKeySearch(_ text: String) -> [Effect] {
        guard let m = messages else { return [] }
        guard let count = m.partitionCount, count > 0 else {
            flash("the topic's partition count is not known yet; try again in a moment", isError: true)
            return load(.describeTopic(m.topic))
        }
        let key = Array(text.utf8)
        let partition = KafkaPartitioner.partition(forKey: key, partitionCount: count)
        let request = SearchRequest(
            topic: m.topic, partitions: [partition],
            conditions: [SearchCondition(field: .key, match: .equals, pattern: key)], maxResults: Self.searchMaxResults,
            progressIntervalMs: 200)
        messages?.partition = partition
        stack[stack.count - 1] = .messages(topic: m.topic, partition: partition)
        return startSearch(label: "key=\(text)", request: request, keyPartition: partition)
    }

    /// `s`: a search of the shown partition (or every partition) on the broker.
    mutating func startQuerySearch(_ query: SearchQuery, text: String) -> [Effect] {
        guard let m = messages else { return [] }
        let request = query.request(
            topic: m.topic, partitions: m.partition.map { [$0] } ?? [], maxResults: Self.searchMaxResults)
        return startSearch(label: text, request: request, keyPartition: nil)
    }

    /// Starts a broker search: stops following and any search before it, empties the window for
    /// the matches.
    private mutating func startSearch(label: String, request: SearchRequest, keyPartition: Int32?) -> [Effect] {
        guard var m = messages else { return [] }
        var effects: [Effect] = []
        if let id = m.followSubscription { effects.append(.unsubscribe(id: id)) }
        if let id = m.search?.subscription { effects.append(.unsubscribe(id: id)) }
        m.follow = false
        m.followSubscription = nil
        m.pending = nil
        let id = makeId()
        m.search = MessagesState.BrokerSearch(
            label: label, request: request, subscription: id, keyPartition: keyPartition)
        m.startSearchWindow(listHeight: listHeight)
        messages = m
        return effects + [.search(id: id, request)]
    }

    /// A search's events: matches, progress, the end.
    mutating func searchEvent(_ id: Int, _ event: SubscriptionEvent) -> [Effect] {
        guard var m = messages, var search = m.search, search.subscription == id else { return [] }
        switch event {
        case .records(_, let partition, _, let records):
            noteSuccess()
            search.matches += Int64(records.count)
            m.search = search
            m.appendMatches(partition: partition, records: records, listHeight: listHeight)
        case .searchProgress(let scanned, let total, let matches):
            search.scannedOffsets = scanned
            search.totalOffsets = total
            search.matches = matches
            m.search = search
        case .searchDone(let scanned, let matches, let complete, let reason):
            search.scannedOffsets = scanned
            search.matches = matches
            search.subscription = nil
            search.done = MessagesState.SearchEnd(complete: complete, reason: reason)
            m.search = search
            messages = m
            if matches == 0 {
                let scope = search.keyPartition.map { "in partition \($0)" } ?? "in the searched range"
                flash(
                    "not found: no record matches \(search.label) \(scope) (\(Format.count(scanned)) offsets searched)")
            } else {
                flash("\(Format.plural(matches, "match", "matches")) for \(search.label)")
            }
            return []
        case .ended(let reason):
            search.subscription = nil
            search.done = MessagesState.SearchEnd(complete: false, reason: reason)
            m.search = search
        case .lagSnapshot:
            break
        }
        messages = m
        return []
    }

    /// The broker accepted a search.
    mutating func searchStarted(_ id: Int, totalOffsets: Int64) -> [Effect] {
        guard messages?.search?.subscription == id else { return [] }
        messages?.search?.totalOffsets = totalOffsets
        return []
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

extension AppState {
    /// Lays out the detail pane's record again when it, its format or the width changed (cheap
    /// otherwise: the record is compared, not re-formatted).
    mutating func syncDetail() {
        syncValueView()
        guard var m = messages else { return }
        guard m.detailOpen, let row = m.selected else {
            if m.detail != nil {
                m.detail = nil
                messages = m
            }
            return
        }
        let source = DetailText.Source(
            partition: row.partition, record: row.record, format: m.format, keyAsHex: m.keyAsHex, width: size.width)
        guard m.detail?.source != source else { return }
        if let old = m.detail?.source, old.partition != row.partition || old.record.offset != row.record.offset {
            m.detailScroll = 0
        }
        m.detail = DetailText(
            partition: row.partition, record: row.record, format: m.format, keyAsHex: m.keyAsHex, width: size.width,
            ellipsis: glyphs.ellipsis)
        messages = m
    }
}
