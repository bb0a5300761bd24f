/// The create-topic and publish forms.
import KafkaHash
import SkiffText

enum FormsView {
    static let labelX = 2
    static let fieldX = 20

    static func label(_ text: String, focused: Bool, y: Int, into buffer: inout ScreenBuffer) {
        buffer.write(
            (focused ? buffer.glyphs.focus + " " : "  ") + text, x: labelX - 2, y: y, role: focused ? .key : .header,
            bold: true)
    }

    /// A one-line field; an untouched default in the focused field is drawn selected: typing replaces it.
    static func field(
        _ f: TextField, focused: Bool, untouched: Bool = false, x: Int = fieldX, width: Int, y: Int,
        into buffer: inout ScreenBuffer
    ) {
        buffer.fill(x: x, y: y, width: width, height: 1, role: .input)
        let used = Chrome.drawField(f, x: x, y: y, width: width, focused: focused, into: &buffer)
        if focused && untouched && !f.text.isEmpty {
            buffer.paint(x: x, y: y, width: min(used, DisplayWidth.of(SafeText.escape(f.text))), role: .selection)
        }
    }

    /// The question a changed form asks after Esc, at row `y`.
    static func discardQuestion(x: Int, y: Int, into buffer: inout ScreenBuffer) {
        buffer.write(
            buffer.glyphs.warning + " discard changes? y/n", x: x, y: y, role: .warning, bold: true,
            maxWidth: buffer.width - x - 1)
    }

    static func check(_ problem: String?, ok: String, y: Int, into buffer: inout ScreenBuffer) {
        if let problem {
            buffer.write(
                buffer.glyphs.problem + " " + problem, x: fieldX, y: y, role: .error,
                maxWidth: buffer.width - fieldX - 1)
        } else {
            buffer.write(buffer.glyphs.ok + " " + ok, x: fieldX, y: y, role: .good, maxWidth: buffer.width - fieldX - 1)
        }
    }

    static func renderCreateTopic(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let f = state.createTopicForm else { return }
        let g = buffer.glyphs
        let top = layout.contentTop
        Chrome.summary(
            g.joined(["Create a topic", "Tab/Shift-Tab move between fields", "Enter creates", "Esc cancels"]), y: top,
            into: &buffer)
        let width = min(50, buffer.width - fieldX - 2)

        var y = top + 2
        label("name", focused: f.focus == .name, y: y, into: &buffer)
        field(f.name, focused: f.focus == .name, width: width, y: y, into: &buffer)
        check(
            f.nameProblem(existing: state.topics.names), ok: TopicNameRules.warning(for: f.name.text) ?? "valid name",
            y: y + 1, into: &buffer)

        y += 3
        label("partitions", focused: f.focus == .partitions, y: y, into: &buffer)
        field(
            f.partitions, focused: f.focus == .partitions, untouched: f.untouched.contains(.partitions), width: 10,
            y: y,
            into: &buffer)
        check(f.partitionsProblem, ok: "1 to 10,000; cannot be lowered later", y: y + 1, into: &buffer)

        y += 3
        label("retention.ms", focused: f.focus == .retentionMs, y: y, into: &buffer)
        field(f.retentionMs, focused: f.focus == .retentionMs, width: 16, y: y, into: &buffer)
        var retention = "empty = broker default, -1 = keep forever"
        if let v = Int64(f.retentionMs.text.trimmingSpaces), v >= 0 {
            retention = "= \(Format.duration(milliseconds: v))"
        }
        check(f.retentionProblem, ok: retention, y: y + 1, into: &buffer)

        y += 3
        label("cleanup.policy", focused: f.focus == .cleanupPolicy, y: y, into: &buffer)
        var x = fieldX
        let policies = CreateTopicForm.cleanupPolicies
        for (i, policy) in policies.enumerated() {
            let chosen = i == f.cleanupPolicy
            x += buffer.write(
                chosen ? "\(g.choiceOpen)\(policy)\(g.choiceClose)" : " \(policy) ", x: x, y: y,
                role: chosen ? (f.focus == .cleanupPolicy ? .selection : .key) : .dim)
            x += 1
        }
        buffer.write(
            policies.count > 1
                ? "\(g.leftKey) \(g.rightKey) or Space change it" : "the only policy the broker accepts",
            x: fieldX, y: y + 1, role: .dim)

        y += 3
        label("other config", focused: f.focus == .otherConfig, y: y, into: &buffer)
        field(f.otherConfig, focused: f.focus == .otherConfig, width: buffer.width - fieldX - 2, y: y, into: &buffer)
        var other = "key=value pairs, e.g. segment.bytes=1048576 flush.ms=1000"
        if case .success(let pairs) = f.parsedOtherConfig, !pairs.isEmpty {
            other = "sets " + pairs.keys.sorted().joined(separator: ", ")
        }
        check(f.otherConfigProblem, ok: other, y: y + 1, into: &buffer)

        y += 3
        if f.askingToDiscard {
            discardQuestion(x: labelX, y: y, into: &buffer)
        } else if f.submitting {
            buffer.write("creating '\(f.name.text)'\(g.ellipsis)", x: fieldX, y: y, role: .dim)
        } else if let error = f.error {
            buffer.write(
                g.problem + " " + error, x: labelX, y: y, role: .error, bold: true, maxWidth: buffer.width - labelX - 1)
        }
    }

