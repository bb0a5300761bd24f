import AdminClient
import AdminProtocol
import SkiffText

/// The UI's one state transition: applies `action` to `state` and returns the effects to run.
/// Pure: no I/O, no clock (time arrives in ``Action/tick(nowMs:)``).
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    let effects = state.reduce(action)
    state.syncDetail()
    return effects
}

extension AppState {
    /// How long an information message stays in the status bar.
    static let infoMessageMs: Int64 = 4_000
    /// How long an error stays in the status bar.
    static let errorMessageMs: Int64 = 15_000

    /// Applies `action`. A status-bar message belongs to the screen it was raised on: when the
    /// visible screen changes, a message from before goes (one raised by the same step, such as
    /// "created topic" on the way back to the list, is for the new screen and stays).
    mutating func reduce(_ action: Action) -> [Effect] {
        let (screen, before) = (route, message)
        let effects = apply(action)
        if route != screen && message == before { message = nil }
        return effects
    }

    private mutating func apply(_ action: Action) -> [Effect] {
        switch action {
        case .start:
            lastRefreshMs = nowMs
            return refreshEffects()
        case .tick(let now):
            return tick(now)
        case .resize(let newSize):
            size = newSize
            reclampAll()
            return []
        case .key(let key):
            return handleKey(key)
        case .topicsLoaded(let result):
            pendingLoads.remove(.loadTopics)
            switch result {
            case .success(let list):
                noteSuccess()
                topics.setTopics(list)
                reclampAll()
                return finishJumpCheck(topics: true)
            case .failure(let error):
                failJumpCheck(topics: true, error)
                return noteFailure(error)
            }
        case .topicDescribed(let name, let result):
            pendingLoads.remove(.describeTopic(name))
            return topicDescribed(name, result)
        case .messagesFetched(let id, let result):
            return messagesFetched(id, result)
        case .searchStarted(let id, let total):
            return searchStarted(id, totalOffsets: total)
        case .recordsSaved(let path, let result):
            return recordsSaved(path: path, result)
        case .produced(let topic, let result):
            return produced(topic, result)
        case .topicCreated(let name, let result):
            return topicCreated(name, result)
        case .topicDeleted(let name, let error):
            return topicDeleted(name, error)
        case .groupsLoaded(let result):
            pendingLoads.remove(.loadGroups)
            switch result {
            case .success(let list):
                noteSuccess()
                groups.setGroups(list)
                reclampAll()
                return finishJumpCheck(topics: false)
            case .failure(let error):
                failJumpCheck(topics: false, error)
                return noteFailure(error)
            }
        case .groupDescribed(let id, let result):
            pendingLoads.remove(.describeGroup(id))
            return groupDescribed(id, result)
        case .offsetsReset(let id, let dryRun, let result):
            return offsetsReset(id, dryRun: dryRun, result)
        case .offsetsRestored(let id, let count, let error):
            return offsetsRestored(id, count: count, error)
        case .clusterInfoLoaded(let result):
            pendingLoads.remove(.loadClusterInfo)
            switch result {
            case .success(let info):
                noteSuccess()
                broker.info = info
                broker.produceHistory = Array((broker.produceHistory + [Int64(info.produceRate * 10)]).suffix(40))
                broker.fetchHistory = Array((broker.fetchHistory + [Int64(info.fetchRate * 10)]).suffix(40))
                return []
            case .failure(let error):
                return noteFailure(error)
            }
        case .storageLoaded(let result):
            // Optional: a broker without DescribeStorage, or a failure, leaves the section out.
            broker.storage = try? result.get()
            return []
        case .subscriptionEvent(let id, let event):
            return subscriptionEvent(id, event)
        case .subscriptionFailed(let id, let error):
            return subscriptionFailed(id, error)
        case .topicConfigAltered(let topic, let set, let delete, let error):
            return topicConfigAltered(topic, set: set, delete: delete, error)
        case .partitionsAdded(let topic, let totalCount, let error):
            return partitionsAdded(topic, totalCount: totalCount, error)
        case .recordsDeleted(let topic, let result):
            return recordsDeleted(topic, result)
        case .groupDeleted(let id, let error):
            return groupDeleted(id, error)
        }
    }

    // MARK: - Time

