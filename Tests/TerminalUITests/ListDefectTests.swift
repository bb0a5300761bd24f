import AdminClient
import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// The real broker's eleven topic configs with their defaults, as DescribeTopic sends them.
let brokerDefaultConfig: [ConfigEntry] = [
    ("cleanup.policy", "delete"), ("flush.messages", "9223372036854775807"), ("flush.ms", "9223372036854775807"),
    ("index.interval.bytes", "4096"), ("max.message.bytes", "1048588"), ("message.timestamp.type", "CreateTime"),
    ("retention.bytes", "-1"), ("retention.ms", "604800000"), ("segment.bytes", "1073741824"),
    ("segment.index.bytes", "10485760"), ("segment.ms", "604800000"),
].map { ConfigEntry(key: $0.0, value: $0.1, isDefault: true) }

/// The demo broker plus a topic with the broker's full config, for the layout tests.
func layoutBroker() -> FakeAdminService {
    let fake = demoBroker()
    fake.addTopic("orders", partitions: [syntheticPartition(count: 800, tag: "o")], config: brokerDefaultConfig)
    return fake
}

/// The widths the layout must work at.
let layoutWidths = [80, 100, 140, 250]

/// Defects of the lists, tables and navigation (issue 10), each shown by a test that failed
/// before its fix.
struct ListDefectTests {
    func driver(width: Int, height: Int = 30, fake: FakeAdminService = layoutBroker()) async -> Driver {
        let d = Driver(fake: fake, size: TerminalSize(width: width, height: height))
        await d.start()
        return d
    }

    /// At every width the two strategy groups keep their whole names while STATE has room.
    @Test(arguments: layoutWidths)
    func groupNamesAreWholeWhereThereIsRoom(_ width: Int) async {
        let d = await driver(width: width)
        await d.command("groups")
        let text = d.screenText
        #expect(text.contains(" trading-strategy.abc "), "\(text)")
        #expect(text.contains(" trading-strategy.xyz "), "\(text)")
    }

    /// A size never loses its unit: the partition table shrinks another column (or drops one).
    @Test(arguments: layoutWidths)
    func sizesKeepTheirUnit(_ width: Int) async {
        let d = await driver(width: width)
        await d.command("t prices")
        #expect(d.screenText.contains("117.2 KiB") && d.screenText.contains("78.1 KiB"), "\(d.screenText)")
    }

