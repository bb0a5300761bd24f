import AdminClient
import AdminProtocol
import SkiffText

/// Managing topics and groups: the topic screen's dialogs (config, partitions, delete records),
/// the confirmations typed at the prompt, and their results.
extension AppState {
    /// `e`, `+`, `X` on the topic screen and `d` on a group: open the dialog or the confirmation.
    mutating func manageCommand(_ command: Command) -> [Effect] {
        if command == .deleteGroup {
            if context.readOnly { return refuseReadOnly("deleting consumer groups") }
            let id: String?
            switch route {
            case .groups: id = groups.selected?.groupId
            case .group(let g): id = g
            default: id = nil
            }
            guard let id else { return [] }
            prompt = Prompt(kind: .deleteGroup(id), field: TextField())
            return []
        }
        guard case .topic(let name) = route else { return [] }
        guard let d = topic?.description, d.name == name else {
            flash("'\(name)' is still loading" + glyphs.ellipsis)
            return []
        }
        switch command {
        case .editConfig:
            if context.readOnly { return refuseReadOnly("changing topic config") }
            dialog = .editConfig(ConfigEditor(topic: name, selectedKey: d.config.first?.key ?? ""))
        case .addPartitions:
            if context.readOnly { return refuseReadOnly("adding partitions") }
            dialog = .addPartitions(AddPartitionsDialog(topic: name, current: Int32(d.partitions.count)))
        case .deleteRecords:
            if context.readOnly { return refuseReadOnly("deleting records") }
            let cursor = topic.map { min(max(0, $0.cursor), max(0, d.partitions.count - 1)) } ?? 0
            let partition = d.partitions.indices.contains(cursor) ? d.partitions[cursor].partition : 0
            dialog = .deleteRecords(DeleteRecordsDialog(topic: name, partition: partition))
        default:
            break
        }
        return []
    }

    /// A key while a dialog is open.
    mutating func dialogKey(_ key: Key) -> [Effect] {
        switch dialog {
        case .editConfig(let e)?: return configEditorKey(e, key)
        case .addPartitions(let a)?: return addPartitionsKey(a, key)
        case .deleteRecords(let r)?: return deleteRecordsKey(r, key)
        case nil: return []
        }
    }

    /// The described config entries of the dialog's topic.
    private func configEntries(of name: String) -> [ConfigEntry] {
        guard let d = topic?.description, d.name == name else { return [] }
        return d.config
    }

    private mutating func configEditorKey(_ editor: ConfigEditor, _ key: Key) -> [Effect] {
        var e = editor
        let entries = configEntries(of: e.topic)
        let current = entries.first { $0.key == e.selectedKey }?.value ?? ""
        var effects: [Effect] = []
        if e.askingToDiscard {
            switch Self.discardAnswer(key) {
            case true?:
                e.editing = nil
                e.askingToDiscard = false
                e.error = nil
            case false?: e.askingToDiscard = false
            case nil: break
            }
        } else if var field = e.editing {
            switch KeyMap.command(for: key, on: .configValue) {
            case .cancel?:
                if field.text != current && !e.submitting {
                    e.askingToDiscard = true
                } else {
                    e.editing = nil
                    e.error = nil
                }
            case .submit?:
                guard !e.submitting else { return [] }
                let value = field.text.trimmingSpaces
                if let problem = ConfigEditor.problem(key: e.selectedKey, value: value) {
                    e.error = problem
                } else {
                    e.submitting = true
                    e.error = nil
                    effects = [.alterTopicConfig(topic: e.topic, set: [e.selectedKey: value], delete: [])]
                }
            default:
                if field.edit(key, untouched: &e.untouched) { e.error = nil }
                e.editing = field
            }
        } else {
            let command = KeyMap.command(for: key, on: .configEditor)
            switch command {
            case .cancel?:
                dialog = nil
                return []
            case .up?, .down?:
                guard let i = entries.firstIndex(where: { $0.key == e.selectedKey }) ?? entries.indices.first else {
                    break
                }
                let j = min(max(0, i + (command == .up ? -1 : 1)), entries.count - 1)
                e.selectedKey = entries[j].key
                e.error = nil
            case .submit?:
                guard entries.contains(where: { $0.key == e.selectedKey }) else { break }
                e.editing = TextField(current)
                e.untouched = true
                e.error = nil
            case .revertConfig?:
                guard let entry = entries.first(where: { $0.key == e.selectedKey }), !e.submitting else { break }
                if entry.isDefault {
                    e.error = "\(entry.key) already has the broker default"
                } else {
                    e.submitting = true
                    e.error = nil
                    effects = [.alterTopicConfig(topic: e.topic, set: [:], delete: [entry.key])]
                }
            default:
                break
            }
        }
        dialog = .editConfig(e)
        return effects
    }

    private mutating func addPartitionsKey(_ dialog: AddPartitionsDialog, _ key: Key) -> [Effect] {
        var a = dialog
        var effects: [Effect] = []
        switch KeyMap.command(for: key, on: .addPartitions) {
        case .cancel?:
            self.dialog = nil
            return []
        case .submit?:
            guard !a.submitting else { return [] }
            switch a.total {
            case .failure(let problem): a.error = problem.message
            case .success(let n):
                a.submitting = true
                a.error = nil
                effects = [.addPartitions(topic: a.topic, totalCount: n)]
            }
        default:
            if a.count.edit(key, untouched: &a.untouched) { a.error = nil }
        }
        self.dialog = .addPartitions(a)
        return effects
    }

