import Foundation
import SkiffTestSupport
import Testing

import enum SkiffText.DisplayWidth
import enum SkiffText.Format

#if canImport(Glibc)
import Glibc
#endif

// Lists, tables and navigation of `skiff ui` (issue 10) as a person sees them: the real binary
// under tmux against a real `skiff broker` child, seeded with the CLI. Nested in the suite of
// SkiffUIEndToEndTests, so these run one at a time with it.

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

/// The broker's eleven topic configs and their defaults (LogConfig).
private let defaultConfig: [(String, String)] = [
    ("cleanup.policy", "delete"), ("flush.messages", "9223372036854775807"), ("flush.ms", "9223372036854775807"),
    ("index.interval.bytes", "4096"), ("max.message.bytes", "1048588"), ("message.timestamp.type", "CreateTime"),
    ("retention.bytes", "-1"), ("retention.ms", "604800000"), ("segment.bytes", "1073741824"),
    ("segment.index.bytes", "10485760"), ("segment.ms", "604800000"),
]

/// What a pane shows after ` key=` on the line that has it, up to two spaces; nil when no line does.
private func configValue(_ key: String, in pane: String) -> String? {
    for line in lines(pane) {
        guard let at = line.range(of: " \(key)=") else { continue }
        let rest = line[at.upperBound...]
        return trimmed(rest.range(of: "  ").map { rest[..<$0.lowerBound] } ?? rest)
    }
    return nil
}

/// The first pane line that starts with ` text`.
private func line(startingWith text: String, in pane: String) -> String? {
    lines(pane).first { $0.hasPrefix(" " + text) }
}

