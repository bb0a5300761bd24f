import AdminClient
import AdminProtocol
import Testing

@testable import TerminalUI

struct FormsAndGroupsTests {
    /// The create-topic form checks Kafka's rules as you type, refuses to submit until they hold,
    /// shows the broker's own error under the form (here: the name was taken meanwhile), and
    /// selects the new topic once created.
    @Test func createTopicValidation() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.character("c"))
        #expect(d.state.route == .createTopic)
        await d.type("new topic")
        #expect(
            d.screen[4]
                == "                    ✗ space is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        await d.press(.control("u"))
        await d.type("prices")
        #expect(d.screen[4] == "                    ✗ a topic named 'prices' already exists")
        await d.press(.control("u"))
        await d.type("..")
        #expect(d.screen[4] == "                    ✗ '.' and '..' are not allowed as topic names")
        await d.press(.enter)
        #expect(d.state.createTopicForm?.error == "fix the form first: '.' and '..' are not allowed as topic names")
        #expect(!d.effects.contains { if case .createTopic = $0 { true } else { false } })
        await d.press(.control("u"))
        await d.type("orders")
        #expect(d.screen[4] == "                    ✓ valid name")
        await d.press(.tab, .backspace)
        await d.type("0")
        #expect(d.screen[7] == "                    ✗ partitions must be a number from 1 to 10,000")
        await d.press(.backspace)
        await d.type("3")
        await d.press(.tab)
        await d.type("-5")
        #expect(
            d.screen[10] == "                    ✗ retention.ms must be -1 (keep forever) or 0 or more milliseconds")
        await d.press(.control("u"))
        await d.type("604800000")
        #expect(d.screen[10] == "                    ✓ = 7d")
        d.fake.addTopic("orders", records: [[]])  // another client creates it first
        await d.press(.enter)
        #expect(
            d.effects.contains(
                .createTopic(
                    name: "orders", partitions: 3, config: ["cleanup.policy": "delete", "retention.ms": "604800000"]))
        )
        #expect(d.state.route == .createTopic)
        #expect(d.screen[18] == "  ✗ topic 'orders' already exists")
        _ = try? await d.fake.deleteTopic("orders")
        await d.press(.enter)
        #expect(d.state.route == .topics)
        #expect(d.state.topics.selected?.name == "orders")
        #expect(d.state.message?.text == "created topic 'orders'")
    }

    /// Publishing shows the key's partition before sending and where the message landed after.
    @Test func publishShowsWhereItLanded() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down, .down, .character("p"))
        #expect(d.state.publishForm?.topic.text == "streams-intro")
        #expect(d.screen[28] == " Tab next  Ctrl-S send (or F2; Enter adds a line)  Ctrl-N null value  Esc cancel")
        await d.press(.backTab, .backTab, .backTab)
        await d.type("foo")
        #expect(d.screen[4].hasSuffix("→ partition 2 of 3 (murmur2)"))
        await d.press(.tab, .tab)
        await d.type("source=test")
        await d.press(.enter)
        await d.type("bad line")
        await d.press(.tab)
        await d.type("hello")
        await d.press(.enter)
        await d.type("world")
        await d.press(.control("s"))
        #expect(d.state.publishForm?.error == "header line 2 must look like key=value")
        await d.press(
            .backTab, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        await d.press(.tab, .function(2))
        #expect(d.state.publishForm?.result == "landed in partition 2 at offset 2")
        #expect(d.screen[26] == "  ✓ landed in partition 2 at offset 2")
        let stored = try? await d.fake.fetch(
            topic: "streams-intro", partition: 2, from: .offset(2), maxRecords: 1, maxBytes: 1)
        #expect(stored?.records.first?.value == Array("hello\nworld".utf8))
        #expect(stored?.records.first?.headers == [HeaderData(key: "source", value: Array("test".utf8))])
        await d.press(.control("s"))
        #expect(d.state.publishForm?.result == "landed in partition 2 at offset 3")
    }

    /// Reset offsets: the dry run previews old → new without writing, y writes it, u puts the old offsets back.
    @Test func resetPreviewConfirmUndo() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.xyz")
        await d.press(.character("R"), .left)
        #expect(d.state.group?.reset?.choice == .shift)
        await d.type("-100")
        await d.press(.enter)
        guard case .preview(.shift(-100), .allTopics, let plan)? = d.state.group?.reset?.phase else {
            Issue.record("no preview: \(String(describing: d.state.group?.reset))")
            return
        }
        #expect(plan.map(\.newOffset) == [800, 400])
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 0) == 900)
        #expect(
            d.screen[6]
                == " prices                                                0           900  →           800        -100"
        )
        await d.press(.character("y"))
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 0) == 800)
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 1) == 400)
        #expect(d.state.group?.reset == nil)
        #expect(d.state.message?.text == "reset 2 partition offset(s); press u to undo")
        #expect(d.state.group?.partitions.map(\.committedOffset) == [800, 400])
        await d.press(.character("u"))
        #expect(d.effects.last == .describeGroup("trading-strategy.xyz"))
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 0) == 900)
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 1) == 500)
        #expect(d.state.group?.undo == nil)
        #expect(d.state.group?.partitions.map(\.committedOffset) == [900, 500])
        #expect(d.state.message?.text == "restored the previous offsets of 2 partition(s)")
    }

    /// Each reset target reaches the broker as typed; bad values are refused before any request.
    @Test func resetTargets() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.xyz")
        await d.press(.character("R"), .enter)
        #expect(
            d.effects.last
                == .resetOffsets(groupId: "trading-strategy.xyz", scope: .allTopics, target: .earliest, dryRun: true))
        await d.press(.escape, .right, .enter)
        #expect(
            d.effects.last
                == .resetOffsets(groupId: "trading-strategy.xyz", scope: .allTopics, target: .latest, dryRun: true))
        await d.press(.escape, .right)
        await d.type("1000")
        await d.press(.enter)
        #expect(
            d.effects.last
                == .resetOffsets(
                    groupId: "trading-strategy.xyz", scope: .allTopics, target: .offset(1_000), dryRun: true))
        await d.press(.escape, .right)
        await d.type("soon")
        await d.press(.enter)
        #expect(d.state.group?.reset?.error?.hasPrefix("not a time") == true)
        await d.press(.control("u"))
        await d.type("2024-05-01 11:59:59")
        #expect(d.screen[6].hasSuffix("= 2024-05-01 11:59:59.000"))  // what the typed time means
        await d.press(.enter)
        #expect(
            d.effects.last
                == .resetOffsets(
                    groupId: "trading-strategy.xyz", scope: .allTopics, target: .timestamp(fixedNow - 1_000),
                    dryRun: true))
        await d.press(.escape, .escape)
        #expect(d.state.group?.reset == nil)
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 0) == 900)
    }

    /// A group with active members: the broker's refusal is shown in its own words, nothing changes.
    @Test func resetRefusedWhileMembersAreActive() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.abc")
        await d.press(.character("R"))
        #expect(d.screen[9] == "  the group has 2 active member(s); the broker refuses resets until they leave")
        await d.press(.enter)
        let refusal = "consumer group 'trading-strategy.abc' has active members; stop its consumers first"
        #expect(d.state.group?.reset?.error == refusal)
        #expect(d.state.group?.reset?.phase == .choosing)
        #expect(d.screen.contains("  ✗ " + refusal))
        #expect(d.fake.committed("trading-strategy.abc", "prices", 0) == 1_190)
    }

    /// Live lag snapshots update the group screen between refreshes and feed its sparkline.
    @Test func liveLagSnapshots() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.xyz")
        #expect(await d.waitForPushes { $0.group?.lagHistory.count == 2 })
        d.fake.setGroup(
            "trading-strategy.xyz",
            FakeAdminService.Group(
                state: "Empty",
                offsets: [
                    TopicPartitionRef(topic: "prices", partition: 0): 1_200,
                    TopicPartitionRef(topic: "prices", partition: 1): 800,
                ]))
        d.fake.pushLagSnapshot("trading-strategy.xyz")
        #expect(await d.waitForPushes { $0.group?.description?.totalLag == 0 })
        #expect(d.state.group?.lagHistory == [600, 600, 0])
        #expect(d.screen[1].contains("total lag 0 ██▁ · live"))
    }

    /// The group list keeps each group's total lag per refresh and draws its trend.
    @Test func groupLagTrend() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("groups")
        for committed: Int64 in [500, 700, 800] {
            d.fake.setGroup(
                "trading-strategy.xyz",
                FakeAdminService.Group(
                    state: "Empty",
                    offsets: [
                        TopicPartitionRef(topic: "prices", partition: 0): 900,
                        TopicPartitionRef(topic: "prices", partition: 1): committed,
                    ]))
            await d.press(.character("r"))
        }
        #expect(d.state.groups.lagHistory["trading-strategy.xyz"] == [600, 600, 400, 300])
        #expect(d.screen[4].hasSuffix("300  ██▆▅"))  // on one scale from 0 to 600
    }
}

