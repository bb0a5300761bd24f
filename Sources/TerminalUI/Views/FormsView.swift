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

    static func field(_ f: TextField, focused: Bool, width: Int, y: Int, into buffer: inout ScreenBuffer) {
        buffer.fill(x: fieldX, y: y, width: width, height: 1, role: .input)
        Chrome.drawField(f, x: fieldX, y: y, width: width, focused: focused, into: &buffer)
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
        let nameProblem = f.nameProblem(existing: state.topics.names)
        check(
            f.name.text.isEmpty && f.focus == .name ? nil : nameProblem,
            ok: f.name.text.isEmpty
                ? "1\(g.range)249 of a-z A-Z 0-9 . _ -" : TopicNameRules.warning(for: f.name.text) ?? "valid name",
            y: y + 1, into: &buffer)

        y += 3
        label("partitions", focused: f.focus == .partitions, y: y, into: &buffer)
        field(f.partitions, focused: f.focus == .partitions, width: 10, y: y, into: &buffer)
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
        for (i, policy) in CreateTopicForm.cleanupPolicies.enumerated() {
            let chosen = i == f.cleanupPolicy
            x += buffer.write(
                chosen ? "\(g.choiceOpen)\(policy)\(g.choiceClose)" : " \(policy) ", x: x, y: y,
                role: chosen ? (f.focus == .cleanupPolicy ? .selection : .key) : .dim)
            x += 1
        }
        buffer.write("\(g.leftKey) \(g.rightKey) or Space change it", x: fieldX, y: y + 1, role: .dim)

        y += 3
        if f.submitting {
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
        field(f.topic, focused: f.focus == .topic, width: width, y: y, into: &buffer)
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
        if f.key.text.isEmpty {
            buffer.write("empty = no key", x: noteX, y: y, role: .dim)
        } else if let count, count > 0 {
            let p = KafkaPartitioner.partition(forKey: Array(f.key.text.utf8), partitionCount: count)
            buffer.write("\(g.arrow) partition \(p) of \(count) (murmur2)", x: noteX, y: y, role: .dim)
        }

        y += 1
        label("partition", focused: f.focus == .partition, y: y, into: &buffer)
        field(f.partition, focused: f.focus == .partition, width: 10, y: y, into: &buffer)
        switch f.explicitPartition(partitionCount: count) {
        case .failure(let problem):
            buffer.write(
                g.problem + " " + problem.message, x: noteX, y: y, role: .error, maxWidth: buffer.width - noteX - 1)
        case .success(nil):
            buffer.write("auto: key hash, else broker's choice", x: noteX, y: y, role: .dim)
        case .success:
            break
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
        box(
            f.value, focused: f.focus == .value, x: fieldX, y: y, width: buffer.width - fieldX - 2, height: valueHeight,
            into: &buffer)
        buffer.write("\(Format.count(Int64(f.value.utf8Count))) bytes", x: labelX, y: y + 1, role: .dim)

        let resultRow = layout.contentBottom - 2
        if f.sending {
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
