import Foundation
import KafkaHash
import SkiffTestSupport
import Testing

import enum SkiffText.DisplayWidth
import enum SkiffText.Format

// The real `skiff` binary under tmux against a real `skiff broker` child: data is seeded with the
// CLI, then `skiff ui --broker 127.0.0.1:PORT` is driven with keys and read back from the pane.
// Every wait polls the pane with a deadline; a timeout shows the whole pane, and a failure also
// carries the UI's log and the broker's standard error.

/// Lines of a captured pane.
private func lines(_ pane: String) -> [String] {
    pane.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// The whitespace-separated fields of the first pane line whose first field is `first`.
private func fields(_ first: String, in pane: String) -> [String]? {
    lines(pane).lazy.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }.first { $0.first == first }
}

/// The line without trailing spaces (tmux may keep a coloured background's spaces).
private func trimmed(_ line: some StringProtocol) -> String {
    var text = String(line)
    while text.last == " " { text.removeLast() }
    return text
}

/// The display column where `needle` starts in `line`.
private func column(of needle: String, in line: String) -> Int? {
    line.range(of: needle).map { DisplayWidth.of(String(line[..<$0.lowerBound])) }
}

/// The data directory the status bar names (`  data /tmp/skiff-demo-…`).
private func shownDataDirectory(in pane: String) -> String? {
    guard let status = lines(pane).last(where: { $0.contains("● connected") }),
        let label = status.range(of: "  data ")
    else { return nil }
    return status[label.upperBound...].split(separator: " ").first.map(String.init)
}