struct ConnectionTests {
    /// Losing the broker shows the red banner, retries with growing backoff, keeps the last data,
    /// and recovers by itself.
    @Test func disconnectedBannerAndRecovery() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        d.fake.unreachable = true
        await d.press(.character("r"))
        #expect(d.state.connection.isDisconnected)
        let banner = d.screen[1]
        #expect(
            banner == " disconnected from 127.0.0.1:9292 — retrying… (attempt 1, next in 1s): connection refused")
        #expect(render(d.state)[1, 1].role == .error)
        #expect(d.screen[29].hasPrefix(" ✕ disconnected"))
        #expect(d.screen[5].hasPrefix(" prices"))  // the last list stays visible under the banner
        d.clearEffects()
        await d.tick(by: 400)
        #expect(d.effects.isEmpty)
        await d.tick(by: 200)
        #expect(d.effects == [.loadTopics])
        guard case .disconnected(_, 2, let retryAt) = d.state.connection else {
            Issue.record("expected a second attempt, got \(d.state.connection)")
            return
        }
        #expect(retryAt == d.state.nowMs + 1_000)
        d.clearEffects()
        await d.tick(by: 999)
        #expect(d.effects.isEmpty)
        d.fake.unreachable = false
        await d.tick(by: 1)
        #expect(d.state.connection == .connected)
        #expect(d.state.message?.text == "reconnected to 127.0.0.1:9292")
        #expect(d.screen[1] == " 3 topics · sorted by name · internal topics hidden")
        #expect(d.screen[29].hasPrefix(" ● connected"))
    }

    /// The backoff doubles from 0.5 s to at most 8 s.
    @Test func backoffGrows() {
        #expect((1...7).map(AppState.backoffMs) == [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
    }

    /// A broker error that is not a connection problem is shown in the broker's words, without a banner.
    @Test func brokerErrorsInPlainWords() async {
        let fake = demoBroker()
        fake.addTopic("missing", records: [[]])
        let d = Driver(fake: fake)
        await d.start()
        // Listed when the list was loaded, deleted since.
        _ = fake.store.withLock { $0.topics.removeValue(forKey: "missing") }
        await d.command("t missing")
        #expect(!d.state.connection.isDisconnected)
        #expect(
            d.state.message
                == StatusMessage(text: "topic 'missing' does not exist", isError: true, expiresAtMs: fixedNow + 15_000))
        #expect(d.screen[1] == " cannot describe 'missing': topic 'missing' does not exist")
        #expect(d.screen[29].hasSuffix("│ topic 'missing' does not exist"))
    }

    /// In a read-only context every write command is refused with a message and sends nothing.
    @Test func readOnlyRefusesWrites() async {
        var context = testContext
        context.readOnly = true
        let d = Driver(fake: demoBroker(), context: context)
        await d.start()
        for key: Character in ["c", "d", "p"] {
            d.clearEffects()
            await d.press(.character(key))
            #expect(d.state.route == .topics)
            #expect(d.state.prompt == nil)
            #expect(d.effects.isEmpty)
            #expect(d.state.message?.text.hasPrefix("read-only: ") == true)
        }
        #expect(d.state.message?.text == "read-only: publishing messages is turned off for this connection")
        await d.command("g trading-strategy.xyz")
        await d.press(.character("R"))
        #expect(d.state.group?.reset == nil)
        #expect(d.state.message?.text == "read-only: resetting offsets is turned off for this connection")
        #expect(d.screen[29].contains("read-only"))
    }

    /// Screens with nothing to reload (help, forms) still probe the broker while disconnected.
    @Test func retriesFromScreensWithoutData() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        d.fake.unreachable = true
        await d.press(.character("r"), .character("?"))
        #expect(d.state.connection.isDisconnected)
        d.fake.unreachable = false
        d.clearEffects()
        await d.tick(by: 8_000)
        #expect(d.effects == [.loadClusterInfo])
        #expect(d.state.connection == .connected)
        #expect(d.state.route == .help)
    }
}
