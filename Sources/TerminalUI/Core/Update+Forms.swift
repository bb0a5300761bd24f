import AdminClient
import AdminProtocol

extension AppState {
    /// The key-map screen that gets the next key: a prompt, a dialog, a form's "discard
    /// changes?" question, the reset dialog, or the visible route's screen.
    public var keyScreen: ScreenKind {
        if prompt != nil { return .prompt }
        if let dialog { return dialog.keyScreen }
        switch route {
        case .createTopic where createTopicForm?.askingToDiscard == true: return .discardChanges
        case .publish where publishForm?.askingToDiscard == true: return .discardChanges
        case .group:
            guard let reset = group?.reset else { return .group }
            if case .preview = reset.phase { return .resetPreview }
            return .resetOffsets
        default: return route.kind
        }
    }

    /// The answer to "discard changes? y/n": true = discard, false = keep editing, nil = not an answer.
    static func discardAnswer(_ key: Key) -> Bool? {
        switch KeyMap.command(for: key, on: .discardChanges) {
        case .confirm: true
        case .cancel: false
        default: nil
        }
    }

    // MARK: - Group: reset offsets and undo

    mutating func groupCommand(_ command: Command) -> [Effect] {
        guard var g = group else { return [] }
        switch command {
        case .resetOffsets:
            if context.readOnly { return refuseReadOnly("resetting offsets") }
            var topics: [String] = []
            for p in g.partitions where !topics.contains(p.topic) { topics.append(p.topic) }
            g.reset = ResetDialog(topics: topics)
            group = g
            return []
        case .undoReset:
            if context.readOnly { return refuseReadOnly("undoing an offset reset") }
            guard let undo = g.undo, !undo.isEmpty else {
                flash("nothing to undo: no offset reset was applied on this screen")
                return []
            }
            let offsets = undo.filter { $0.oldOffset >= 0 }.map {
                CommitOffset(topic: $0.topic, partition: $0.partition, offset: $0.oldOffset)
            }
            guard !offsets.isEmpty else {
                flash("nothing to restore: no partition had a committed offset before the reset", isError: true)
                return []
            }
            flash("restoring the offsets from before the reset" + glyphs.ellipsis)
            return [.restoreOffsets(groupId: g.groupId, offsets: offsets)]
        default:
            return []
        }
    }

    mutating func resetDialogKey(_ key: Key) -> [Effect] {
        guard var g = group, var d = g.reset else { return [] }
        let choosing = d.phase == .choosing
        var effects: [Effect] = []
        let isPreview: Bool
        if case .preview = d.phase { isPreview = true } else { isPreview = false }
        if let command = KeyMap.command(for: key, on: isPreview ? .resetPreview : .resetOffsets) {
            switch command {
            case .cancel:
                if isPreview {
                    d.phase = .choosing
                    d.focus = .target
                } else {
                    g.reset = nil
                    group = g
                    return []
                }
            case .nextField, .previousField:
                guard choosing else { return [] }
                let rows = d.rows
                let i = rows.firstIndex(of: d.focus) ?? 0
                d.focus = rows[(i + (command == .nextField ? 1 : rows.count - 1)) % rows.count]
            case .previousChoice, .nextChoice:
                guard choosing else { return [] }
                let forward = command == .nextChoice
                switch d.focus {
                case .target:
                    let all = ResetChoice.allCases
                    let i = all.firstIndex(of: d.choice)!
                    d.choice = all[(i + (forward ? 1 : all.count - 1)) % all.count]
                    d.value = TextField()
                    d.error = nil
                case .topic:
                    let options: [String?] = [nil] + d.topics.map(Optional.some)
                    let i = options.firstIndex(of: d.topic) ?? 0
                    d.topic = options[(i + (forward ? 1 : options.count - 1)) % options.count]
                    d.partitions = TextField()
                    d.error = nil
                case .value: d.value.handle(forward ? .right : .left)
                case .partitions: d.partitions.handle(forward ? .right : .left)
                }
            case .submit:
                guard choosing else { return [] }
                let target = d.target(nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds)
                let scope = d.scope(partitionCount: d.topic.flatMap { partitionCount(of: $0) })
                switch (target, scope) {
                case (.failure(let problem), _):
                    d.error = problem.message
                    d.errorRow = .value
                    d.focus = .value
                case (_, .failure(let problem)):
                    d.error = problem.message
                    d.errorRow = .partitions
                    d.focus = .partitions
                case (.success(let target), .success(let scope)):
                    d.error = nil
                    d.errorRow = nil
                    d.phase = .planning(target, scope)
                    effects = [.resetOffsets(groupId: g.groupId, scope: scope, target: target, dryRun: true)]
                }
            case .confirm:
                guard case .preview(let target, let scope, let plan) = d.phase else { return [] }
                d.phase = .applying(target, scope, planned: plan)
                effects = [.resetOffsets(groupId: g.groupId, scope: scope, target: target, dryRun: false)]
            default:
                break
            }
        } else if choosing {
            switch d.focus {
            case .target, .value:
                if d.choice.valueHint == nil {
                    // A value typed where the target takes none: say so rather than drop it.
                    if case .character = key {
                        d.error =
                            "\(d.choice.label) takes no value; \(glyphs.rightKey) chooses offset, timestamp or shift"
                        d.errorRow = .target
                    }
                } else if d.value.handle(key) {
                    d.focus = .value
                    d.error = nil
                    d.errorRow = nil
                }
            case .partitions:
                if d.partitions.handle(key) {
                    d.error = nil
                    d.errorRow = nil
                }
            case .topic:
                break
            }
        }
        g.reset = d
        group = g
        return effects
    }