/// A fresh temporary directory, removed by the caller.
private func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-ui-e2e-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `skiff arguments… --log-file log` in a 120×40 tmux pane under `sh`, which afterwards says
/// whether the terminal's settings came back (`stty -g` before and after) and prints the exit
/// status (tmux 3.3 does not always learn it).
private func startSkiff(_ arguments: [String], log: String, env: [String: String] = [:]) throws -> TmuxSession {
    let binary = try SkiffBinary.require()
    let script = #"""
        settings=$(stty -g); "$0" "$@"; status=$?
        [ "$(stty -g)" = "$settings" ] && echo "terminal settings restored"
        echo "skiff exited $status"; sleep 60
        """#
    return try TmuxSession(
        command: ["sh", "-c", script, binary] + arguments + ["--log-file", log], width: 120, height: 40,
        environment: env.merging(["SWIFT_BACKTRACE": "interactive=no,output-to=stderr"]) { $1 })
}

/// The processes whose command line is `binary` followed by arguments that include `argument`
/// (read from /proc: the `sh` that started them has the same arguments but another program).
private func processes(running binary: String, withArgument argument: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> Int32? in
        guard let pid = Int32(entry),
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
        else { return nil }
        let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return argv.first == binary && argv.contains(argument) ? pid : nil
    }
}

/// Starts a broker child on a fresh data directory, seeds it, opens `skiff ui` on it and runs
/// `body`; afterwards stops both (the broker with SIGTERM, expecting status 0) and removes the
/// directory. A thrown error also shows the UI's log and the broker's standard error.
func withUI(
    brokerArguments: [String] = [], uiArguments: [String] = [], uiEnvironment: [String: String] = [:],
    seed: (BrokerChild) async throws -> Void = { _ in },
    _ body: (BrokerChild, TmuxSession) async throws -> Void
) async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let log = directory + "/ui.log"
    let broker = try await BrokerChild.start(dataDirectory: directory + "/data", extraArguments: brokerArguments)
    do {
        try await seed(broker)
        let ui = try startSkiff(
            ["ui", "--broker", broker.address] + uiArguments, log: log, env: uiEnvironment)
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

/// Topic `prices` (3 partitions) with 2,000 records keyed by five tickers; every 400th from
/// record 7 on says HALT.
private func seedPrices(_ broker: BrokerChild) async throws {
    let tickers = ["AAPL", "MSFT", "GOOG", "NVDA", "AMZN"]
    try await broker.run(["topic", "create", "prices", "--partitions", "3"])
    let input = (0..<2_000).map { i in "\(tickers[i % 5]):price \(i)\(i % 400 == 7 ? " HALT" : "")" }
    try await broker.run(["produce", "prices", "-K:"], stdin: input.joined(separator: "\n") + "\n")
}

/// The partition Kafka's partitioner gives key AAPL among 3.
private let aaplPartition = KafkaPartitioner.partition(forKey: Array("AAPL".utf8), partitionCount: 3)

/// Opens topic `prices` from the topic list.
private func openPrices(_ ui: TmuxSession) async throws {
    try await ui.waitUntil("prices is listed", timeout: .seconds(15)) { fields("prices", in: $0) != nil }
    try ui.sendKeys("Enter")
    try await ui.waitFor(text: "prices · 3 partitions")
}

/// `skiff ui` and `skiff demo` as a person uses them: the real binary in a terminal.
@Suite(
    "skiff ui under tmux", .serialized,
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Debian package tmux): end-to-end tests skipped"))
struct SkiffUIEndToEndTests {
    /// Topics → topic (watermarks) → Messages → detail pane: pretty JSON, and CJK text aligned.
    @Test func browseTopicPartitionAndMessage() async throws {
        let json = #"{"id":1,"item":"book","qty":2,"tags":["a","b"]}"#
        let cjk = "東京駅のカフェ"
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "events", "--partitions", "2"])
            try await broker.run(
                ["produce", "events", "--partition", "0", "-K:"], stdin: "order-1:\(json)\nstation-2:\(cjk)\n")
            try await broker.run(["produce", "events", "--partition", "1"], stdin: "a\nb\nc\n")
        }) { _, ui in
            // The topic list: name, partitions, messages.
            try await ui.waitUntil("events is listed with 2 partitions and 5 messages", timeout: .seconds(15)) {
                fields("events", in: $0)?.prefix(3) == ["events", "2", "5"]
            }
            try ui.sendKeys("Enter")
            // The partition table: PARTITION LEADER REPLICAS ISR LOW HIGH MESSAGES.
            let topic = try await ui.waitUntil("the partition table shows both partitions") { pane in
                fields("0", in: pane)?.prefix(7) == ["0", "0", "0", "0", "0", "2", "2"]
                    && fields("1", in: pane)?.prefix(7) == ["1", "0", "0", "0", "0", "3", "3"]
            }
            #expect(
                fields("PARTITION", in: topic)?.prefix(7) == [
                    "PARTITION", "LEADER", "REPLICAS", "ISR", "LOW", "HIGH", "MESSAGES",
                ], "\(TmuxSession.framed(topic))")
            #expect(topic.contains("events · 2 partitions · 5 messages"), "\(TmuxSession.framed(topic))")

            // Enter on partition 0 (the cursor's row) opens its messages.
            try ui.sendKeys("Enter")
            let messages = try await ui.waitUntil("partition 0's two records are listed") { pane in
                pane.contains("partition 0 · low 0 · high 2 · showing 0–1") && pane.contains(cjk)
                    && fields("0", in: pane)?.contains("order-1") == true
            }
            #expect(lines(messages)[0].hasSuffix("Topics › events › Messages p0"), "\(TmuxSession.framed(messages))")
            let rows = lines(messages).map(trimmed)
            let header = try #require(rows.first { $0.contains("OFFSET") && $0.contains("HEADERS") })
            let jsonRow = try #require(rows.first { $0.contains("order-1") })
            let cjkRow = try #require(rows.first { $0.contains(cjk) })
            // A wide value takes two cells per character and the columns after it still line up.
            #expect(
                column(of: cjk, in: cjkRow) == column(of: "{\"id\"", in: jsonRow), "\(TmuxSession.framed(messages))")
            #expect(column(of: cjk, in: cjkRow) == column(of: "VALUE", in: header), "\(TmuxSession.framed(messages))")
            #expect(DisplayWidth.of(cjkRow) == DisplayWidth.of(header), "\(TmuxSession.framed(messages))")
            #expect(DisplayWidth.of(jsonRow) == DisplayWidth.of(header), "\(TmuxSession.framed(messages))")
            #expect(cjkRow.hasSuffix(" -") && jsonRow.hasSuffix(" -"))

            // The cursor starts on the newest record: the detail pane shows its text.
            try ui.sendKeys("Enter")
            let detail = try await ui.waitUntil("the detail pane shows offset 1") { pane in
                pane.contains("── partition 0 · offset 1 · ") && lines(pane).map(trimmed).contains(" " + cjk)
            }
            #expect(detail.contains(" value    21 B as text  1 line"), "\(TmuxSession.framed(detail))")
            #expect(
                lines(detail).map(trimmed).contains(" key      station-2  9 bytes"), "\(TmuxSession.framed(detail))")

            // One up: the JSON record, pretty-printed.
            try ui.sendKeys("Up")
            let pretty = [
                " {", #"   "id": 1,"#, #"   "item": "book","#, #"   "qty": 2,"#, #"   "tags": ["#, #"     "a","#,
                #"     "b""#, "   ]", " }",
            ]
            try await ui.waitUntil("the detail pane shows offset 0 as pretty JSON") { pane in
                let rows = lines(pane).map(trimmed)
                guard pane.contains("── partition 0 · offset 0 · "), pane.contains(" B as json  "),
                    let start = rows.firstIndex(of: " {"), start + pretty.count <= rows.count
                else { return false }
                return Array(rows[start..<start + pretty.count]) == pretty
            }
        }
    }

    /// The create-topic form: live validation of a bad name, then a 4-partition topic appears.
    @Test func createTopicThroughTheForm() async throws {
        try await withUI { broker, ui in
            try await ui.waitFor(text: "no topics yet: press c to create one", timeout: .seconds(15))
            try ui.sendLiteral("c")
            try await ui.waitFor(text: "Create a topic · Tab/Shift-Tab")
            try ui.sendLiteral("bad/name")
            let problem = "✗ '/' is not allowed; use only ASCII letters, digits, '.', '_' and '-'"
            try await ui.waitFor(text: problem)
            // Enter refuses the form and says why.
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "✗ fix the form first: '/' is not allowed")

            try ui.sendKeys("C-u")
            try ui.sendLiteral("created-by-form")
            try await ui.waitUntil("the name is valid") { pane in
                pane.contains("▸ name              created-by-form") && pane.contains("✓ valid name")
                    && !pane.contains("✗")
            }
            try ui.sendKeys("Tab")
            try await ui.waitFor(text: "▸ partitions        1")
            try ui.sendKeys("BSpace")
            try ui.sendLiteral("4")
            try await ui.waitFor(text: "▸ partitions        4")
            try ui.sendKeys("Enter")
            let pane = try await ui.waitUntil("the new topic is listed with 4 partitions") {
                fields("created-by-form", in: $0)?.prefix(3) == ["created-by-form", "4", "0"]
            }
            #expect(pane.contains("created topic 'created-by-form'"), "\(TmuxSession.framed(pane))")

            // The broker agrees.
            let described = try await broker.run(["topic", "describe", "created-by-form", "--json"])
            struct Topic: Decodable { var partitions: [Partition] }
            struct Partition: Decodable { var partition: Int32 }
            let topic = try JSONDecoder().decode(Topic.self, from: Data(described.utf8))
            #expect(topic.partitions.map(\.partition) == [0, 1, 2, 3])
        }
    }

    /// The publish form sends with Ctrl-S and F2 to the key's partition, and the Messages list shows the record.
    @Test func publishThroughTheForm() async throws {
        let key = "customer-42"
        let value = #"{"total":99.5}"#
        let partition = KafkaPartitioner.partition(forKey: Array(key.utf8), partitionCount: 2)
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "orders", "--partitions", "2"])
        }) { broker, ui in
            try await ui.waitUntil("orders is listed", timeout: .seconds(15)) {
                fields("orders", in: $0)?.prefix(3) == ["orders", "2", "0"]
            }
            try ui.sendLiteral("p")
            // The topic is filled in and the value focused.
            try await ui.waitUntil("the publish form is open on orders") { pane in
                pane.contains("Publish a message") && pane.contains("▸ value")
                    && fields("topic", in: pane) == ["topic", "orders", "2", "partitions"]
            }
            try ui.sendKeys("BTab", "BTab", "BTab")
            try await ui.waitFor(text: "▸ key")
            try ui.sendLiteral(key)
            try await ui.waitFor(text: "→ partition \(partition) of 2 (murmur2)")
            try ui.sendKeys("Tab", "Tab", "Tab")
            try await ui.waitFor(text: "▸ value")
            try ui.sendLiteral(value)
            try await ui.waitFor(text: "\(value.utf8.count) bytes")
            try ui.sendKeys("C-s")
            try await ui.waitFor(text: "✓ landed in partition \(partition) at offset 0")
            try ui.sendKeys("F2")
            try await ui.waitFor(text: "✓ landed in partition \(partition) at offset 1")

            // Back to the list, into the topic, down to the key's partition, its messages.
            try ui.sendKeys("Escape")
            try await ui.waitUntil("orders lists the two messages") {
                fields("orders", in: $0)?.prefix(3) == ["orders", "2", "2"]
            }
            try ui.sendKeys("Enter")
            try await ui.waitUntil("partition \(partition) has high watermark 2") {
                fields("\(partition)", in: $0)?.prefix(7) == ["\(partition)", "0", "0", "0", "0", "2", "2"]
            }
            for _ in 0..<partition { try ui.sendKeys("Down") }
            try ui.sendKeys("Enter")
            let pane = try await ui.waitUntil("the messages of partition \(partition) list both records") { pane in
                pane.contains("Messages p\(partition)") && fields("0", in: pane)?.contains(key) == true
                    && fields("1", in: pane)?.contains(key) == true
            }
            #expect(fields("1", in: pane)?.contains(value) == true, "\(TmuxSession.framed(pane))")

            // The broker has them where the form said.
            let consumed = try await broker.run(["consume", "orders", "--partition", "\(partition)", "--print-key"])
            #expect(consumed == "\(key)\t\(value)\n\(key)\t\(value)\n")
        }
    }

    /// Find by key (`F`) runs on the real broker: the key's partition (murmur2) opens with every
    /// record of that key, the cursor on the newest; a key nobody wrote says "not found".
    @Test func findByKeyOnTheBroker() async throws {
        try await withUI(seed: seedPrices) { _, ui in
            try await openPrices(ui)
            try ui.sendLiteral("m")
            try await ui.waitFor(text: "all 3 partitions by time")
            try ui.sendLiteral("F")
            try await ui.waitFor(text: "find key:")
            try ui.sendLiteral("AAPL")
            try ui.sendKeys("Enter")
            let heading = "search key=AAPL → partition \(aaplPartition) (murmur2 % 3)"
            let found = try await ui.waitUntil("the AAPL search is done") { pane in
                pane.contains(heading) && pane.contains("done:") && pane.contains("400 matches")
            }
            #expect(!found.contains("maxBytes"), "\(TmuxSession.framed(found))")
            // The window shows AAPL records only; the cursor (and the detail pane) on the newest.
            try ui.sendKeys("Enter")
            let detail = try await ui.waitUntil("the detail pane shows the newest AAPL record") { pane in
                pane.contains(" key      AAPL") && pane.contains(" price 1995")
            }
            let others = lines(detail).filter { $0.contains("price ") && $0.contains("MSFT") }
            #expect(others.isEmpty, "\(TmuxSession.framed(detail))")
            try ui.sendKeys("Escape")  // leaves the search: the key's partition, newest records
            try await ui.waitUntil("the search is left") { !$0.contains("search key=AAPL") }
            try ui.sendLiteral("F")
            try await ui.waitFor(text: "find key:")
            try ui.sendKeys("C-u")
            try ui.sendLiteral("nobody")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "not found: no record with this key in partition")
        }
    }

    /// Search (`s`) runs on the real broker over every partition of the topic.
    @Test func searchAllPartitionsOnTheBroker() async throws {
        try await withUI(seed: seedPrices) { _, ui in
            try await openPrices(ui)
            try ui.sendLiteral("m")
            try await ui.waitFor(text: "all 3 partitions by time")
            try ui.sendLiteral("s")
            try await ui.waitFor(text: "search:")
            try ui.sendLiteral("value:halt -i")
            try ui.sendKeys("Enter")
            let halts = try await ui.waitUntil("the HALT search is done") { pane in
                pane.contains("search value:halt -i") && pane.contains("done:") && pane.contains("5 matches")
            }
            let shown = lines(halts).filter { $0.contains("HALT") }.count
            #expect(shown == 5, "\(TmuxSession.framed(halts))")
            #expect(!halts.contains("in partition"), "\(TmuxSession.framed(halts))")
        }
    }

    /// A long value can be read and taken away, on the real broker: a 410-byte sentence wraps
    /// whole in the detail pane (before, it ended cut at the screen's edge), J scrolls a 100 KiB
    /// text value, V shows it on the whole screen down to its last word, y copies it to the
    /// clipboard (tmux's buffer, through OSC 52), w saves the record as the JSON line `skiff
    /// consume --json` prints, and P publishes it again.
    @Test func readAndTakeAwayAWholeValue() async throws {
        let sentence = (1...60).map { "word\($0)" }.joined(separator: " ")
        let big = (0..<9_000).map { "w\($0 % 1000)" }.joined(separator: " ") + " ·END"
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "docs"])
            try await broker.run(
                ["produce", "docs", "--key", "doc", "--header", "kind=essay"], stdin: big + "\n" + sentence + "\n")
        }) { broker, ui in
            try ui.command("set-option", "-g", "set-clipboard", "on")
            try await ui.waitUntil("docs is listed", timeout: .seconds(15)) { fields("docs", in: $0) != nil }
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "docs · 1 partition")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "Messages p0")
            // The sentence (the newest record), wrapped whole.
            try ui.sendKeys("Enter")
            let wrapped = try await ui.waitUntil("the sentence is wrapped to its end") { pane in
                pane.contains(" headers  kind=essay  (1)") && pane.contains("word60")
            }
            let sentenceLines = lines(wrapped).map(trimmed).filter { $0.hasPrefix(" word") }.map { $0.dropFirst() }
            #expect(sentenceLines.count == 4, "\(TmuxSession.framed(wrapped))")
            #expect(sentenceLines.joined(separator: " ") == sentence, "\(TmuxSession.framed(wrapped))")
            // The 100 KiB value: J scrolls it, V shows its end.
            try ui.sendKeys("Up")
            try await ui.waitFor(text: "── partition 0 · offset 0 · ")
            let first = try await ui.waitUntil("the big value's first lines") { $0.contains("lines 1–") }
            #expect(first.contains(" w0 w1 w2 w3"), "\(TmuxSession.framed(first))")
            try ui.sendLiteral("JJJ")
            try await ui.waitFor(text: "lines 4–")
            try ui.sendLiteral("V")
            try await ui.waitFor(text: "Messages p0 › p0 offset 0")
            try ui.sendLiteral("G")
            let end = try await ui.waitUntil("the value's last line") { pane in
                lines(pane).map(trimmed).contains { $0.hasSuffix("w999 ·END") }
            }
            #expect(end.contains(" of "), "\(TmuxSession.framed(end))")
            // Copy it: tmux keeps what OSC 52 set as its newest buffer.
            try ui.sendLiteral("y")
            try await ui.waitFor(text: "copy: v value")
            try ui.sendLiteral("v")
            try await ui.waitFor(text: "copied the value")
            var copied = ""
            for _ in 0..<100 {
                copied = (try? ui.command("show-buffer")) ?? ""
                if copied == big { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(copied == big, "the clipboard holds \(copied.utf8.count) bytes")
            // Save it.
            let file = directory + "/big.jsonl"
            try ui.sendLiteral("w")
            try await ui.waitFor(text: "save 1 record to file:")
            try ui.sendKeys("C-u")
            try ui.sendLiteral(file)
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "saved 1 record to")
            let consumed = try await broker.run(["consume", "docs", "--json", "--count", "1"])
            #expect(try String(contentsOfFile: file, encoding: .utf8) == consumed)
            // Publish it again: the same key, header and value at the next offset.
            try ui.sendLiteral("P")
            try await ui.waitFor(text: "Publish a message")
            try ui.sendKeys("C-s")
            try await ui.waitFor(text: "landed in partition 0 at offset 2", timeout: .seconds(20))
            let again = try await broker.run(["consume", "docs", "--from", "2", "--format", "%k|%h|%s\n"])
            #expect(again == "doc|kind=essay|\(big)\n")
        }
    }

    /// Follow mode on the real broker: moving up pauses the view and the summary says so with a
    /// count of what arrived (before, it kept saying "● following" while the view stood still);
    /// G goes back to the newest and follows again.
    @Test func followPausesAndResumes() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "ticks"])
            try await broker.run(["produce", "ticks"], stdin: "a\nb\nc\n")
        }) { broker, ui in
            try await ui.waitUntil("ticks is listed", timeout: .seconds(15)) { fields("ticks", in: $0) != nil }
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "ticks · 1 partition")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "Messages p0")
            try ui.sendLiteral("f")
            try await ui.waitFor(text: "● following")
            try ui.sendKeys("Up")
            try await broker.run(["produce", "ticks"], stdin: "d\ne\nf\n")
            let paused = try await ui.waitFor(text: "paused, 3 new (G or f resumes)")
            #expect(!paused.contains("● following"), "\(TmuxSession.framed(paused))")
            try ui.sendLiteral("G")
            try await ui.waitFor(text: "● following")
            try await broker.run(["produce", "ticks"], stdin: "g\n")
            try await ui.waitUntil("the new record shows") { pane in
                lines(pane).contains { $0.contains("          6  ") && $0.contains(" g ") }
            }
        }
    }

    /// A 100 KB paste into the publish form's value arrives at once (bracketed paste) and is sent
    /// whole; a paste of several lines into the one-line key field joins them; and 2,000 characters
    /// typed (not pasted) into the partition field take the UI no longer than typing ten (each key
    /// costs the same whatever the field holds; before, drawing a field was quadratic in its length).
    @Test func pasteAndLongFieldsStayResponsive() async throws {
        let value =
            (0..<20_000).map { "w\($0 % 1000)".padding(toLength: 4, withPad: "_", startingAt: 0) }
            .joined(separator: " ") + "·END"
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "orders", "--partitions", "2"])
        }) { broker, ui in
            try await ui.waitUntil("orders is listed", timeout: .seconds(15)) { fields("orders", in: $0) != nil }
            try ui.sendLiteral("p")
            try await ui.waitUntil("the publish form is open") {
                $0.contains("Publish a message") && $0.contains("▸ value")
            }
            #expect(value.utf8.count == 100_004)
            try ui.paste(value)
            let bytes = Format.count(Int64(value.utf8.count))
            let pane = try await ui.waitFor(text: "\(bytes) bytes", timeout: .seconds(20))
            #expect(pane.contains("·END"), "the cursor's end of the value is shown\n\(TmuxSession.framed(pane))")
            try ui.sendKeys("BTab", "BTab", "BTab")
            try await ui.waitFor(text: "▸ key")
            try ui.paste("two\nlines")
            try await ui.waitFor(text: "two lines")
            try ui.sendKeys("C-s")
            try await ui.waitFor(text: "landed in partition", timeout: .seconds(20))
            let sent = try await broker.run(["consume", "orders", "--print-key", "--count", "1"])
            #expect(sent == "two lines\t\(value)\n")
            // 2,000 typed characters into the partition field.
            try ui.sendKeys("Tab")
            try await ui.waitFor(text: "▸ partition")
            try ui.sendKeys("C-u")
            try ui.sendLiteral(String(repeating: "9", count: 2_000))
            try await ui.waitUntil("the 2,000 characters are in and judged", timeout: .seconds(30)) { pane in
                pane.contains("partition must be") && pane.contains("▸ partition         999999999")
            }
            try ui.sendKeys("C-u")
            try ui.sendLiteral("1")
            try await ui.waitUntil("the field takes a key at once after that", timeout: .seconds(5)) { pane in
                fields("▸", in: pane)?.prefix(3) == ["▸", "partition", "1"]
            }
        }
    }

    /// A group with committed offsets behind the high watermark shows its lag in the list and per partition.
    @Test func groupLag() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "lagged", "--partitions", "1"])
            try await broker.run(["produce", "lagged"], stdin: (1...10).map { "r\($0)\n" }.joined())
            try await broker.run(["consume", "lagged", "--group", "lag-group", "--count", "4", "--from", "earliest"])
            try await broker.run(["produce", "lagged"], stdin: (11...15).map { "r\($0)\n" }.joined())
        }) { broker, ui in
            try await ui.waitUntil("lagged is listed", timeout: .seconds(15)) { fields("lagged", in: $0) != nil }
            try ui.sendLiteral(":")
            try ui.sendLiteral("groups")
            try await ui.waitFor(text: ":groups")
            try ui.sendKeys("Enter")
            // GROUP STATE MEMBERS TOPICS LAG: committed 4, high watermark 15.
            try await ui.waitUntil("the group list shows lag 11") {
                fields("lag-group", in: $0)?.prefix(5) == ["lag-group", "Empty", "0", "lagged", "11"]
            }
            try ui.sendKeys("Enter")
            // TOPIC PARTITION COMMITTED HIGH LAG.
            let pane = try await ui.waitUntil("the group screen shows lag 11 on partition 0") {
                fields("lagged", in: $0)?.prefix(5) == ["lagged", "0", "4", "15", "11"]
            }
            #expect(
                fields("TOPIC", in: pane)?.prefix(6) == ["TOPIC", "PARTITION", "COMMITTED", "HIGH", "LAG", "TIME"],
                "\(TmuxSession.framed(pane))")
            #expect(pane.contains("total lag 11"), "\(TmuxSession.framed(pane))")

            // New records raise the lag on screen without a key press.
            try await broker.run(["produce", "lagged"], stdin: "r16\nr17\nr18\n")
            try await ui.waitUntil("the group screen shows lag 14") {
                fields("lagged", in: $0)?.prefix(5) == ["lagged", "0", "4", "18", "14"]
            }
        }
    }

    /// Resizing re-lays the screen out, says when the terminal is too small, and comes back.
    @Test func resizeMidSession() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "resized", "--partitions", "3"])
        }) { _, ui in
            try await ui.waitUntil("resized is listed", timeout: .seconds(15)) { fields("resized", in: $0) != nil }
            try ui.resize(width: 100, height: 30)
            // The title bar ends "Topics " at the right edge (tmux drops the trailing space).
            let medium = try await ui.waitUntil("the topics screen is laid out for 100×30") { pane in
                let rows = lines(pane)
                return rows.count >= 30 && rows[0].hasSuffix("Topics") && DisplayWidth.of(rows[0]) == 99
                    && rows[28].contains("Enter open") && rows[29].contains("● connected")
                    && fields("resized", in: pane)?.prefix(2) == ["resized", "3"]
            }
            let widest = lines(medium).map { DisplayWidth.of($0) }.max() ?? 0
            #expect(widest <= 100, "\(TmuxSession.framed(medium))")

            try ui.resize(width: 60, height: 20)
            let small = try await ui.waitFor(text: "terminal too small (need 80×24, have 60×20)")
            #expect(!small.contains("resized"), "\(TmuxSession.framed(small))")

            try ui.resize(width: 120, height: 40)
            try await ui.waitUntil("the topics screen is back at 120×40") { pane in
                let rows = lines(pane)
                return rows.count >= 40 && rows[0].hasSuffix("Topics") && DisplayWidth.of(rows[0]) == 119
                    && rows[38].contains("Enter open") && rows[39].contains("● connected")
                    && fields("resized", in: pane)?.prefix(2) == ["resized", "3"] && !pane.contains("too small")
            }
        }
    }

    /// A read-only token opens the UI read-only: the status line says so and creating a topic is refused.
    @Test func readOnlyTokenOpensReadOnly() async throws {
        let files = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: files) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = files + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            return path
        }
        let tokens = try write("tokens", "admin ui-admin-token\nread-only ui-reader-token\n")
        let admin = try write("admin", "ui-admin-token\n")
        let reader = try write("reader", "ui-reader-token\n")
        try await withUI(
            brokerArguments: ["--auth-token-file", tokens], uiArguments: ["--auth-token-file", reader],
            seed: { try await $0.run(["topic", "create", "events", "--auth-token-file", admin]) }
        ) { _, ui in
            try await ui.waitUntil("the topic list in read-only mode", timeout: .seconds(15)) { pane in
                pane.contains("read-only") && fields("events", in: pane) != nil
            }
            try ui.sendLiteral("c")
            try await ui.waitFor(text: "read-only: creating topics is turned off for this connection")
            try ui.sendLiteral("q")
            try await ui.waitFor(text: "skiff exited 0")
        }
    }

    /// `q` leaves the UI with the terminal's settings and screen restored, and exit status 0.
    @Test func quitRestoresTheTerminal() async throws {
        try await withUI { _, ui in
            try await ui.waitFor(text: "no topics yet: press c to create one", timeout: .seconds(15))
            try ui.sendLiteral("q")
            let pane = try await ui.waitFor(text: "skiff exited 0")
            #expect(pane.contains("terminal settings restored"), "\(TmuxSession.framed(pane))")
            #expect(!pane.contains("Skiff —") && !pane.contains("no topics yet"), "\(TmuxSession.framed(pane))")
        }
    }

    /// Under `LANG=C` (a locale that is not UTF-8) the UI draws its own symbols in ASCII, where
    /// curses would have shown each one as `?`: the only `?` left is the help key's.
    @Test func asciiSymbolsWithoutAUTF8Locale() async throws {
        try await withUI(
            uiEnvironment: ["LANG": "C", "LC_ALL": "C"],
            seed: { broker in
                try await broker.run(["topic", "create", "plain", "--partitions", "2"])
                try await broker.run(
                    ["produce", "plain", "--partition", "0", "-K:"], stdin: "k1:first value\nk2:second value\n")
                try await broker.run(["consume", "plain", "--group", "readers"])
            }
        ) { _, ui in
            func check(_ pane: String, _ what: String) {
                let nonASCII = pane.unicodeScalars.filter { !$0.isASCII }
                #expect(
                    nonASCII.isEmpty,
                    "\(what): \(String(String.UnicodeScalarView(nonASCII)))\n\(TmuxSession.framed(pane))")
                // The help key in the hint line and on the help screen is the only ? there is.
                let rest = pane.replacingOccurrences(of: "? help", with: "").replacingOccurrences(
                    of: "?                 show or close this help", with: "")
                #expect(!rest.contains("?"), "\(what): a symbol drawn as ?\n\(TmuxSession.framed(pane))")
            }
            let topics = try await ui.waitFor(text: "* connected  every 2s", timeout: .seconds(15))
            try await ui.waitUntil("plain is listed", timeout: .seconds(10)) { fields("plain", in: $0) != nil }
            check(try ui.capture(), "topics")
            #expect(topics.contains("Skiff - "), "\(TmuxSession.framed(topics))")
            try ui.sendLiteral("s")
            try await ui.waitFor(text: "sorted by partitions")
            check(try ui.capture(), "topics sorted")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "PARTITION LEADER")
            check(try ui.capture(), "topic")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "Messages p")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: " value    ")
            check(try ui.capture(), "messages with the detail pane")
            try ui.sendLiteral(":g readers")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: "total lag")
            check(try ui.capture(), "group")
            try ui.sendLiteral("?")
            try await ui.waitFor(text: "Everywhere")
            check(try ui.capture(), "help")
            try ui.sendLiteral("q")
            try await ui.waitFor(text: "skiff exited 0")
        }
    }

    /// `SKIFF_FIRST_FRAME_FILE` (for scripts/bench_system.py): once the topic list is on the screen
    /// the file holds one number, the milliseconds since the process started. No timing is checked.
    @Test func firstFrameFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/first-frame"
        try await withUI(
            uiEnvironment: ["SKIFF_FIRST_FRAME_FILE": file],
            seed: { broker in try await broker.run(["topic", "create", "listed", "--partitions", "1"]) }
        ) { _, ui in
            try await ui.waitUntil("the topic is listed", timeout: .seconds(15)) { fields("listed", in: $0) != nil }
            let deadline = ContinuousClock.now + .seconds(10)
            var text: String?
            while text == nil && ContinuousClock.now < deadline {
                text = try? String(contentsOfFile: file, encoding: .utf8)
                if text == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let written = try #require(text, "no \(file) after the topic list was shown")
            #expect(written.hasSuffix("\n"), "\(written)")
            let milliseconds = try #require(Double(written.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(milliseconds > 0, "\(written)")
            try ui.sendLiteral("q")
            try await ui.waitFor(text: "skiff exited 0")
        }
    }

    /// The broker going away shows the disconnected banner; the UI keeps working, reconnects when
    /// a broker is back on the same address and data, and quits cleanly.
    @Test func brokerLostAndBack() async throws {
        try await withUI(seed: { broker in
            try await broker.run(["topic", "create", "kept", "--partitions", "1"])
        }) { broker, ui in
            try await ui.waitUntil("kept is listed", timeout: .seconds(15)) { fields("kept", in: $0) != nil }
            let status = try await broker.stop()
            #expect(status == 0, "\(broker.child.stderr)")
            let pane = try await ui.waitUntil("the disconnected banner shows") { pane in
                pane.contains("disconnected from \(broker.address) — retrying… (attempt")
                    && lines(pane).last { !$0.isEmpty }?.contains("✕ disconnected") == true
            }
            // The last list stays on screen under the banner.
            #expect(fields("kept", in: pane) != nil, "\(TmuxSession.framed(pane))")
            // Still responsive: the help screen opens and closes.
            try ui.sendLiteral("?")
            try await ui.waitFor(text: "quit Skiff")
            try ui.sendKeys("Escape")
            try await ui.waitUntil("the topics screen is back") { fields("kept", in: $0) != nil }

            // A broker on the same port and data directory: the retries find it (backoff ≤ 8 s).
            let again = try await BrokerChild.start(dataDirectory: broker.dataDirectory, port: broker.port)
            do {
                let back = try await ui.waitUntil("the UI reconnects", timeout: .seconds(15)) { pane in
                    pane.contains("● connected") && !pane.contains("disconnected from")
                        && fields("kept", in: pane) != nil
                }
                #expect(back.contains("reconnected to \(broker.address)"), "\(TmuxSession.framed(back))")
                try ui.sendLiteral("q")
                let after = try await ui.waitFor(text: "skiff exited 0")
                #expect(after.contains("terminal settings restored"), "\(TmuxSession.framed(after))")
            } catch {
                _ = try? await again.stop()
                throw SkiffTestError("\(error)\n--- restarted broker stderr:\n\(again.child.stderr)")
            }
            let stopped = try await again.stop()
            #expect(stopped == 0, "\(again.child.stderr)")
        }
    }

    /// `skiff demo` ended by SIGTERM (with a changed form open) quits as `q` does: the terminal
    /// is restored and the demo's data directory removed. Before, the signal ended the process
    /// at once and left `/tmp/skiff-demo-…` behind.
    @Test func demoEndedBySIGTERMCleansUp() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/demo.log"
        let ui = try startSkiff(["demo"], log: log)
        var dataDirectory: String?
        defer {
            ui.kill()
            if let dataDirectory, dataDirectory.contains("/skiff-demo-") {
                try? FileManager.default.removeItem(atPath: dataDirectory)
            }
        }
        let pane = try await ui.waitUntil("the demo topics are listed", timeout: .seconds(20)) { pane in
            fields("prices", in: pane) != nil && pane.contains("● connected")
        }
        let shown = try #require(shownDataDirectory(in: pane), "\(TmuxSession.framed(pane))")
        dataDirectory = shown
        try ui.sendLiteral("p")
        try await ui.waitFor(text: "Publish a message")
        try ui.sendLiteral("half-typed")
        try await ui.waitFor(text: "half-typed")
        let pids = processes(running: try SkiffBinary.require(), withArgument: log)
        #expect(pids.count == 1, "\(pids)")
        for pid in pids { kill(pid, SIGTERM) }
        let after = try await ui.waitFor(text: "skiff exited 0", timeout: .seconds(20))
        #expect(after.contains("terminal settings restored"), "\(TmuxSession.framed(after))")
        #expect(!FileManager.default.fileExists(atPath: shown), "\(shown) is still there")
    }

    /// `skiff demo`: the demo topics and groups show, and quitting removes its temporary data directory.
    @Test func demo() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/demo.log"
        let ui = try startSkiff(["demo"], log: log)
        // The demo's own directory, once read from the screen; removed here if the test fails.
        var dataDirectory: String?
        defer {
            ui.kill()
            if let dataDirectory, dataDirectory.contains("/skiff-demo-") {
                try? FileManager.default.removeItem(atPath: dataDirectory)
            }
        }
        do {
            let pane = try await ui.waitUntil("the demo topics are listed", timeout: .seconds(20)) { pane in
                fields("streams-intro", in: pane)?.prefix(3) == ["streams-intro", "3", "5"]
                    && fields("prices", in: pane) != nil && fields("orders", in: pane) != nil
                    && pane.contains("● connected")
            }
            let shown = try #require(shownDataDirectory(in: pane), "\(TmuxSession.framed(pane))")
            dataDirectory = shown
            #expect(shown.contains("/skiff-demo-"), "\(TmuxSession.framed(pane))")
            #expect(FileManager.default.fileExists(atPath: shown + "/topics.log"))

            try ui.sendLiteral(":")
            try ui.sendLiteral("groups")
            try await ui.waitFor(text: ":groups")
            try ui.sendKeys("Enter")
            try await ui.waitUntil("the three demo groups are listed") { pane in
                ["trading-strategy.abc", "trading-strategy.xyz", "order-execution"].allSatisfy {
                    fields($0, in: pane) != nil
                }
            }
            try ui.sendLiteral("q")
            let after = try await ui.waitFor(text: "skiff exited 0", timeout: .seconds(20))
            #expect(after.contains("terminal settings restored"), "\(TmuxSession.framed(after))")
            #expect(!FileManager.default.fileExists(atPath: shown), "\(shown) is still there")
        } catch {
            let written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(none)"
            throw SkiffTestError("\(error)\n--- demo log:\n\(written)")
        }
    }
}