/// Prices in three partitions of 100 records each, and the two strategy groups of the demo:
/// trading-strategy.abc 2 records behind, trading-strategy.xyz 70.
private func seedStrategies(_ broker: BrokerChild) async throws {
    try await broker.run(["topic", "create", "prices", "--partitions", "3"])
    for partition in 0..<3 {
        let records = (1...100).map { #"{"symbol":"AAPL","price":1\#($0).25,"seq":\#($0)}"# + "\n" }.joined()
        try await broker.run(["produce", "prices", "--partition", "\(partition)"], stdin: records)
    }
    try await broker.run([
        "consume", "prices", "--group", "trading-strategy.abc", "--count", "298", "--from", "earliest",
    ])
    try await broker.run([
        "consume", "prices", "--group", "trading-strategy.xyz", "--count", "230", "--from", "earliest",
    ])
}

extension SkiffUIEndToEndTests {
    @Suite("lists, tables and navigation")
    struct Lists {
        /// At 80, 100, 140 and 250 columns the strategy groups keep their whole names, sizes keep
        /// their unit and no config value is cut (at 80 they were trading-strateg…, 3.1 … and
        /// segment.index.bytes=104…).
        @Test func tablesFitEveryWidth() async throws {
            try await withUI(seed: seedStrategies) { _, ui in
                try await ui.waitUntil("prices is listed", timeout: .seconds(15)) { fields("prices", in: $0) != nil }
                for width in [80, 100, 140, 250] {
                    try ui.resize(width: width, height: 30)
                    try await Self.checkGroups(ui, width: width)
                    try await Self.checkTopic(ui, width: width)
                }
            }
        }

        /// The group list at `width`: both strategy groups whole, nothing wider than the pane.
        static func checkGroups(_ ui: TmuxSession, width: Int) async throws {
            try ui.sendLiteral(":groups")
            try ui.sendKeys("Enter")
            let groups = try await ui.waitUntil("both strategy groups are whole at \(width) columns") { pane in
                line(startingWith: "trading-strategy.abc ", in: pane) != nil
                    && line(startingWith: "trading-strategy.xyz ", in: pane) != nil
                    && lines(pane)[0].hasSuffix("Topics › Groups")
            }
            let widest = lines(groups).map { DisplayWidth.of($0) }.max() ?? 0
            #expect(widest <= width, "\(TmuxSession.framed(groups))")
        }

        /// The prices topic at `width`: every size with its unit, every config value whole.
        static func checkTopic(_ ui: TmuxSession, width: Int) async throws {
            try ui.sendLiteral(":t prices")
            try ui.sendKeys("Enter")
            let topic = try await ui.waitUntil("the partition table at \(width) columns") { pane in
                fields("0", in: pane) != nil && fields("2", in: pane) != nil && pane.contains("PART")
            }
            let units: Set<String> = ["B", "KiB", "MiB"]
            for partition in ["0", "1", "2"] {
                // PARTITION LEADER REPLICAS ISR LOW HIGH MESSAGES SIZE …: a size is a number and its unit.
                let row = fields(partition, in: topic) ?? []
                var unit = 0
                for (i, field) in row.enumerated() where unit == 0 && units.contains(field) { unit = i }
                #expect(
                    unit > 0 && Double(row[unit - 1]) != nil,
                    "partition \(partition) at \(width): \(row)\n\(TmuxSession.framed(topic))")
            }
            for (key, value) in defaultConfig {
                var forms = [Format.configValue(value, key: key), value]
                if let meaning = Format.configMeaning(value, key: key), meaning.isExact { forms.append(meaning.text) }
                let shown = configValue(key, in: topic) ?? "nothing"
                #expect(forms.contains(shown), "\(key) at \(width) shows \(shown)\n\(TmuxSession.framed(topic))")
            }
            if width >= 100 {
                #expect(
                    configValue("segment.index.bytes", in: topic) == "10485760 (10 MiB)", "\(TmuxSession.framed(topic))"
                )
            }
        }

        /// The topic screen's consuming group can be selected and opened; from the group's
        /// partition row Enter opens that partition's messages at the committed offset.
        @Test func fromATopicToItsGroupAndOnToMessages() async throws {
            try await withUI(seed: { broker in
                try await broker.run(["topic", "create", "lagged", "--partitions", "1"])
                try await broker.run(["produce", "lagged"], stdin: (1...10).map { "r\($0)\n" }.joined())
                try await broker.run([
                    "consume", "lagged", "--group", "lag-group", "--count", "4", "--from", "earliest",
                ])
            }) { _, ui in
                try await ui.waitUntil("lagged is listed", timeout: .seconds(15)) { fields("lagged", in: $0) != nil }
                try ui.sendKeys("Enter")
                try await ui.waitUntil("the topic screen lists lag-group") { pane in
                    fields("lag-group", in: pane)?.prefix(3) == ["lag-group", "Empty", "6"]
                }
                // Past the only partition: the group.
                try ui.sendKeys("Down", "Enter")
                let group = try await ui.waitUntil("the group screen of lag-group") { pane in
                    lines(pane)[0].hasSuffix("Topics › lagged › lag-group")
                        && fields("lagged", in: pane)?.prefix(5) == ["lagged", "0", "4", "10", "6"]
                }
                #expect(group.contains("total lag 6"), "\(TmuxSession.framed(group))")
                try ui.sendKeys("Enter")
                let messages = try await ui.waitUntil("partition 0's messages from the committed offset") { pane in
                    lines(pane)[0].hasSuffix("Topics › lagged › lag-group › lagged › Messages p0")
                        && fields("4", in: pane)?.contains("r5") == true
                }
                #expect(fields("3", in: messages) == nil, "\(TmuxSession.framed(messages))")
                // Back to the group, back to the topic: the group is still the selected row.
                try ui.sendKeys("Escape", "Escape")
                try await ui.waitUntil("the topic screen again") { lines($0)[0].hasSuffix("Topics › lagged") }
                try ui.sendKeys("Enter")
                try await ui.waitUntil("the group screen again") {
                    lines($0)[0].hasSuffix("Topics › lagged › lag-group")
                }
                // Tab switches between the partitions and the groups.
                try ui.sendKeys("Escape")
                try await ui.waitUntil("the topic screen again") { lines($0)[0].hasSuffix("Topics › lagged") }
                try ui.sendKeys("Tab", "Enter")
                try await ui.waitUntil("the newest messages of partition 0") { pane in
                    lines(pane)[0].hasSuffix("Topics › lagged › Messages p0") && fields("9", in: pane) != nil
                }
                try ui.sendKeys("Escape")
                try await ui.waitUntil("the topic screen again") { lines($0)[0].hasSuffix("Topics › lagged") }
                try ui.sendKeys("Tab", "Enter")
                try await ui.waitUntil("the group screen by Tab") {
                    lines($0)[0].hasSuffix("Topics › lagged › lag-group")
                }
            }
        }

        /// A message flashed on one screen is gone on the next (Esc, or a jump): it stayed 15 s.
        @Test func flashMessagesGoWithTheirScreen() async throws {
            let error = "copy cancelled"
            try await withUI(seed: { broker in
                try await broker.run(["topic", "create", "events", "--partitions", "2"])
                try await broker.run(["produce", "events", "--partition", "0"], stdin: "a\nb\n")
            }) { _, ui in
                try await ui.waitUntil("events is listed", timeout: .seconds(15)) { fields("events", in: $0) != nil }
                try ui.sendKeys("Enter")
                try await ui.waitFor(text: "PARTITION LEADER")
                try ui.sendLiteral("m")
                try await ui.waitFor(text: "Messages (all partitions)")
                try await ui.waitUntil("both records are listed") { fields("1", in: $0) != nil }
                try ui.sendLiteral("y")
                try ui.sendLiteral("x")
                try await ui.waitFor(text: error)
                try ui.sendKeys("Escape")
                try await ui.waitUntil("the topic screen without the error") { pane in
                    lines(pane)[0].hasSuffix("Topics › events") && !pane.contains(error)
                }
                for _ in 0..<10 {
                    try await Task.sleep(for: .milliseconds(100))
                    let pane = try ui.capture()
                    #expect(!pane.contains(error), "\(TmuxSession.framed(pane))")
                }
                try ui.sendLiteral("m")
                try await ui.waitFor(text: "Messages (all partitions)")
                try await ui.waitUntil("both records are listed") { fields("1", in: $0) != nil }
                try ui.sendLiteral("y")
                try ui.sendLiteral("x")
                try await ui.waitFor(text: error)
                try ui.sendLiteral(":groups")
                try ui.sendKeys("Enter")
                try await ui.waitUntil("the groups screen without the error") { pane in
                    lines(pane)[0].hasSuffix("Topics › Groups") && !pane.contains(error)
                }
            }
        }

        /// `:t nope` and `:g nope` stay in the prompt with the error; a topic created since the
        /// list was loaded is found.
        @Test func jumpsCheckTheNameFirst() async throws {
            try await withUI(seed: { broker in
                try await broker.run(["topic", "create", "known", "--partitions", "1"])
            }) { broker, ui in
                try await ui.waitUntil("known is listed", timeout: .seconds(15)) { fields("known", in: $0) != nil }
                try ui.sendLiteral(":t nope")
                try ui.sendKeys("Enter")
                let topic = try await ui.waitFor(text: "no topic 'nope'")
                #expect(lines(topic)[0].hasSuffix("Topics"), "\(TmuxSession.framed(topic))")
                #expect(lines(topic).contains { $0.hasPrefix(":t nope") }, "\(TmuxSession.framed(topic))")
                try ui.sendKeys("Escape")
                try ui.sendLiteral(":g nope")
                try ui.sendKeys("Enter")
                let group = try await ui.waitFor(text: "no consumer group 'nope'")
                #expect(lines(group)[0].hasSuffix("Topics"), "\(TmuxSession.framed(group))")
                try ui.sendKeys("Escape")
                try await broker.run(["topic", "create", "fresh", "--partitions", "2"])
                try ui.sendLiteral(":t fresh")
                try ui.sendKeys("Enter")
                try await ui.waitUntil("the new topic's screen") { pane in
                    lines(pane)[0].hasSuffix("Topics › fresh") && pane.contains("fresh · 2 partitions")
                }
            }
        }

        /// With the broker gone, the banner on the group screen (two feeds: its description and
        /// its live lag) counts one attempt per round of retries, and says everything at 140 columns.
        @Test func reconnectBannerCountsRounds() async throws {
            try await withUI(seed: seedStrategies) { broker, ui in
                try await ui.waitUntil("prices is listed", timeout: .seconds(15)) { fields("prices", in: $0) != nil }
                try ui.resize(width: 140, height: 30)
                try ui.sendLiteral(":g trading-strategy.abc")
                try ui.sendKeys("Enter")
                try await ui.waitFor(text: "· live")
                let status = try await broker.stop()
                #expect(status == 0, "\(broker.child.stderr)")
                // Watch the banner through the first rounds (0.5 s, 1 s, 2 s, 4 s apart).
                var attempts: [Int] = []
                var banners: [String] = []
                let deadline = ContinuousClock.now + .seconds(9)
                while ContinuousClock.now < deadline {
                    let pane = try ui.capture()
                    if let banner = lines(pane).first(where: { $0.contains("disconnected from") }) {
                        banners.append(trimmed(banner))
                        if let range = banner.range(of: "attempt "),
                            let n = Int(banner[range.upperBound...].prefix { $0.isNumber })
                        {
                            if attempts.last != n { attempts.append(n) }
                        }
                    }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(attempts.count >= 3, "\(attempts)")
                #expect(attempts.first.map { $0 <= 2 } == true, "\(attempts)")
                #expect(zip(attempts, attempts.dropFirst()).allSatisfy { $1 == $0 + 1 }, "attempts seen: \(attempts)")
                let last = banners.last ?? ""
                #expect(
                    last.hasPrefix(" disconnected from \(broker.address) — retrying… (attempt ")
                        && last.contains("): ") && !last.hasSuffix("…") && DisplayWidth.of(last) < 140,
                    "\(last)")
            }
        }

        /// A long list: counts with separators and singular for one, the position of the cursor,
        /// S to reverse the sort, / that edits the filter and Esc that clears it.
        @Test func longListCountsSortPositionAndFilter() async throws {
            try await withUI(seed: { broker in
                try await broker.run(["bench", "topics", "--count", "2000", "--prefix", "bulk"])
                try await broker.run(["topic", "create", "solo", "--partitions", "1"])
            }) { broker, ui in try await Self.browseLongList(broker, ui) }
        }

        static func browseLongList(_ broker: BrokerChild, _ ui: TmuxSession) async throws {
            try await ui.waitUntil("2,001 topics", timeout: .seconds(20)) { $0.contains(" 2,001 topics · ") }
            let top = try await ui.waitUntil("the position on the header") {
                trimmed(lines($0)[2]).hasSuffix(" 1/2,001")
            }
            #expect(lines(top)[2].hasPrefix(" NAME ▲"), "\(TmuxSession.framed(top))")
            try ui.sendKeys("Down", "Down")
            try await ui.waitUntil("row 3 of 2,001") { trimmed(lines($0)[2]).hasSuffix(" 3/2,001") }
            try ui.sendLiteral("G")
            try await ui.waitUntil("the last row") { pane in
                trimmed(lines(pane)[2]).hasSuffix(" 2,001/2,001") && fields("solo", in: pane) != nil
            }
            // Reversed: Z to A, solo first.
            try ui.sendLiteral("S")
            let reversed = try await ui.waitUntil("the list reversed") { pane in
                lines(pane)[2].hasPrefix(" NAME ▼") && pane.contains("sorted by name, reversed")
            }
            #expect(
                lines(reversed).first { $0.hasPrefix(" solo ") || $0.hasPrefix(" bulk-") }?.hasPrefix(" solo ")
                    == true, "\(TmuxSession.framed(reversed))")
            // The filter: one topic, then / edits it, Esc on the list clears it.
            try ui.sendLiteral("/sol")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: " 1 topic matching \"sol\"")
            try ui.sendLiteral("/")
            try await ui.waitUntil("the prompt holds the filter") { lines($0).contains { $0.hasPrefix("/sol") } }
            try ui.sendLiteral("o")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: " 1 topic matching \"solo\"")
            try ui.sendKeys("Escape")
            try await ui.waitUntil("the filter cleared") { pane in
                pane.contains(" 2,001 topics · ") && pane.contains("filter cleared")
                    && lines(pane)[0].hasSuffix("Topics")
            }
            // The broker screen: counts with separators, and one consumer group member.
            let member = try SkiffChild(
                ["consume", "solo", "--group", "one-member", "--follow", "--broker", broker.address])
            let pid = member.process.processIdentifier
            defer { kill(pid, SIGTERM) }
            try ui.sendLiteral(":broker")
            try ui.sendKeys("Enter")
            let counts = try await ui.waitUntil("the broker's topic count") { pane in
                fields("topics", in: pane).map { $0.count == 4 && $0[1].hasPrefix("2,00") } == true
            }
            // TOPICS (PARTITIONS partitions), the internal offsets topic counted too.
            let topics = fields("topics", in: counts) ?? []
            #expect(
                ["2,001", "2,002"].contains(topics[1]) && topics[2].hasPrefix("(2,0") && topics[3] == "partitions)",
                "\(TmuxSession.framed(counts))")
            try ui.sendLiteral(":g one-member")
            try ui.sendKeys("Enter")
            try await ui.waitFor(text: " · 1 member · ", timeout: .seconds(15))
        }

        /// The group list's trends share one scale, shown in the header: 2 behind stays low
        /// beside 70 behind. The topic screen shows config values with their meaning.
        @Test func trendsOnOneScaleAndConfigMeanings() async throws {
            try await withUI(seed: seedStrategies) { _, ui in
                try await ui.waitUntil("prices is listed", timeout: .seconds(15)) { fields("prices", in: $0) != nil }
                try ui.sendLiteral(":groups")
                try ui.sendKeys("Enter")
                // GROUP STATE MEMBERS TOPICS LAG TREND: the larger lag is the scale, its bar the
                // tallest; 2 behind is the lowest bar that is not zero.
                let pane = try await ui.waitUntil("the trends on one scale") { pane in
                    pane.contains("TREND max ") && fields("trading-strategy.xyz", in: pane)?.count == 6
                        && fields("trading-strategy.abc", in: pane)?.count == 6
                }
                let abc = fields("trading-strategy.abc", in: pane) ?? []
                let xyz = fields("trading-strategy.xyz", in: pane) ?? []
                #expect(abc[4] == "2" && xyz[4] == "70", "\(TmuxSession.framed(pane))")
                #expect(pane.contains("TREND max 70"), "\(TmuxSession.framed(pane))")
                #expect(abc[5].last == "▂" && xyz[5].last == "█", "\(TmuxSession.framed(pane))")
                try ui.sendLiteral(":t prices")
                try ui.sendKeys("Enter")
                let topic = try await ui.waitFor(text: "retention.ms=604800000 (7d)")
                #expect(topic.contains("segment.bytes=1073741824 (1 GiB)"), "\(TmuxSession.framed(topic))")
                #expect(topic.contains("retention.bytes=-1 (unlimited)"), "\(TmuxSession.framed(topic))")
            }
        }
    }
}