    mutating func offsetsReset(
        _ id: String, dryRun: Bool, _ result: Result<[OffsetResetInfo], AdminClientError>
    ) -> [Effect] {
        guard var g = group, g.groupId == id else {
            if case .failure(let error) = result { return noteFailure(error) }
            return []
        }
        switch (dryRun, result) {
        case (true, .success(let plan)):
            noteSuccess()
            guard var d = g.reset, case .planning(let target, let scope) = d.phase else { return [] }
            d.phase = .preview(target, scope, plan.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })
            g.reset = d
            group = g
            return []
        case (false, .success(let applied)):
            noteSuccess()
            var planned: [OffsetResetInfo] = []
            var scope = ResetScope.allTopics
            if case .applying(_, let s, let p)? = g.reset?.phase { (scope, planned) = (s, p) }
            g.undo = applied
            g.reset = nil
            group = g
            let moved =
                Set(applied.map { [$0.topic, String($0.partition), String($0.newOffset)] })
                != Set(planned.map { [$0.topic, String($0.partition), String($0.newOffset)] })
            let which = scope == .allTopics ? "" : " of \(scope.label)"
            flash(
                "reset \(applied.count) partition offset(s)\(which)\(moved ? " (offsets moved since the preview)" : ""); press u to undo"
            )
            return load(.describeGroup(id))
        case (_, .failure(let error)):
            if var d = g.reset {
                switch d.phase {
                case .applying(let target, let scope, let plan): d.phase = .preview(target, scope, plan)
                default: d.phase = .choosing
                }
                d.error = error.description
                d.errorRow = nil
                g.reset = d
                group = g
            }
            return noteFailure(error)
        }
    }

    mutating func offsetsRestored(_ id: String, count: Int, _ error: AdminClientError?) -> [Effect] {
        if let error { return noteFailure(error) }
        noteSuccess()
        guard group?.groupId == id else { return [] }
        // Partitions the reset gave their first offset have none to go back to: they keep it.
        let kept = group?.undo?.filter { $0.oldOffset < 0 }.count ?? 0
        group?.undo = nil
        flash(
            "restored the previous offsets of \(count) partition(s)"
                + (kept > 0 ? "; \(kept) had no offset before and keep the new one" : ""))
        return load(.describeGroup(id))
    }

    // MARK: - Create topic form

    mutating func createTopicFormKey(_ key: Key) -> [Effect] {
        guard var f = createTopicForm else { return [] }
        if f.askingToDiscard {
            switch Self.discardAnswer(key) {
            case true?: return back()
            case false?: f.askingToDiscard = false
            case nil: break
            }
            createTopicForm = f
            return []
        }
        var effects: [Effect] = []
        if let command = KeyMap.command(for: key, on: .createTopic) {
            switch command {
            case .cancel:
                guard f.isChanged, !f.submitting else { return back() }
                f.askingToDiscard = true
            case .nextField, .previousField:
                let all = CreateTopicForm.Field.allCases
                let step = command == .nextField ? 1 : all.count - 1
                f.focus = all[(f.focus.rawValue + step) % all.count]
            case .previousChoice, .nextChoice:
                if f.focus == .cleanupPolicy {
                    let n = CreateTopicForm.cleanupPolicies.count
                    f.cleanupPolicy = (f.cleanupPolicy + (command == .nextChoice ? 1 : n - 1)) % n
                } else {
                    f.edit(command == .nextChoice ? .right : .left)
                }
            case .submit:
                guard !f.submitting else { return [] }
                let problems: [(CreateTopicForm.Field, String?)] = [
                    (.name, f.nameProblem(existing: topics.names)), (.partitions, f.partitionsProblem),
                    (.retentionMs, f.retentionProblem), (.otherConfig, f.otherConfigProblem),
                ]
                if let (field, problem) = problems.first(where: { $0.1 != nil }) {
                    f.focus = field
                    f.error = "fix the form first: \(problem!)"
                } else if context.readOnly {
                    return refuseReadOnly("creating topics")
                } else {
                    f.submitting = true
                    f.error = nil
                    effects = [
                        .createTopic(
                            name: f.name.text, partitions: Int32(f.partitions.text.trimmingSpaces)!, config: f.config)
                    ]
                }
            default: break
            }
        } else if f.focus == .cleanupPolicy {
            if key == .character(" ") {
                f.cleanupPolicy = (f.cleanupPolicy + 1) % CreateTopicForm.cleanupPolicies.count
            }
        } else if f.edit(key) {
            f.error = nil
        }
        createTopicForm = f
        return effects
    }

    // MARK: - Publish form

    mutating func publishFormKey(_ key: Key) -> [Effect] {
        guard var f = publishForm else { return [] }
        if f.askingToDiscard {
            switch Self.discardAnswer(key) {
            case true?: return back()
            case false?: f.askingToDiscard = false
            case nil: break
            }
            publishForm = f
            return []
        }
        var effects: [Effect] = []
        let all = PublishForm.Field.allCases
        if let command = KeyMap.command(for: key, on: .publish) {
            switch command {
            case .cancel:
                guard f.isChanged, !f.sending else { return back() }
                f.askingToDiscard = true
            case .nextField: f.focus = all[(f.focus.rawValue + 1) % all.count]
            case .previousField: f.focus = all[(f.focus.rawValue + all.count - 1) % all.count]
            case .toggleNullValue:
                f.nullValue.toggle()
                f.focus = .value
                f.error = nil
            case .send:
                guard !f.sending else { return [] }
                if context.readOnly { return refuseReadOnly("publishing messages") }
                switch f.record(partitionCount: partitionCount(of: f.topic.text)) {
                case .failure(let problem):
                    f.error = problem.message
                case .success(let record):
                    f.sending = true
                    f.error = nil
                    f.result = nil
                    effects = [.produce(topic: f.topic.text, records: [record])]
                }
            default: break
            }
        } else if f.focus == .value, f.nullValue, case .character = key {
            // Typing over a null value makes it text again.
            f.nullValue = false
            f.edit(key)
        } else if !f.edit(key), key == .enter {
            // Enter in a one-line field moves on; in headers and value it adds a line.
            f.focus = all[(f.focus.rawValue + 1) % all.count]
        }
        publishForm = f
        return effects
    }

    /// The partition count of a listed topic.
    func partitionCount(of name: String) -> Int32? {
        if let d = topic?.description, d.name == name { return Int32(d.partitions.count) }
        return topics.all.first { $0.name == name }?.partitionCount
    }
}