    private mutating func tick(_ now: Int64) -> [Effect] {
        nowMs = now
        if let m = message, now >= m.expiresAtMs { message = nil }
        switch connection {
        case .disconnected(let reason, let attempt, let retryAt):
            guard now >= retryAt else { return [] }
            // A new round of retries; its wait also guards against firing again before its
            // results arrive.
            let round = attempt + 1
            connection = .disconnected(reason: reason, attempt: round, retryAtMs: now + Self.backoffMs(round))
            lastRefreshMs = now
            // Screens with nothing to reload (help, forms) still probe the broker.
            let effects = refreshEffects()
            return effects.isEmpty ? load(.loadClusterInfo) : effects
        case .connected, .connecting:
            guard now - lastRefreshMs >= context.autoRefreshMs else { return [] }
            lastRefreshMs = now
            return refreshEffects()
        }
    }

    /// The wait after retry round `attempt` (1 = the request that failed first, 2, …) before the
    /// next: 0.5 s doubling to at most 8 s.
    static func backoffMs(_ attempt: Int) -> Int64 {
        min(8_000, 500 << Int64(min(max(0, attempt - 1), 4)))
    }

    // MARK: - Connection and messages

    mutating func noteSuccess() {
        if connection.isDisconnected {
            flash("reconnected to \(context.brokerAddress)")
        }
        connection = .connected
    }

    /// Records a failure: a connection problem shows the banner and schedules a retry with
    /// backoff; any other error is shown in the status bar in the broker's words. The banner
    /// counts rounds of retries, not failed requests: a screen with two feeds (a group's
    /// description and its live lag) fails twice a round.
    mutating func noteFailure(_ error: AdminClientError) -> [Effect] {
        if error.isConnectionProblem {
            var attempt = 1
            var retryAt = nowMs + Self.backoffMs(1)
            if case .disconnected(_, let round, let at) = connection {
                attempt = round
                retryAt = max(at, nowMs + Self.backoffMs(round))
            }
            connection = .disconnected(reason: error.briefReason, attempt: attempt, retryAtMs: retryAt)
        } else {
            flash(error.description, isError: true)
        }
        return []
    }

    /// Shows `text` in the status bar for a few seconds.
    mutating func flash(_ text: String, isError: Bool = false) {
        message = StatusMessage(
            text: text, isError: isError, expiresAtMs: nowMs + (isError ? Self.errorMessageMs : Self.infoMessageMs))
    }

    /// Refuses a write in a read-only context.
    mutating func refuseReadOnly(_ what: String) -> [Effect] {
        flash("read-only: \(what) is turned off for this connection", isError: true)
        return []
    }

    // MARK: - Keys

    private mutating func handleKey(_ key: Key) -> [Effect] {
        if key == .resize { return [] }
        if key == .terminate { return quit() }
        if isTooSmall {
            return key == .character("q") || key == .control("c") ? quit() : []
        }
        if prompt != nil { return promptKey(key) }
        if dialog != nil { return dialogKey(key) }
        if choosingCopy { return copyChoice(key) }
        switch route {
        case .createTopic: return createTopicFormKey(key)
        case .publish: return publishFormKey(key)
        case .group where group?.reset != nil: return resetDialogKey(key)
        default: break
        }
        guard let command = KeyMap.command(for: key, on: route.kind) else { return [] }
        return run(command)
    }