    static func renderPublish(_ state: AppState, layout: Layout, into buffer: inout ScreenBuffer) {
        guard let f = state.publishForm else { return }
        let g = buffer.glyphs
        let top = layout.contentTop
        Chrome.summary(
            g.joined([
                "Publish a message", "Tab/Shift-Tab fields", "Enter: new line in headers/value", "Ctrl-S or F2 sends",
            ]),
            y: top, into: &buffer)
        let width = min(40, buffer.width - fieldX - 30)
        let noteX = fieldX + width + 2
        let count = state.partitionCount(of: f.topic.text)

        var y = top + 2
        label("topic", focused: f.focus == .topic, y: y, into: &buffer)
        field(
            f.topic, focused: f.focus == .topic, untouched: f.untouched.contains(.topic), width: width, y: y,
            into: &buffer)
        if let problem = TopicNameRules.problem(with: f.topic.text) {
            buffer.write(g.problem + " " + problem, x: noteX, y: y, role: .error, maxWidth: buffer.width - noteX - 1)
        } else {
            buffer.write(
                count.map { Format.plural(Int($0), "partition") } ?? "not in the topic list", x: noteX, y: y, role: .dim
            )
        }

        y += 1
        label("key", focused: f.focus == .key, y: y, into: &buffer)
        field(f.key, focused: f.focus == .key, width: width, y: y, into: &buffer)
        let explicit = f.explicitPartition(partitionCount: count)
        if f.key.text.isEmpty {
            buffer.write("empty = no key", x: noteX, y: y, role: .dim)
        } else if case .success(let p?) = explicit {
            // The partition field wins over the key's hash: say where the record goes.
            buffer.write(
                "\(g.arrow) partition \(p), as chosen below (the key is not hashed)", x: noteX, y: y, role: .dim,
                maxWidth: buffer.width - noteX - 1)
        } else if let count, count > 0 {
            let p = KafkaPartitioner.partition(forKey: Array(f.key.text.utf8), partitionCount: count)
            buffer.write("\(g.arrow) partition \(p) of \(count) (murmur2)", x: noteX, y: y, role: .dim)
        }

        y += 1
        label("partition", focused: f.focus == .partition, y: y, into: &buffer)
        field(
            f.partition, focused: f.focus == .partition, untouched: f.untouched.contains(.partition), width: 10, y: y,
            into: &buffer)
        switch explicit {
        case .failure(let problem):
            buffer.write(
                g.problem + " " + problem.message, x: noteX, y: y, role: .error, maxWidth: buffer.width - noteX - 1)
        case .success(nil):
            buffer.write("auto: key hash, else broker's choice", x: noteX, y: y, role: .dim)
        case .success:
            buffer.write("explicit: overrides the key's hash", x: noteX, y: y, role: .dim)
        }

        y += 2
        label("headers", focused: f.focus == .headers, y: y, into: &buffer)
        box(
            f.headers, focused: f.focus == .headers, x: fieldX, y: y, width: buffer.width - fieldX - 2, height: 3,
            into: &buffer)
        if case .failure(let problem) = f.parsedHeaders {
            buffer.write(g.problem + " " + problem.message, x: fieldX, y: y + 3, role: .error)
        } else {
            buffer.write("one key=value per line", x: fieldX, y: y + 3, role: .dim)
        }

        y += 5
        let valueHeight = max(3, layout.contentBottom - 3 - y)
        label("value", focused: f.focus == .value, y: y, into: &buffer)
        if f.nullValue {
            buffer.fill(x: fieldX, y: y, width: buffer.width - fieldX - 2, height: valueHeight, role: .input)
            buffer.write(
                "null (tombstone) \(g.dash) Ctrl-N or typing makes it text again", x: fieldX, y: y,
                role: f.focus == .value ? .selection : .input, bold: true, maxWidth: buffer.width - fieldX - 2)
            buffer.write("null", x: labelX, y: y + 1, role: .dim)
        } else {
            box(
                f.value, focused: f.focus == .value, x: fieldX, y: y, width: buffer.width - fieldX - 2,
                height: valueHeight, into: &buffer)
            buffer.write("\(Format.count(Int64(f.value.utf8Count))) bytes", x: labelX, y: y + 1, role: .dim)
        }

        let resultRow = layout.contentBottom - 2
        if f.askingToDiscard {
            discardQuestion(x: labelX, y: resultRow, into: &buffer)
        } else if f.sending {
            buffer.write("sending" + g.ellipsis, x: fieldX, y: resultRow, role: .dim)
        } else if let error = f.error {
            buffer.write(
                g.problem + " " + error, x: labelX, y: resultRow, role: .error, bold: true,
                maxWidth: buffer.width - labelX - 1)
        } else if let result = f.result {
            buffer.write(g.ok + " " + result, x: labelX, y: resultRow, role: .good, bold: true)
        }
    }

    /// A multi-line field: the lines around the cursor, the cursor drawn on its line. Only the
    /// visible lines are looked at.
    static func box(
        _ f: TextField, focused: Bool, x: Int, y: Int, width: Int, height: Int, into buffer: inout ScreenBuffer
    ) {
        buffer.fill(x: x, y: y, width: width, height: height, role: .input)
        let cursorLine = f.cursorPosition.line
        for (row, i) in f.visibleLines(height: height).enumerated() {
            if focused && i == cursorLine {
                Chrome.drawField(f, x: x, y: y + row, width: width, focused: true, into: &buffer)
            } else {
                let text = String(f.characters(ofLine: i, limit: width))
                buffer.write(SafeText.escape(text), x: x, y: y + row, role: .input, maxWidth: width)
            }
        }
    }
}