extension CreateTopicForm {
    /// Sends an editing key to the focused text field; false when it was not an editing key.
    @discardableResult
    mutating func edit(_ key: Key) -> Bool {
        switch focus {
        case .name: untouched.edit(&name, .name, key)
        case .partitions: untouched.edit(&partitions, .partitions, key)
        case .retentionMs: untouched.edit(&retentionMs, .retentionMs, key)
        case .otherConfig: untouched.edit(&otherConfig, .otherConfig, key)
        case .cleanupPolicy: false
        }
    }
}

extension PublishForm {
    /// Sends an editing key to the focused field; false when it was not an editing key.
    @discardableResult
    mutating func edit(_ key: Key) -> Bool {
        let handled: Bool
        switch focus {
        case .topic: handled = untouched.edit(&topic, .topic, key)
        case .key: handled = untouched.edit(&self.key, .key, key)
        case .partition: handled = untouched.edit(&partition, .partition, key)
        case .headers: handled = untouched.edit(&headers, .headers, key)
        case .value: handled = untouched.edit(&value, .value, key)
        }
        if handled {
            error = nil
        }
        return handled
    }

    /// The record to send, or what is wrong with the form.
    func record(partitionCount: Int32?) -> Result<ProduceRecord, InputProblem> {
        if let problem = TopicNameRules.problem(with: topic.text) { return .failure(InputProblem("topic: \(problem)")) }
        let partition: Int32?
        switch explicitPartition(partitionCount: partitionCount) {
        case .failure(let p): return .failure(p)
        case .success(let p): partition = p
        }
        var headerList: [HeaderData] = []
        if let original, headers.text == original.headersText {
            headerList = original.headers
        } else {
            switch parsedHeaders {
            case .failure(let p): return .failure(p)
            case .success(let h): headerList = h
            }
        }
        var keyBytes = key.text.isEmpty ? nil : Array(key.text.utf8)
        var valueBytes: [UInt8]? = Array(value.text.utf8)
        if let original, key.text == original.keyText { keyBytes = original.key }
        if let original, value.text == original.valueText, original.value != nil { valueBytes = original.value }
        return .success(
            ProduceRecord(
                partition: partition ?? -1, key: keyBytes, value: nullValue ? nil : valueBytes, headers: headerList))
    }
}