    /// Runs a command of a browsing screen.
    mutating func run(_ command: Command) -> [Effect] {
        switch command {
        case .up: return moveCursor(by: -1)
        case .down: return moveCursor(by: 1)
        case .pageUp: return moveCursor(by: -max(1, listHeight - 1))
        case .pageDown: return moveCursor(by: max(1, listHeight - 1))
        case .top: return moveCursor(by: Int.min / 2)
        case .bottom: return moveCursor(by: Int.max / 2)
        case .open: return openSelected()
        case .back:
            if route.kind == .messages, let effects = messagesEscape() { return effects }
            if route == .topics || route == .groups, !currentFilter.isEmpty {
                applyFilter("")
                flash("filter cleared")
                return []
            }
            return back()
        case .quit: return quit()
        case .help: return route == .help ? back() : push(.help)
        case .refresh:
            lastRefreshMs = nowMs
            flash("refreshing" + glyphs.ellipsis)
            return refreshEffects()
        case .commandLine:
            prompt = Prompt(kind: .command, field: TextField())
            return []
        case .filter:
            prompt = Prompt(kind: .filter, field: TextField(currentFilter))
            return []
        case .sort:
            if route == .topics { topics.cycleSort() } else { groups.cycleSort() }
            reclampAll()
            return []
        case .reverseSort:
            if route == .topics { topics.reverseSort() } else { groups.reverseSort() }
            reclampAll()
            return []
        case .toggleInternal:
            topics.toggleInternal()
            reclampAll()
            flash(topics.showInternal ? "showing internal topics" : "hiding internal topics")
            return []
        case .createTopic:
            if context.readOnly { return refuseReadOnly("creating topics") }
            createTopicForm = CreateTopicForm()
            return push(.createTopic)
        case .deleteTopic:
            if context.readOnly { return refuseReadOnly("deleting topics") }
            guard let name = topics.selected?.name else { return [] }
            prompt = Prompt(kind: .deleteTopic(name), field: TextField())
            return []
        case .publish: return openPublish()
        case .allMessages:
            guard let name = topic?.name else { return [] }
            return openMessages(topic: name, partition: nil, start: .newest)
        case .cycleFormat, .scrollDetailUp, .scrollDetailDown:
            if case .value = route { return valueViewCommand(command) }
            return messagesCommand(command)
        case .oldest, .newest, .gotoOffset, .gotoTimestamp, .toggleDetail, .follow, .findByKey, .searchTopic:
            return messagesCommand(command)
        case .fullScreenValue, .toggleKeyHex, .toggleUTC, .copy, .save, .markRange:
            return recordCommand(command)
        case .republish:
            return republish()
        case .resetOffsets, .undoReset:
            return groupCommand(command)
        case .editConfig, .addPartitions, .deleteRecords, .deleteGroup:
            return manageCommand(command)
        case .switchList:
            guard var t = topic else { return [] }
            guard t.description?.consumerGroups.isEmpty == false else {
                flash("no consumer group has offsets on this topic")
                return []
            }
            let geometry = TopicGeometry(layout: layout, description: t.description)
            t.switchList(partitionRows: geometry.partitionRows, groupRows: geometry.groupRows)
            topic = t
            return []
        case .nextField, .previousField, .previousChoice, .nextChoice, .submit, .send, .cancel, .confirm, .accept,
            .toggleNullValue, .revertConfig:
            return []
        }
    }

    mutating func quit() -> [Effect] {
        quitting = true
        var effects: [Effect] = []
        if let id = messages?.followSubscription { effects.append(.unsubscribe(id: id)) }
        if let id = group?.lagSubscription { effects.append(.unsubscribe(id: id)) }
        return effects + [.quit]
    }

    private var currentFilter: String {
        switch route {
        case .topics: topics.filter
        case .groups: groups.filter
        case .messages: messages?.filter ?? ""
        default: ""
        }
    }

    private mutating func applyFilter(_ text: String) {
        switch route {
        case .topics: topics.setFilter(text)
        case .groups: groups.setFilter(text)
        case .messages:
            let h = listHeight
            messages?.setFilter(text, listHeight: h)
        default: break
        }
        reclampAll()
    }

    // MARK: - Cursor

    private mutating func moveCursor(by delta: Int) -> [Effect] {
        let h = listHeight
        switch route {
        case .topics:
            topics.cursor = topics.cursor.addingClamped(delta)
            clampList(cursor: &topics.cursor, scroll: &topics.scroll, count: topics.visible.count, height: h)
        case .groups:
            groups.cursor = groups.cursor.addingClamped(delta)
            clampList(cursor: &groups.cursor, scroll: &groups.scroll, count: groups.visible.count, height: h)
        case .topic:
            guard var t = topic else { return [] }
            let geometry = TopicGeometry(layout: layout, description: t.description)
            t.move(by: delta, partitionRows: geometry.partitionRows, groupRows: geometry.groupRows)
            topic = t
        case .group:
            guard var g = group else { return [] }
            g.cursor = g.cursor.addingClamped(delta)
            clampList(cursor: &g.cursor, scroll: &g.scroll, count: g.partitions.count, height: h)
            group = g
        case .help:
            helpScroll = min(max(0, helpScroll.addingClamped(delta)), max(0, HelpContent.lines.count - h))
        case .messages:
            return moveMessagesCursor(by: delta)
        case .value:
            scrollValueView(by: delta)
        default: break
        }
        return []
    }

