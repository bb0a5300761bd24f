import AdminClient
import AdminProtocol

extension AppState {
    // MARK: - Group: reset offsets and undo

    mutating func groupCommand(_ command: Command) -> [Effect] {
        guard var g = group else { return [] }
        switch command {
        case .resetOffsets:
            if context.readOnly { return refuseReadOnly("resetting offsets") }
            g.reset = ResetDialog()
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
        let isPreview: Bool
        if case .preview = d.phase { isPreview = true } else { isPreview = false }
        var effects: [Effect] = []
        if let command = KeyMap.command(for: key, on: isPreview ? .resetPreview : .resetOffsets) {
            switch command {
            case .quit: return quit()
            case .cancel:
                if case .preview = d.phase {
                    d.phase = .choosing
                } else {
                    g.reset = nil
                    group = g
                    return []
                }
            case .previousChoice, .nextChoice:
                guard case .choosing = d.phase else { return [] }
                let all = ResetChoice.allCases
                let i = all.firstIndex(of: d.choice)!
                d.choice = all[(i + (command == .nextChoice ? 1 : all.count - 1)) % all.count]
                d.value = TextField()
                d.error = nil
            case .submit:
                guard case .choosing = d.phase else { return [] }
                switch d.target(nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds) {
                case .failure(let problem):
                    d.error = problem.message
                case .success(let target):
                    d.error = nil
                    d.phase = .planning(target)
                    effects = [.resetOffsets(groupId: g.groupId, target: target, dryRun: true)]
                }
            case .confirm:
                guard case .preview(let target, let plan) = d.phase else { return [] }
                d.phase = .applying(target, planned: plan)
                effects = [.resetOffsets(groupId: g.groupId, target: target, dryRun: false)]
            default:
                break
            }
        } else if case .choosing = d.phase, d.choice.valueHint != nil, d.value.handle(key) {
            d.error = nil
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
            guard var d = g.reset, case .planning(let target) = d.phase else { return [] }
            d.phase = .preview(target, plan.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })
            g.reset = d
            group = g
            return []
        case (false, .success(let applied)):
            noteSuccess()
            var planned: [OffsetResetInfo] = []
            if case .applying(_, let p)? = g.reset?.phase { planned = p }
            g.undo = applied
            g.reset = nil
            group = g
            let moved =
                Set(applied.map { [$0.topic, String($0.partition), String($0.newOffset)] })
                != Set(planned.map { [$0.topic, String($0.partition), String($0.newOffset)] })
            flash(
                "reset \(applied.count) partition offset(s)\(moved ? " (offsets moved since the preview)" : ""); press u to undo"
            )
            return load(.describeGroup(id))
        case (_, .failure(let error)):
            if var d = g.reset {
                switch d.phase {
                case .applying(let target, let plan): d.phase = .preview(target, plan)
                default: d.phase = .choosing
                }
                d.error = error.description
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
        group?.undo = nil
        flash("restored the previous offsets of \(count) partition(s)")
        return load(.describeGroup(id))
    }

    // MARK: - Create topic form

    mutating func createTopicFormKey(_ key: Key) -> [Effect] {
        guard var f = createTopicForm else { return [] }
        var effects: [Effect] = []
        if let command = KeyMap.command(for: key, on: .createTopic) {
            switch command {
            case .quit: return quit()
            case .cancel: return back()
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
                    (.retentionMs, f.retentionProblem),
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
        } else {
            f.edit(key)
            f.error = nil
        }
        createTopicForm = f
        return effects
    }

    // MARK: - Publish form

    mutating func publishFormKey(_ key: Key) -> [Effect] {
        guard var f = publishForm else { return [] }
        var effects: [Effect] = []
        let all = PublishForm.Field.allCases
        if let command = KeyMap.command(for: key, on: .publish) {
            switch command {
            case .quit: return quit()
            case .cancel: return back()
            case .nextField: f.focus = all[(f.focus.rawValue + 1) % all.count]
            case .previousField: f.focus = all[(f.focus.rawValue + all.count - 1) % all.count]
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
    /// Sends an editing key to the focused text field.
    mutating func edit(_ key: Key) {
        switch focus {
        case .name: name.handle(key)
        case .partitions: partitions.handle(key)
        case .retentionMs: retentionMs.handle(key)
        case .cleanupPolicy: break
        }
    }
}

extension PublishForm {
    /// Sends an editing key to the focused field; false when it was not an editing key.
    mutating func edit(_ key: Key) -> Bool {
        let handled: Bool
        switch focus {
        case .topic: handled = topic.handle(key)
        case .key: handled = self.key.handle(key)
        case .partition: handled = partition.handle(key)
        case .headers: handled = headers.handle(key)
        case .value: handled = value.handle(key)
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
        if let original, value.text == original.valueText { valueBytes = original.value }
        return .success(
            ProduceRecord(partition: partition ?? -1, key: keyBytes, value: valueBytes, headers: headerList))
    }
}