    private mutating func deleteRecordsKey(_ dialog: DeleteRecordsDialog, _ key: Key) -> [Effect] {
        var r = dialog
        switch KeyMap.command(for: key, on: .deleteRecords) {
        case .cancel?:
            self.dialog = nil
            return []
        case .nextField?, .previousField?:
            r.focus = r.focus == .partitions ? .before : .partitions
        case let command? where command == .previousChoice || command == .nextChoice:
            if r.focus == .partitions {
                r.allPartitions.toggle()
                r.error = nil
            } else {
                r.before.edit(command == .previousChoice ? .left : .right, untouched: &r.untouched)
            }
        case .submit?:
            guard !r.submitting, let d = topic?.description, d.name == r.topic else { break }
            switch r.plan(d.partitions) {
            case .failure(let problem): r.error = problem.message
            case .success(let steps):
                let count = steps.reduce(Int64(0)) { $0 + $1.deleted }
                guard count > 0 else {
                    r.error = "nothing to delete: the records before that offset are gone already"
                    break
                }
                r.error = nil
                prompt = Prompt(
                    kind: .deleteRecords(
                        topic: r.topic, partitions: DeleteRecordsDialog.request(steps),
                        summary:
                            "delete \(Format.count(count)) records of \(Self.partitionsLabel(steps, topic: r.topic))"
                    ), field: TextField())
            }
        default:
            if r.focus == .before, r.before.edit(key, untouched: &r.untouched) { r.error = nil }
        }
        self.dialog = .deleteRecords(r)
        return []
    }

    /// `partition 0 of 'prices'`, `'prices' (2 partitions)`.
    static func partitionsLabel(_ steps: [DeleteRecordsDialog.Step], topic: String) -> String {
        steps.count == 1 ? "partition \(steps[0].partition) of '\(topic)'" : "'\(topic)' (\(steps.count) partitions)"
    }

    /// Enter at a typed confirmation (delete a group, delete records): the name must match exactly.
    mutating func acceptConfirmation(_ p: Prompt) -> [Effect] {
        switch p.kind {
        case .deleteGroup(let id):
            guard p.field.text == id else {
                prompt?.error = "type '\(id)' exactly to delete it, or Esc to keep it"
                return []
            }
            prompt = nil
            flash("deleting consumer group '\(id)'\(glyphs.ellipsis)")
            return [.deleteGroup(id)]
        case .deleteRecords(let topic, let partitions, _):
            guard p.field.text == topic else {
                prompt?.error = "type '\(topic)' exactly, or Esc to keep them"
                return []
            }
            prompt = nil
            if case .deleteRecords(var r)? = dialog {
                r.submitting = true
                dialog = .deleteRecords(r)
            }
            return [.deleteRecords(topic: topic, partitions: partitions)]
        default:
            return []
        }
    }

    // MARK: - Results

    mutating func topicConfigAltered(
        _ name: String, set: [String: String], delete: [String], _ error: AdminClientError?
    ) -> [Effect] {
        if case .editConfig(var e)? = dialog, e.topic == name {
            e.submitting = false
            if let error {
                e.error = error.description
            } else {
                e.editing = nil
                e.error = nil
            }
            dialog = .editConfig(e)
        }
        if let error { return noteFailure(error) }
        noteSuccess()
        if let (key, value) = set.sorted(by: { $0.key < $1.key }).first {
            flash("set \(key)=\(value) on '\(name)'")
        } else {
            flash("\(delete.joined(separator: ", ")) of '\(name)' back to the broker default")
        }
        return load(.describeTopic(name))
    }

    mutating func partitionsAdded(_ name: String, totalCount: Int32, _ error: AdminClientError?) -> [Effect] {
        if case .addPartitions(var a)? = dialog, a.topic == name {
            if let error {
                a.submitting = false
                a.error = error.description
                dialog = .addPartitions(a)
            } else {
                dialog = nil
            }
        }
        if let error { return noteFailure(error) }
        noteSuccess()
        flash("'\(name)' now has \(totalCount) partitions")
        return load(.describeTopic(name))
    }

    mutating func recordsDeleted(_ name: String, _ result: Result<[DeleteRecordsResult], AdminClientError>) -> [Effect]
    {
        var open: DeleteRecordsDialog?
        if case .deleteRecords(let r)? = dialog, r.topic == name { open = r }
        switch result {
        case .failure(let error):
            if var r = open {
                r.submitting = false
                r.error = error.description
                dialog = .deleteRecords(r)
            }
            return noteFailure(error)
        case .success(let results):
            noteSuccess()
            let failed = results.filter { !$0.isSuccess }
            if failed.isEmpty {
                if open != nil { dialog = nil }
                flash(
                    "deleted records of '\(name)': "
                        + results.map { "partition \($0.partition) now starts at offset \($0.lowWatermark)" }.joined(
                            separator: ", "))
            } else {
                let text = failed.map { "partition \($0.partition): \($0.errorMessage)" }.joined(separator: "; ")
                if var r = open {
                    r.submitting = false
                    r.error = text
                    dialog = .deleteRecords(r)
                }
                flash(text, isError: true)
            }
            return load(.describeTopic(name))
        }
    }

    mutating func groupDeleted(_ id: String, _ error: AdminClientError?) -> [Effect] {
        if let error { return noteFailure(error) }
        noteSuccess()
        flash("deleted consumer group '\(id)'")
        if route == .group(id) { return back() }
        return load(.loadGroups)
    }
}