    /// Re-applies cursor bounds after the size, the banner or a list changed.
    mutating func reclampAll() {
        let h = listHeight(for: route)
        clampList(cursor: &topics.cursor, scroll: &topics.scroll, count: topics.visible.count, height: h)
        clampList(cursor: &groups.cursor, scroll: &groups.scroll, count: groups.visible.count, height: h)
        if var t = topic {
            let geometry = TopicGeometry(layout: layout, description: t.description)
            t.clamp(partitionRows: geometry.partitionRows, groupRows: geometry.groupRows)
            topic = t
        }
        if var g = group {
            clampList(
                cursor: &g.cursor, scroll: &g.scroll, count: g.partitions.count,
                height: listHeight(for: .group(g.groupId)))
            group = g
        }
        if var m = messages {
            // Not `move(to:)`: a refresh must not reset the detail pane's scroll.
            clampList(
                cursor: &m.cursor, scroll: &m.scroll, count: m.visible.count,
                height: listHeight(for: .messages(topic: m.topic, partition: m.partition)))
            messages = m
        }
        helpScroll = min(helpScroll, max(0, HelpContent.lines.count - listHeight(for: .help)))
    }

    // MARK: - Navigation

    mutating func push(_ next: Route) -> [Effect] {
        stack.append(next)
        return activate(next)
    }

    /// Esc: leaves the visible screen (nothing at the root).
    mutating func back() -> [Effect] {
        guard stack.count > 1 else {
            flash("this is the start screen; press q to quit")
            return []
        }
        let leaving = stack.removeLast()
        return deactivate(leaving) + refreshEffects()
    }

    /// `:` jumps: replaces the stack above the root with `routes`.
    mutating func jump(to routes: [Route]) -> [Effect] {
        var effects: [Effect] = []
        while stack.count > 1 { effects += deactivate(stack.removeLast()) }
        if routes.isEmpty {
            effects += refreshEffects()
        }
        for r in routes { effects += push(r) }
        return effects
    }

    private mutating func activate(_ r: Route) -> [Effect] {
        lastRefreshMs = nowMs
        switch r {
        case .topic(let name):
            if topic?.name != name { topic = TopicState(name: name) }
            reclampAll()
        case .group(let id):
            if group?.groupId != id { group = GroupState(groupId: id) }
        case .help:
            helpScroll = 0
        default: break
        }
        return refreshEffects()
    }

    private mutating func deactivate(_ r: Route) -> [Effect] {
        switch r {
        case .messages:
            let effects = messages?.followSubscription.map { [Effect.unsubscribe(id: $0)] } ?? []
            messages = nil
            return effects
        case .group:
            let effects = group?.lagSubscription.map { [Effect.unsubscribe(id: $0)] } ?? []
            group = nil
            return effects
        case .topic: topic = nil
        case .createTopic: createTopicForm = nil
        case .publish: publishForm = nil
        case .value: valueView = nil
        case .topics, .groups, .broker, .help: break
        }
        return []
    }

    /// A load, unless the same one is already in flight.
    mutating func load(_ effect: Effect) -> [Effect] {
        guard !pendingLoads.contains(effect) else { return [] }
        pendingLoads.insert(effect)
        return [effect]
    }

    /// What reloads the visible screen (auto-refresh, `r`, retries, coming back to it).
    mutating func refreshEffects() -> [Effect] {
        switch route {
        case .topics: return load(.loadTopics)
        case .topic(let name): return load(.describeTopic(name))
        case .messages: return refreshMessages()
        case .groups: return load(.loadGroups)
        case .group(let id): return load(.describeGroup(id)) + ensureLagSubscription()
        case .broker: return load(.loadClusterInfo)
        case .help, .createTopic, .publish, .value: return []
        }
    }

    // MARK: - Opening things