    /// Every config entry shows its whole value, or its whole meaning: never a number cut short.
    @Test(arguments: layoutWidths)
    func configValuesAreNeverCut(_ width: Int) async {
        let d = await driver(width: width)
        await d.command("t orders")
        let text = d.screenText
        for entry in brokerDefaultConfig {
            var forms = [Format.configValue(entry.value, key: entry.key), entry.value]
            if let meaning = Format.configMeaning(entry.value, key: entry.key), meaning.isExact {
                forms.append(meaning.text)
            }
            let shown = text.split(separator: "\n").compactMap { line -> String? in
                let l = String(line)
                guard let key = l.firstRange(of: " \(entry.key)=") else { return nil }
                let rest = l[key.upperBound...]
                var value = rest.firstRange(of: "  ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
                while value.last == " " { value.removeLast() }
                return value
            }
            #expect(shown.count == 1 && forms.contains(shown[0]), "\(entry.key): \(shown)\n\(text)")
            #expect(!(shown.first ?? "").contains("…"), "\(entry.key)\n\(text)")
        }
        if width >= 100 {
            // With room, every value has its meaning beside it.
            #expect(text.contains("retention.ms=604800000 (7d)"), "\(text)")
            #expect(text.contains("segment.index.bytes=10485760 (10 MiB)"), "\(text)")
        }
    }

    /// At 250 columns nothing on the lists is cut at all.
    @Test func nothingIsCutAtTwoHundredFifty() async {
        let d = await driver(width: 250)
        #expect(!d.screenText.contains("…"), "\(d.screenText)")
        await d.command("groups")
        #expect(!d.screenText.contains("…"), "\(d.screenText)")
        await d.command("t prices")
        #expect(!d.screenText.contains("…"), "\(d.screenText)")
        await d.command("g trading-strategy.abc")
        #expect(!d.screenText.contains("…"), "\(d.screenText)")
    }

    /// The topic screen's consuming groups can be selected, and Enter opens the selected group.
    @Test func consumingGroupsAreSelectable() async {
        let d = await driver(width: 100)
        await d.command("t prices")
        await d.press(.down, .down)
        let buffer = render(d.state)
        let row = d.screen.firstIndex { $0.hasPrefix(" trading-strategy.abc") } ?? -1
        #expect(row > 0 && buffer[1, row].role == .selection, "\(d.screenText)")
        await d.press(.down, .enter)
        #expect(d.state.stack == [.topics, .topic("prices"), .group("trading-strategy.xyz")])
        #expect(d.state.group?.description?.totalLag == 600)
    }

    /// A message raised on a screen goes when the screen does: a cancelled copy on all
    /// partitions, then Esc.
    @Test func flashMessagesBelongToTheirScreen() async {
        let d = await driver(width: 100)
        await d.command("t prices")
        await d.press(.character("m"), .character("y"), .character("x"))
        #expect(d.state.message?.text == "copy cancelled")
        await d.press(.escape)
        #expect(d.state.route == .topic("prices"))
        #expect(d.state.message == nil, "\(d.screen[29])")
        #expect(!d.screen[29].contains("copy cancelled"))
        // Nor does it follow a jump.
        await d.press(.character("m"), .character("y"), .character("x"))
        await d.command("groups")
        #expect(d.state.message == nil, "\(d.screen[29])")
        // A message raised by the step that changes the screen is for the new screen.
        await d.press(.escape)
        await d.press(.character("c"))
        await d.type("fresh")
        await d.press(.enter)
        #expect(d.state.route == .topics)
        #expect(d.state.message?.text == "created topic 'fresh'")
    }

    /// `:t NAME` and `:g NAME` check the name first and keep the prompt open with the error.
    @Test func jumpsToUnknownNamesStayInThePrompt() async {
        let d = await driver(width: 100)
        await d.command("t nope")
        #expect(d.state.stack == [.topics])
        #expect(d.state.prompt?.field.text == "t nope")
        #expect(d.state.prompt?.error == "no topic 'nope'")
        #expect(d.screen[28].contains("no topic 'nope'"), "\(d.screen[28])")
        await d.press(.escape)
        await d.command("g nope")
        #expect(d.state.stack == [.topics])
        #expect(d.state.prompt?.error == "no consumer group 'nope'")
        await d.press(.escape)
        // A topic created since the list was loaded is found by loading the list again.
        d.fake.addTopic("brand-new", records: [[]])
        await d.command("t brand-new")
        #expect(d.state.prompt == nil)
        #expect(d.state.stack == [.topics, .topic("brand-new")])
        await d.command("g trading-strategy.abc")
        #expect(d.state.stack == [.topics, .groups, .group("trading-strategy.abc")])
    }

    /// The banner counts retry rounds: the group screen has two feeds (describe and the live
    /// lag), and each round must add one, not two.
    @Test func reconnectAttemptsCountRounds() async {
        let d = await driver(width: 100)
        await d.command("g trading-strategy.abc")
        d.fake.unreachable = true
        d.fake.dropConnections()
        await d.press(.character("r"))
        #expect(await d.waitForPushes { $0.group?.lagSubscription == nil })
        guard case .disconnected(_, let first, _) = d.state.connection else {
            Issue.record("not disconnected: \(d.state.connection)")
            return
        }
        #expect(first == 1)
        var attempts = [first]
        for _ in 0..<3 {
            await d.tick(by: 8_000)
            _ = await d.waitForPushes { $0.group?.lagSubscription == nil }
            if case .disconnected(_, let n, _) = d.state.connection { attempts.append(n) }
        }
        #expect(attempts == [1, 2, 3, 4])
        #expect(d.screen[1].contains("attempt 4"), "\(d.screen[1])")
    }

    /// The banner says everything at any width from 80 up (140 used to cut it).
    @Test(arguments: [80, 100, 120, 140, 250])
    func reconnectBannerFits(_ width: Int) async {
        let d = await driver(width: width)
        d.fake.unreachable = true
        await d.press(.character("r"))
        let banner = d.screen[1]
        #expect(!banner.contains("…)") && !banner.hasSuffix("…"), "\(banner)")
        #expect(banner.contains("attempt 1") && banner.contains("next in 1s"), "\(banner)")
        #expect(banner.contains("connection refused"), "\(banner)")
        #expect(DisplayWidth.of(banner) <= width)
    }

    /// Down to 60 columns the banner keeps the attempt, the wait and the reason (the address is
    /// in the title bar).
    @Test func reconnectBannerFitsSixtyColumns() {
        var state = AppState(context: testContext, size: TerminalSize(width: 60, height: 24), nowMs: fixedNow)
        state.connection = .disconnected(reason: "connection refused", attempt: 12, retryAtMs: fixedNow + 8_000)
        var buffer = ScreenBuffer(size: TerminalSize(width: 60, height: 3))
        Chrome.banner(state, into: &buffer)
        #expect(
            buffer.line(1).hasPrefix(" disconnected — attempt 12, next in 8s: connection refused"), "\(buffer.line(1))")
    }

    /// One of a thing is singular, and counts have thousands separators.
    @Test func pluralsAndSeparators() async {
        let fake = layoutBroker()
        for i in 0..<2_000 { fake.addTopic("bulk-\(i)", records: [[]]) }
        let d = await driver(width: 100, fake: fake)
        await d.press(.character("/"))
        await d.type("INTRO")
        await d.press(.enter)
        #expect(d.screen[1].hasPrefix(" 1 topic matching \"INTRO\""), "\(d.screen[1])")
        await d.command("groups")
        await d.press(.character("/"))
        await d.type("abc")
        await d.press(.enter)
        #expect(d.screen[1].hasPrefix(" 1 consumer group matching \"abc\""), "\(d.screen[1])")
        fake.setGroup(
            "solo",
            FakeAdminService.Group(
                state: "Stable",
                members: [
                    GroupMemberInfo(
                        memberId: "solo-1", clientId: "c", clientHost: "h", sessionTimeoutMs: 10_000,
                        subscribedTopics: ["prices"], assignment: [TopicPartitionRef(topic: "prices", partition: 0)],
                        lastHeartbeatMs: fixedNow)
                ], offsets: [TopicPartitionRef(topic: "prices", partition: 0): 1_199]))
        await d.command("g solo")
        #expect(d.screen[1].contains(" 1 member "), "\(d.screen[1])")
        await d.command("broker")
        #expect(d.screenText.contains("  topics            2,005 (2,008 partitions)"), "\(d.screenText)")
        await d.command("t prices")
        #expect(d.screen[1].contains("2,000 messages"), "\(d.screen[1])")
    }
}
