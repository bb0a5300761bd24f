import Foundation
import SkiffTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The forms and dialogs of `skiff ui` (issue 10) as a person uses them: the real binary under
// tmux against a real `skiff broker` child, seeded with the CLI; what the broker then holds is read
// back with the CLI. The helpers are this file's own copies of SkiffUIEndToEndTests'.

/// Lines of a captured pane.
private func lines(_ pane: String) -> [String] {
    pane.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// The whitespace-separated fields of the first pane line whose first field is `first`.
private func fields(_ first: String, in pane: String) -> [String]? {
    lines(pane).lazy.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }.first { $0.first == first }
}

/// The first pane line that starts with `prefix`.
private func line(startingWith prefix: String, in pane: String) -> String? {
    lines(pane).first { $0.hasPrefix(prefix) }
}

/// The first pane line whose label, after the two columns of the focus marker, is `label`.
private func line(labelled label: String, in pane: String) -> String? {
    lines(pane).first { $0.dropFirst(2).hasPrefix(label + " ") }
}

/// A fresh temporary directory, removed by the caller.
private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-forms-e2e-\(UUID().uuidString)")
        .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `skiff arguments… --log-file log` in a 120×40 tmux pane under `sh`, which prints the exit
/// status afterwards.
private func startSkiff(_ arguments: [String], log: String) throws -> TmuxSession {
    let binary = try SkiffBinary.require()
    let script = #"""
        "$0" "$@"; status=$?
        echo "skiff exited $status"; sleep 60
        """#
    return try TmuxSession(
        command: ["sh", "-c", script, binary] + arguments + ["--log-file", log], width: 120, height: 40,
        environment: ["SWIFT_BACKTRACE": "interactive=no,output-to=stderr"])
}

/// Starts a broker child on a fresh data directory, seeds it, opens `skiff ui` on it and runs
/// `body`; afterwards stops both and removes the directory. A thrown error also shows the UI's log
/// and the broker's standard error.
private func withUI(
    seed: (BrokerChild) async throws -> Void = { _ in }, _ body: (BrokerChild, TmuxSession) async throws -> Void
) async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let log = directory + "/ui.log"
    let broker = try await BrokerChild.start(dataDirectory: directory + "/data")
    do {
        try await seed(broker)
        let ui = try startSkiff(["ui", "--broker", broker.address], log: log)
        defer { ui.kill() }
        try await body(broker, ui)
    } catch {
        _ = try? await broker.stop()
        let written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(none)"
        throw SkiffTestError("\(error)\n--- ui log:\n\(written)\n--- broker stderr:\n\(broker.child.stderr)")
    }
    let status = try await broker.stop()
    #expect(status == 0, "skiff broker exited \(status) on SIGTERM\n\(broker.child.stderr)")
}

/// Seeds `lagged` (one partition, 15 records) and `lag-group`, which committed offset 4 and has no members.
private func seedLaggedGroup(_ broker: BrokerChild) async throws {
    try await broker.run(["topic", "create", "lagged", "--partitions", "1"])
    try await broker.run(["produce", "lagged"], stdin: (1...15).map { "r\($0)\n" }.joined())
    try await broker.run(["consume", "lagged", "--group", "lag-group", "--count", "4", "--from", "earliest"])
}

/// What `skiff topic describe --json` says about config and partitions.
private struct DescribedTopic: Decodable {
    struct Config: Decodable {
        var key: String
        var value: String
        var isDefault: Bool
    }
    struct Partition: Decodable {
        var partition: Int32
        var logStartOffset: Int64
        var highWatermark: Int64
    }
    var config: [Config]
    var partitions: [Partition]

    func value(_ key: String) -> (String, Bool)? {
        config.first { $0.key == key }.map { ($0.value, $0.isDefault) }
    }
}

private func describe(_ topic: String, on broker: BrokerChild) async throws -> DescribedTopic {
    try JSONDecoder().decode(
        DescribedTopic.self, from: Data(try await broker.run(["topic", "describe", topic, "--json"]).utf8))
}

/// Committed offsets of `group` on `topic` by partition, as `skiff group describe --json` says.
private func committed(_ group: String, _ topic: String, on broker: BrokerChild) async throws -> [Int32: Int64] {
    struct Group: Decodable {
        struct Partition: Decodable {
            var topic: String
            var partition: Int32
            var committedOffset: Int64?
        }
        var partitions: [Partition]
    }
    let json = try await broker.run(["group", "describe", group, "--json"])
    var out: [Int32: Int64] = [:]
    for p in try JSONDecoder().decode(Group.self, from: Data(json.utf8)).partitions where p.topic == topic {
        out[p.partition] = p.committedOffset
    }
    return out
}

/// Opens group `id` with `:g`.
private func openGroup(_ id: String, _ ui: TmuxSession) async throws {
    try ui.sendLiteral(":")
    try ui.sendLiteral("g \(id)")
    try await ui.waitFor(text: ":g \(id)")
    try ui.sendKeys("Enter")
    try await ui.waitFor(text: "total lag")
}

@Suite(
    "skiff ui forms under tmux", .serialized,
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Debian package tmux): end-to-end tests skipped"))
struct FormsEndToEndTests {
    /// The create form offers only what the broker accepts, says at once that a name is needed,
    /// and a typed partition count replaces the default: the topic gets exactly 3 partitions.
    @Test func createFormDefaults() async throws {
        try await withUI { broker, ui in
            try await ui.waitFor(text: "no topics yet: press c to create one", timeout: .seconds(15))
            try ui.sendLiteral("c")
            let form = try await ui.waitFor(text: "Create a topic · Tab/Shift-Tab")
            #expect(!form.contains("compact"), "\(TmuxSession.framed(form))")
            let rows = lines(form)
            let nameRow = rows.firstIndex { $0.contains("▸ name") } ?? rows.count - 1
            // The row under the name says what is wrong with it (nothing typed yet).
            #expect(rows[min(nameRow + 1, rows.count - 1)].contains("✗"), "\(TmuxSession.framed(form))")

            try ui.sendLiteral("three")
            try ui.sendKeys("Tab")
            try await ui.waitFor(text: "▸ partitions        1")
            try ui.sendLiteral("3")
            let typed = try await ui.waitUntil("the partition count reads 3") { pane in
                line(startingWith: "▸ partitions", in: pane)?.split(separator: " ").last == "3"
            }
            #expect(!typed.contains("13"), "\(TmuxSession.framed(typed))")
            try ui.sendKeys("Enter")
            try await ui.waitUntil("three is listed with 3 partitions") {
                fields("three", in: $0)?.prefix(2) == ["three", "3"]
            }
            let described = try await broker.run(["topic", "describe", "three", "--json"])
            struct Topic: Decodable { var partitions: [Partition] }
            struct Partition: Decodable { var partition: Int32 }
            let topic = try JSONDecoder().decode(Topic.self, from: Data(described.utf8))
            #expect(topic.partitions.map(\.partition) == [0, 1, 2])
        }
    }

    /// Bad input in the reset dialog (-5 as an offset, abc as a shift, noon as a time) is refused
    /// next to the field, the way the `t` prompt refuses it, and the dialog stays open.
    @Test func resetDialogRefusesBadInputVisibly() async throws {
        try await withUI(seed: seedLaggedGroup) { broker, ui in
            try await ui.waitUntil("lagged is listed", timeout: .seconds(15)) { fields("lagged", in: $0) != nil }
            try await openGroup("lag-group", ui)
            try ui.sendLiteral("R")
            try await ui.waitFor(text: "Reset offsets of 'lag-group'")
            for (moves, typed, problem) in [
                (2, "-5", "✗ type an offset (0 or more)"),
                (2, "abc", "✗ type how many records to shift"),
                (4, "noon", "✗ not a time"),
            ] {
                // A refused value keeps the focus on it: Shift-Tab goes back to the target row.
                if typed != "-5" { try ui.sendKeys("BTab") }
                for _ in 0..<moves { try ui.sendKeys("Right") }
                try ui.sendLiteral(typed)
                try await ui.waitUntil("the value field shows \(typed)") { pane in
                    line(labelled: "value", in: pane)?.contains(typed) == true
                }
                try ui.sendKeys("Enter")
                try await ui.waitUntil("'\(typed)' is refused next to the field") { pane in
                    guard let row = line(labelled: "value", in: pane) else { return false }
                    return row.contains(typed) && row.contains(problem)
                }
            }
            // Nothing was written.
            let described = try await broker.run(["group", "describe", "lag-group"])
            #expect(fields("lagged", in: described)?.prefix(3) == ["lagged", "0", "4"], "\(described)")
        }
    }

    /// The config editor, add partitions and delete records on the topic screen, each checked
    /// against what the broker then holds.
    @Test func topicManagementDialogs() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "managed", "--partitions", "2"])
            try await broker.run(["produce", "managed", "--partition", "0"], stdin: "a\nb\nc\n")
            try await broker.run(["produce", "managed", "--partition", "1"], stdin: "d\n")
        }) { broker, ui in
            try await ui.waitUntil("managed is listed", timeout: .seconds(15)) { fields("managed", in: $0) != nil }
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "managed · 2 partitions · 4 messages")

            // The config editor: every key the broker describes; retention.ms is the eighth.
            try ui.sendLiteral("e")
            try await ui.waitFor(text: "Config of 'managed'")
            for _ in 0..<7 { try ui.sendKeys("Down") }
            try await ui.waitFor(text: "▸  retention.ms")
            try ui.sendKeys("Enter")
            try await ui.waitUntil("the value is open for editing") { line(labelled: "new value", in: $0) != nil }
            try ui.sendLiteral("-5")  // replaces the shown value
            try await ui.waitFor(text: "✗ retention.ms must be at least 0 (or -1), got -5")
            try ui.sendKeys("Enter")  // refused: nothing is sent
            try ui.sendKeys("C-u")
            try ui.sendLiteral("3600000")
            try await ui.waitFor(text: "= 1h")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "set retention.ms=3600000 on 'managed'")
            #expect(try await describe("managed", on: broker).value("retention.ms")! == ("3600000", false))
            try await ui.waitFor(text: "▸ *retention.ms")
            try ui.sendLiteral("d")
            try await ui.waitFor(text: "retention.ms of 'managed' back to the broker default")
            #expect(try await describe("managed", on: broker).value("retention.ms")!.1)
            try ui.sendKeys("Escape")
            try await ui.waitUntil("the editor is closed") { !$0.contains("Config of 'managed'") }

            // Add partitions: the default (3) is replaced by what is typed.
            try ui.sendLiteral("+")
            try await ui.waitFor(text: "Add partitions to 'managed'")
            try ui.sendLiteral("4")
            try await ui.waitFor(text: "✓ 2 → 4: adds partitions 2–3")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "'managed' now has 4 partitions")
            #expect(try await describe("managed", on: broker).partitions.count == 4)

            // Delete the records of partition 0 (the cursor's), confirmed by typing the name.
            try await ui.waitFor(text: "managed · 4 partitions")
            try ui.sendLiteral("X")
            try await ui.waitFor(text: "partition 0: offsets 0–2 go (3 records); it then starts at 3")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "delete 3 records of partition 0 of 'managed'? type its name:")
            try ui.sendLiteral("manage")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "type 'managed' exactly, or Esc to keep them")
            #expect(try await describe("managed", on: broker).partitions[0].logStartOffset == 0)
            try ui.sendLiteral("d")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "deleted records of 'managed': partition 0 now starts at offset 3")
            let after = try await describe("managed", on: broker)
            #expect(after.partitions.map(\.logStartOffset) == [3, 0, 0, 0])
            #expect(after.partitions.map(\.highWatermark) == [3, 1, 0, 0])
        }
    }

    /// Any key=value config in the create form, checked as typed; Esc and Ctrl-C on a changed
    /// form ask before discarding it, and neither leaves the app.
    @Test func createFormConfigAndLeaving() async throws {
        try await withUI { broker, ui in
            try await ui.waitFor(text: "no topics yet: press c to create one", timeout: .seconds(15))
            try ui.sendLiteral("c")
            try await ui.waitFor(text: "Create a topic")
            try ui.sendLiteral("configured")
            for _ in 0..<4 { try ui.sendKeys("Tab") }
            try await ui.waitFor(text: "▸ other config")
            try ui.sendLiteral("segment.bytes=13")
            try await ui.waitFor(text: "✗ segment.bytes must be at least 14, got 13")
            try ui.sendKeys("C-u")
            try ui.sendLiteral("segment.bytes=1048576 max.message.bytes=2097152")
            try await ui.waitFor(text: "✓ sets max.message.bytes, segment.bytes")
            try ui.sendKeys("Enter")
            try await ui.waitUntil("configured is listed") { fields("configured", in: $0) != nil }
            let d = try await describe("configured", on: broker)
            #expect(d.value("segment.bytes")! == ("1048576", false))
            #expect(d.value("max.message.bytes")! == ("2097152", false))

            // A changed form: Esc asks, n keeps it, Ctrl-C asks too, y discards it.
            try ui.sendLiteral("c")
            try await ui.waitFor(text: "Create a topic")
            try ui.sendLiteral("unsaved")
            try ui.sendKeys("Escape")
            try await ui.waitFor(text: "discard changes? y/n")
            try ui.sendLiteral("n")
            try await ui.waitUntil("still editing") { pane in
                !pane.contains("discard changes?") && pane.contains("▸ name              unsaved")
            }
            try ui.sendKeys("C-c")
            try await ui.waitFor(text: "discard changes? y/n")
            try ui.sendLiteral("y")
            try await ui.waitUntil("back on the topic list") { fields("configured", in: $0) != nil }
            // An unchanged form: Ctrl-C closes it at once, and the app goes on.
            try ui.sendLiteral("c")
            try await ui.waitFor(text: "Create a topic")
            try ui.sendKeys("C-c")
            let back = try await ui.waitUntil("back on the topic list") { fields("configured", in: $0) != nil }
            #expect(!back.contains("skiff exited"), "\(TmuxSession.framed(back))")
            #expect(!(try await broker.run(["topic", "list"])).contains("unsaved"))
            try ui.sendLiteral("q")
            try await ui.waitFor(text: "skiff exited 0")
        }
    }

    /// A reset of chosen partitions: the preview shows only those, y writes only those, u puts
    /// exactly those back.
    @Test func resetChosenPartitionsAndUndo() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "spread", "--partitions", "3"])
            for p in 0..<3 {
                try await broker.run(
                    ["produce", "spread", "--partition", "\(p)"], stdin: (1...10).map { "r\($0)\n" }.joined())
            }
            try await broker.run(["consume", "spread", "--group", "chosen", "--from", "earliest"])
        }) { broker, ui in
            try await ui.waitUntil("spread is listed", timeout: .seconds(15)) { fields("spread", in: $0) != nil }
            #expect(try await committed("chosen", "spread", on: broker) == [0: 10, 1: 10, 2: 10])
            try await openGroup("chosen", ui)
            try ui.sendLiteral("R")
            try await ui.waitFor(text: "Reset offsets of 'chosen' (every topic it has offsets for)")
            try ui.sendKeys("Tab", "Right", "Tab")
            try await ui.waitFor(text: "e.g. 0,1 or 0-3; empty = all 3")
            try ui.sendLiteral("0,2")
            try await ui.waitFor(text: "Reset offsets of 'chosen' (partitions 0,2 of 'spread')")
            try ui.sendKeys("Enter")
            let preview = try await ui.waitFor(text: "y writes these 2 offset(s)")
            #expect(
                fields("spread", in: preview)?.prefix(5) == ["spread", "0", "10", "→", "0"],
                "\(TmuxSession.framed(preview))")
            #expect(
                !lines(preview).contains { $0.split(separator: " ").prefix(2) == ["spread", "1"] },
                "\(TmuxSession.framed(preview))")
            try ui.sendLiteral("y")
            try await ui.waitFor(text: "reset 2 partition offset(s) of partitions 0,2 of 'spread'; press u to undo")
            #expect(try await committed("chosen", "spread", on: broker) == [0: 0, 1: 10, 2: 0])
            try ui.sendLiteral("u")
            try await ui.waitFor(text: "restored the previous offsets of 2 partition(s)")
            #expect(try await committed("chosen", "spread", on: broker) == [0: 10, 1: 10, 2: 10])
        }
    }

    /// Deleting a group: refused in the broker's words while it has a member, done once typed for
    /// an empty one.
    @Test func deleteGroups() async throws {
        var member: SkiffChild?
        defer { if let member { kill(member.process.processIdentifier, SIGKILL) } }
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "owned", "--partitions", "1"])
            try await broker.run(["produce", "owned"], stdin: "a\nb\n")
            try await broker.run(["consume", "owned", "--group", "idle", "--from", "earliest"])
            member = try SkiffChild(["consume", "owned", "--group", "busy", "--follow", "--broker", broker.address])
        }) { broker, ui in
            try await ui.waitUntil("owned is listed", timeout: .seconds(15)) { fields("owned", in: $0) != nil }
            try ui.sendLiteral(":")
            try ui.sendLiteral("groups")
            try ui.sendKeys("Enter")
            try await ui.waitUntil("busy has its member") {
                fields("busy", in: $0)?.prefix(3) == ["busy", "Stable", "1"]
            }
            try await ui.waitUntil("idle is listed") { fields("idle", in: $0) != nil }
            // The cursor is on busy (sorted by name).
            try ui.sendLiteral("d")
            try await ui.waitFor(text: "delete group 'busy' and its committed offsets? type its name to confirm:")
            try ui.sendLiteral("busy")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "consumer group 'busy' has active members; stop its consumers first")
            #expect(try await broker.run(["group", "list"]).contains("busy"))

            try ui.sendKeys("Down")
            try ui.sendLiteral("d")
            try await ui.waitFor(text: "delete group 'idle' and its committed offsets? type its name to confirm:")
            try ui.sendLiteral("idle")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "deleted consumer group 'idle'")
            try await ui.waitUntil("idle is gone from the list") { fields("idle", in: $0) == nil }
            let groups = try await broker.run(["group", "list"])
            #expect(!groups.contains("idle") && groups.contains("busy"), "\(groups)")
        }
    }

    /// A tombstone from the publish form: Ctrl-N makes the value null, the broker stores no value;
    /// an explicit partition replaces `auto` as typed and the key's hint follows it.
    @Test func publishATombstone() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "tombs", "--partitions", "2"])
        }) { broker, ui in
            try await ui.waitUntil("tombs is listed", timeout: .seconds(15)) { fields("tombs", in: $0) != nil }
            try ui.sendLiteral("p")
            try await ui.waitFor(text: "Publish a message")
            try ui.sendKeys("BTab", "BTab", "BTab")
            try await ui.waitFor(text: "▸ key")
            try ui.sendLiteral("k1")
            try await ui.waitFor(text: "(murmur2)")
            try ui.sendKeys("Tab")
            try ui.sendLiteral("1")  // replaces "auto"
            try await ui.waitFor(text: "→ partition 1, as chosen below (the key is not hashed)")
            let partition = try #require(line(labelled: "partition", in: try ui.capture()))
            #expect(!partition.contains("auto"), "\(partition)")
            try ui.sendKeys("Tab", "Tab")
            try await ui.waitFor(text: "▸ value")
            try ui.sendKeys("C-n")
            try await ui.waitFor(text: "null (tombstone)")
            try ui.sendKeys("C-s")
            try await ui.waitFor(text: "✓ landed in partition 1 at offset 0")
            let consumed = try await broker.run(["consume", "tombs", "--partition", "1", "--print-key"])
            #expect(consumed == "k1\t(null)\n")
        }
    }
}