    private mutating func openSelected() -> [Effect] {
        switch route {
        case .topics:
            guard let name = topics.selected?.name else { return [] }
            return push(.topic(name))
        case .groups:
            guard let id = groups.selected?.groupId else { return [] }
            return push(.group(id))
        case .topic(let name):
            if let group = topic?.selectedGroup { return push(.group(group.groupId)) }
            guard let partition = topic?.selectedPartition else { return [] }
            return openMessages(topic: name, partition: partition.partition, start: .newest)
        case .group:
            guard let g = group, g.partitions.indices.contains(g.cursor) else { return [] }
            let row = g.partitions[g.cursor]
            let start: StartPosition = row.committedOffset >= 0 ? .offset(row.committedOffset) : .oldest
            return openMessages(topic: row.topic, partition: row.partition, start: start)
        default:
            return []
        }
    }

    mutating func openMessages(topic name: String, partition: Int32?, start: StartPosition) -> [Effect] {
        var m = MessagesState(topic: name, partition: partition, start: start)
        if let d = topic?.description, d.name == name {
            m.partitionCount = Int32(d.partitions.count)
            for p in d.partitions {
                m.watermarks[p.partition] = Watermarks(low: p.logStartOffset, high: p.highWatermark)
            }
        } else if let listing = topics.all.first(where: { $0.name == name }) {
            m.partitionCount = listing.partitionCount
        }
        let effects = messages?.followSubscription.map { [Effect.unsubscribe(id: $0)] } ?? []
        messages = m
        stack.append(.messages(topic: name, partition: partition))
        lastRefreshMs = nowMs
        return effects + startMessages()
    }

    private mutating func openPublish() -> [Effect] {
        if context.readOnly { return refuseReadOnly("publishing messages") }
        var form = PublishForm()
        switch route {
        case .topics:
            form.topic.set(topics.selected?.name ?? "")
        case .topic(let name):
            form.topic.set(name)
        case .messages(let name, let partition):
            form.topic.set(name)
            if let partition { form.partition.set(String(partition)) }
        default: break
        }
        form.focus = form.topic.text.isEmpty ? .topic : .value
        form.markUnchanged()
        publishForm = form
        return push(.publish)
    }

    // MARK: - Prompt

    private mutating func promptKey(_ key: Key) -> [Effect] {
        guard var p = prompt else { return [] }
        if let command = KeyMap.command(for: key, on: .prompt) {
            switch command {
            case .quit: return quit()
            case .cancel:
                prompt = nil
                if case .filter = p.kind { applyFilter("") }
                return []
            case .accept: return acceptPrompt(p)
            default: return []
            }
        }
        guard p.field.handle(key) else { return [] }
        p.error = nil
        p.checking = nil
        prompt = p
        if case .filter = p.kind { applyFilter(p.field.text) }
        return []
    }

    private mutating func acceptPrompt(_ p: Prompt) -> [Effect] {
        let text = p.field.text.trimmingSpaces
        func refuse(_ why: String) -> [Effect] {
            prompt?.error = why
            return []
        }
        switch p.kind {
        case .filter:
            prompt = nil
            return []
        case .command:
            guard let routes = Self.parseJump(text) else {
                if text == "q" || text == "quit" {
                    prompt = nil
                    return quit()
                }
                return refuse("unknown command ':\(text)'; try :topics, :groups, :broker, :t NAME, :g NAME, :q")
            }
            return checkJump(routes)
        case .deleteTopic(let name):
            guard p.field.text == name else { return refuse("type '\(name)' exactly to delete it, or Esc to keep it") }
            prompt = nil
            flash("deleting topic '\(name)'\(glyphs.ellipsis)")
            return [.deleteTopic(name)]
        case .gotoOffset:
            // kcat's -o -N: the last N records of each partition shown.
            if text.hasPrefix("-") {
                guard let n = Int64(text.dropFirst()), n > 0 else {
                    return refuse("-N starts N records before the end: type -5 for the last five")
                }
                prompt = nil
                return restartMessages(at: .last(n))
            }
            guard let offset = Int64(text), offset >= 0 else {
                return refuse("type an offset (0 or more), or -N for the last N records")
            }
            guard messages?.partition != nil else {
                return refuse("offsets are per partition: open one partition, or type -N for the last N of each")
            }
            prompt = nil
            return restartMessages(at: .offset(offset))
        case .gotoTimestamp:
            let t: Int64
            do {
                t = try TimeInput.parse(text, nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds)
            } catch {
                return refuse("\(error.problem); use \(TimeInput.hint)")
            }
            prompt = nil
            return restartMessages(at: .timestamp(t))
        case .findKey:
            guard !p.field.text.isEmpty else { return refuse("type the key to find") }
            prompt = nil
            return startKeySearch(p.field.text)
        case .search:
            let query: SearchQuery
            do {
                query = try SearchQuery(parsing: p.field.text, nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds)
            } catch {
                return refuse(error.description)
            }
            prompt = nil
            return startQuerySearch(query, text: text)
        case .save(let request):
            return acceptSave(request, path: text)
        case .deleteGroup, .deleteRecords:
            return acceptConfirmation(p)
        }
    }

