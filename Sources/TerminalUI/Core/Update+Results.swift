import AdminClient
import AdminProtocol

extension AppState {
    mutating func topicDescribed(_ name: String, _ result: Result<DescribeTopicResponse, AdminClientError>) -> [Effect]
    {
        switch result {
        case .success(let d):
            noteSuccess()
            if var t = topic, t.name == name {
                t.description = d
                t.error = nil
                topic = t
                reclampAll()
            }
            return describedForMessages(d)
        case .failure(let error):
            if var t = topic, t.name == name, !error.isConnectionProblem {
                t.error = error.description
                topic = t
            }
            return noteFailure(error)
        }
    }

    mutating func topicDeleted(_ name: String, _ error: AdminClientError?) -> [Effect] {
        if let error { return noteFailure(error) }
        noteSuccess()
        flash("deleted topic '\(name)'")
        return load(.loadTopics)
    }

    mutating func topicCreated(_ name: String, _ result: Result<String, AdminClientError>) -> [Effect] {
        switch result {
        case .success:
            noteSuccess()
            topics.pendingSelection = name
            flash("created topic '\(name)'")
            guard route == .createTopic else { return load(.loadTopics) }
            return back()
        case .failure(let error):
            createTopicForm?.submitting = false
            if route == .createTopic { createTopicForm?.error = error.description }
            return noteFailure(error)
        }
    }

    mutating func produced(_ topic: String, _ result: Result<[ProducedOffset], AdminClientError>) -> [Effect] {
        publishForm?.sending = false
        switch result {
        case .success(let offsets):
            noteSuccess()
            guard let first = offsets.first else { return [] }
            let text = "landed in partition \(first.partition) at offset \(first.offset)"
            publishForm?.result = text
            publishForm?.error = nil
            // What was sent is not lost by leaving: Esc closes without asking until the next edit.
            publishForm?.markUnchanged()
            flash("'\(topic)': \(text)")
            return []
        case .failure(let error):
            publishForm?.error = error.description
            publishForm?.result = nil
            return noteFailure(error)
        }
    }

    mutating func groupDescribed(_ id: String, _ result: Result<DescribeGroupResponse, AdminClientError>) -> [Effect] {
        switch result {
        case .success(var d):
            noteSuccess()
            guard var g = group, g.groupId == id else { return [] }
            d.partitions.sort { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            g.description = d
            g.error = nil
            if g.lagHistory.isEmpty { g.lagHistory = [d.totalLag] }
            group = g
            reclampAll()
            return []
        case .failure(let error):
            if var g = group, g.groupId == id, !error.isConnectionProblem {
                g.error = error.description
                group = g
            }
            return noteFailure(error)
        }
    }

    mutating func subscriptionEvent(_ id: Int, _ event: SubscriptionEvent) -> [Effect] {
        if messages?.search?.subscription == id { return searchEvent(id, event) }
        if var m = messages, m.followSubscription == id {
            switch event {
            case .records(let topicName, let partition, let high, let records):
                guard topicName == m.topic else { return [] }
                noteSuccess()
                m.appendPushed(partition: partition, highWatermark: high, records: records, listHeight: listHeight)
                messages = m
            case .ended(let reason):
                m.follow = false
                m.followSubscription = nil
                m.followEnded = reason
                messages = m
                flash("live tail ended: \(reason)", isError: true)
            case .lagSnapshot, .searchProgress, .searchDone:
                break
            }
            return []
        }
        if var g = group, g.lagSubscription == id {
            switch event {
            case .lagSnapshot(_, let state, let totalLag, var partitions):
                noteSuccess()
                partitions.sort { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
                if var d = g.description {
                    d.state = state
                    d.totalLag = totalLag
                    d.partitions = partitions
                    g.description = d
                }
                g.lagHistory = Array((g.lagHistory + [totalLag]).suffix(GroupsState.trendLength * 2))
                group = g
                reclampAll()
            case .ended:
                g.lagSubscription = nil
                g.lagSubscriptionEnded = true
                group = g
            case .records, .searchProgress, .searchDone:
                break
            }
        }
        return []
    }

    mutating func subscriptionFailed(_ id: Int, _ error: AdminClientError) -> [Effect] {
        if messages?.search?.subscription == id {
            messages?.search?.subscription = nil
            messages?.search?.done = MessagesState.SearchEnd(complete: false, reason: error.description)
            flash("the search failed: \(error)", isError: true)
            return noteFailure(error)
        }
        if messages?.followSubscription == id {
            // Follow stays on: the next refresh (or retry) subscribes again from the window's end.
            messages?.followSubscription = nil
            return noteFailure(error)
        }
        if group?.lagSubscription == id {
            group?.lagSubscription = nil
            if !error.isConnectionProblem { group?.lagSubscriptionEnded = true }
            return noteFailure(error)
        }
        return []
    }

    /// Subscribes to lag snapshots of the visible group, unless running or refused before.
    mutating func ensureLagSubscription() -> [Effect] {
        guard var g = group, g.lagSubscription == nil, !g.lagSubscriptionEnded else { return [] }
        let id = makeId()
        g.lagSubscription = id
        group = g
        return [.subscribe(id: id, partitions: [], lagGroupId: g.groupId)]
    }
}