    /// `:t NAME` and `:g NAME` go only to a topic or group that exists: a name in the list goes at
    /// once; any other waits, the prompt open, for the list to be loaded again (it may be new).
    private mutating func checkJump(_ routes: [Route]) -> [Effect] {
        switch routes.last {
        case .topic(let name) where !topics.names.contains(name):
            prompt?.checking = routes
            return load(.loadTopics)
        case .group(let id) where !groups.all.contains(where: { $0.groupId == id }):
            prompt?.checking = routes
            return load(.loadGroups)
        default:
            prompt = nil
            return jump(to: routes)
        }
    }

    /// The topic (or group) list arrived: the waiting jump goes, or the prompt says the name is unknown.
    private mutating func finishJumpCheck(topics isTopics: Bool) -> [Effect] {
        guard let routes = prompt?.checking, let last = routes.last else { return [] }
        switch last {
        case .topic(let name) where isTopics:
            guard !topics.names.contains(name) else { break }
            prompt?.checking = nil
            prompt?.error = "no topic '\(name)'" + Self.didYouMean(name, among: topics.all.map(\.name))
            return []
        case .group(let id) where !isTopics:
            guard !groups.all.contains(where: { $0.groupId == id }) else { break }
            prompt?.checking = nil
            prompt?.error = "no consumer group '\(id)'" + Self.didYouMean(id, among: groups.all.map(\.groupId))
            return []
        default:
            return []
        }
        prompt = nil
        return jump(to: routes)
    }

    /// The list could not be loaded: the prompt says why the name could not be checked.
    private mutating func failJumpCheck(topics isTopics: Bool, _ error: AdminClientError) {
        guard let last = prompt?.checking?.last else { return }
        switch last {
        case .topic where isTopics:
            prompt?.error = "cannot check the topic list: \(error.description)"
        case .group where !isTopics:
            prompt?.error = "cannot check the group list: \(error.description)"
        default: return
        }
        prompt?.checking = nil
    }

    /// `; did you mean 'prices'?`: names that differ only in case, else up to three that contain
    /// `name`; empty when none does.
    static func didYouMean(_ name: String, among names: [String]) -> String {
        let needle = name.lowercased()
        var close = names.filter { $0.lowercased() == needle }
        if close.isEmpty { close = names.filter { $0.lowercased().contains(needle) }.sorted() }
        guard !close.isEmpty else { return "" }
        let shown = close.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return "; did you mean \(shown)\(close.count > 3 ? " (or \(Format.plural(close.count - 3, "other")))" : "")?"
    }

    /// The stack above the root for a `:` command, or nil when it is not a jump.
    static func parseJump(_ text: String) -> [Route]? {
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let first = words.first?.lowercased() else { return nil }
        let argument = words.count > 1 ? words[1].trimmingSpaces : ""
        switch first {
        case "topics", "topic", "t":
            return argument.isEmpty ? [] : [.topic(argument)]
        case "groups", "group", "g", "consumers":
            return argument.isEmpty ? [.groups] : [.groups, .group(argument)]
        case "broker", "b", "cluster": return argument.isEmpty ? [.broker] : nil
        case "help", "h": return [.help]
        default: return nil
        }
    }
}

extension AdminClientError {
    /// What went wrong without the broker's address (the banner names it once): `connection
    /// refused`, `no answer to ListTopics within 5 seconds`.
    var briefReason: String {
        switch self {
        case .unreachable(_, let reason): reason
        case .timedOut(_, let api, let after): "no answer to \(api) within \(after)"
        case .connectionLost(_, let reason): "connection lost: \(reason)"
        default: description
        }
    }
}

extension Int {
    /// `self + delta` without overflow.
    func addingClamped(_ delta: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(delta)
        return overflow ? (delta > 0 ? .max : .min) : sum
    }
}
