import AdminClient
import AdminProtocol
import KafkaHash
import Testing

@testable import TerminalUI

struct MessagesTests {
    /// A broker with one partition of five million (synthetic) records.
    func hugeBroker() -> FakeAdminService {
        let fake = demoBroker()
        fake.addTopic("huge", partitions: [syntheticPartition(count: 5_000_000, tag: "v")])
        return fake
    }

    /// The window's rows are exactly its partition's offset range: no gaps, no duplicates.
    func expectContiguous(_ m: MessagesState, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let range = m.ranges[0] else { return }
        #expect(m.rows.map(\.record.offset) == Array(range.start..<range.end), sourceLocation: sourceLocation)
    }

    /// Paging through five million records fetches pages on demand and never holds more than the window.
    @Test func pagingWindowStaysBounded() async {
        let d = Driver(fake: hugeBroker())
        await d.start()
        await d.command("t huge")
        await d.press(.enter)
        var m = d.state.messages!
        #expect(m.rows.count == MessagesState.pageSize)
        #expect(m.rows.last?.record.offset == 4_999_999)
        #expect(m.selected?.record.offset == 4_999_999)
        await d.press(.character("g"))
        #expect(d.state.messages?.rows.first?.record.offset == 0)
        let fetchesBefore = d.fake.fetchCount
        var lastSelected: Int64 = -1
        for _ in 0..<300 {
            await d.press(.pageDown)
            m = d.state.messages!
            #expect(m.rows.count <= MessagesState.maxRows)
            expectContiguous(m)
            let selected = m.selected!.record.offset
            #expect(selected > lastSelected)
            lastSelected = selected
        }
        // A page moves 24 of the 25 visible rows: 300 pages are 7,200 records, about 72 fetches of 100.
        #expect(lastSelected == 7_200)
        #expect(d.fake.fetchCount - fetchesBefore <= 80)
        #expect(d.screen[1].contains("showing"))
        for _ in 0..<300 { await d.press(.pageUp) }
        m = d.state.messages!
        #expect(m.selected?.record.offset == 0)
        #expect(m.rows.count <= MessagesState.maxRows)
        expectContiguous(m)
    }

    /// Every start position works: newest, oldest, an offset, a time; bad input is refused in words.
    @Test func startPositions() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("t prices")
        await d.press(.enter)
        #expect(d.state.messages?.selected?.record.offset == 1_199)
        await d.press(.character("o"))
        await d.type("600")
        await d.press(.enter)
        #expect(d.state.messages?.rows.first?.record.offset == 600)
        #expect(d.state.messages?.selected?.record.offset == 600)
        await d.press(.character("o"))
        await d.type("six")
        await d.press(.enter)
        #expect(d.state.prompt?.error == "type an offset (0 or more), or -N for the last N records")
        // kcat's -o -N: the last N records.
        await d.press(.control("u"))
        await d.type("-5")
        await d.press(.enter)
        #expect(d.state.messages?.rows.map(\.record.offset) == Array(1_195...1_199))
        await d.press(.character("t"))
        // prices p0 has a record every 10 ms, the last at 11:59:59.990.
        await d.type("2024-05-01 11:59:59")
        await d.press(.enter)
        #expect(d.state.messages?.rows.first?.record.offset == 1_100)
        await d.press(.character("t"))
        await d.type("last week")
        await d.press(.enter)
        #expect(d.state.prompt?.error?.hasPrefix("not a time") == true)
        await d.press(.escape, .character("G"))
        #expect(d.state.messages?.selected?.record.offset == 1_199)
    }

    /// Messages of all partitions are merged by timestamp and show their partition.
    @Test func allPartitionsMergedByTime() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down, .down, .enter, .character("m"))
        let rows = d.state.messages!.rows
        #expect(rows.map(\.partition) == [0, 1, 2, 2])
        #expect(rows.map(\.record.timestampMs) == rows.map(\.record.timestampMs).sorted())
        #expect(d.screen[2].contains("PARTITION"))
        // An offset is per partition; -N is the last N of each.
        await d.press(.character("o"))
        await d.type("1")
        await d.press(.enter)
        #expect(d.state.prompt?.error?.hasPrefix("offsets are per partition") == true)
        await d.press(.control("u"))
        await d.type("-1")
        await d.press(.enter)
        #expect(d.state.prompt == nil)
        #expect(d.state.messages?.rows.map(\.partition) == [0, 1, 2])
        #expect(d.state.messages?.rows.map(\.record.offset) == [0, 0, 1])
    }

    /// Follow mode subscribes from the end of the window; pushed records append and the view sticks to the bottom.
    @Test func followAppendsPushedRecords() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter)
        d.clearEffects()
        await d.press(.character("f"))
        guard case .subscribe(_, let partitions, "")? = d.effects.last else {
            Issue.record("no subscription: \(d.effects)")
            return
        }
        #expect(partitions == [SubscribePartition(topic: "greetings", partition: 0, fromOffset: 5)])
        d.fake.append("greetings", partition: 0, values: ["one", "two", "three"])
        #expect(await d.waitForPushes { $0.messages?.rows.count == 8 })
        #expect(d.state.messages?.selected?.record.offset == 7)
        #expect(d.screen[10].contains("three"))
        #expect(d.screen[1].contains("● following"))
        // A flood stays bounded, newest kept.
        d.fake.append("greetings", partition: 0, values: (0..<700).map { "flood \($0)" })
        #expect(await d.waitForPushes { $0.messages?.rows.last?.record.offset == 707 })
        #expect(d.state.messages!.rows.count <= MessagesState.maxRows)
        #expect(d.state.messages?.selected?.record.offset == 707)
        expectContiguous(d.state.messages!)
        d.clearEffects()
        await d.press(.character("f"))
        #expect(d.effects.count == 1)
        #expect(d.state.messages?.followSubscription == nil)
        #expect(await d.waitForPushes { _ in d.fake.subscriberCount == 0 })
    }

    /// A live tail the broker ends (its topic was deleted, or deleted and recreated) stops follow
    /// mode and says why in the summary line, for as long as the screen is open, not only in the
    /// passing message; following again clears it.
    @Test func followEndedByTheBrokerSaysWhyOnScreen() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter)
        await d.press(.character("f"))
        guard let id = d.state.messages?.followSubscription else {
            Issue.record("no subscription: \(d.effects)")
            return
        }
        let reason = "topic 'greetings' was deleted and recreated (topic id changed)"
        await d.send(.subscriptionEvent(id: id, .ended(reason: reason)))
        #expect(d.state.messages?.follow == false)
        #expect(d.state.messages?.followSubscription == nil)
        #expect(d.state.messages?.followEnded == reason)
        #expect(d.screen[1].contains("live tail ended: \(reason)"), "\(d.screenText)")
        await d.tick(by: 60_000)  // long after the status message has gone
        #expect(d.screen[1].contains("live tail ended: \(reason)"), "\(d.screenText)")
        #expect(!d.screen[1].contains("following"))
        await d.press(.character("f"))
        #expect(d.state.messages?.followEnded == nil)
        #expect(!d.screen[1].contains("live tail ended"))
    }

    /// A live tail broken by the connection comes back after the retry, from where it stopped.
    @Test func followResumesAfterConnectionLoss() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("f"))
        #expect(await d.waitForPushes { _ in d.fake.subscriberCount == 1 })
        d.fake.dropConnections()
        #expect(await d.waitForPushes { $0.connection.isDisconnected })
        #expect(d.state.messages?.follow == true)
        #expect(d.state.messages?.followSubscription == nil)
        d.fake.append("greetings", partition: 0, values: ["while away"])
        await d.tick(by: 600)
        #expect(d.state.connection == .connected)
        #expect(await d.waitForPushes { $0.messages?.rows.last?.record.offset == 5 })
        #expect(d.state.messages?.rows.count == 6)
    }

    /// Find by key hashes the key with murmur2 and has the broker search that whole partition:
    /// every match streams into the window (the newest 500 kept), the summary says how far the
    /// search is, and Esc leaves it.
    @Test func findByKeySearchesOnePartition() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("t prices")
        await d.press(.character("m"))
        d.clearEffects()
        await d.press(.character("F"))
        await d.type("key-3")
        await d.press(.enter)
        let expected = KafkaPartitioner.partition(forKey: Array("key-3".utf8), partitionCount: 2)
        #expect(
            d.effects.contains {
                if case .search(_, let r) = $0 {
                    r.partitions == [expected]
                        && r.conditions == [SearchCondition(field: .key, match: .equals, pattern: Array("key-3".utf8))]
                } else {
                    false
                }
            })
        #expect(await d.waitForPushes { $0.messages?.search?.done != nil })
        let m = d.state.messages!
        #expect(m.partition == expected)
        #expect(d.state.route == .messages(topic: "prices", partition: expected))
        #expect(m.rows.allSatisfy { $0.keyPreview == "key-3" && $0.partition == expected })
        // Synthetic keys are key-(offset % 7): offsets 3, 10, 17, …, all of them.
        let high: Int64 = expected == 0 ? 1_200 : 800
        let all = Array(stride(from: Int64(3), to: high, by: 7))
        #expect(m.rows.map(\.record.offset) == all)
        #expect(m.search?.done?.complete == true && m.search?.matches == Int64(all.count))
        #expect(
            d.screen[1].hasPrefix(
                " search key=key-3 → partition \(expected) (murmur2 % 2) · done: \(high) offsets searched"))
        await d.press(.escape)
        #expect(d.state.messages?.search == nil)
        #expect(d.state.route == .messages(topic: "prices", partition: expected))
    }

    /// A key that is in no record says "not found" (the status line and the empty window).
    @Test func findByKeyNotFound() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("t prices")
        await d.press(.character("m"))
        await d.press(.character("F"))
        await d.type("nobody")
        await d.press(.enter)
        #expect(await d.waitForPushes { $0.messages?.search?.done != nil })
        #expect(d.state.messages?.rows.isEmpty == true)
        #expect(d.screen.contains { $0.contains("not found: no record with this key in partition") })
        #expect(d.screen.contains { $0.contains("not found: no record matches key=nobody in partition") })
    }

    /// `s` searches the shown scope on the broker with the query syntax; a query that does not
    /// parse keeps the prompt with the reason; the summary shows a progress bar while it runs.
    @Test func searchTheTopicOnTheBroker() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("t prices")
        await d.press(.character("m"))
        await d.press(.character("s"))
        await d.type("key=\"key-2\" from:nonsense")
        await d.press(.enter)
        #expect(d.state.prompt?.kind == .search)
        #expect(d.state.prompt?.error?.hasPrefix("from: ") == true)
        await d.press(.control("u"))
        await d.type("key^key-2 -i")
        d.clearEffects()
        await d.press(.enter)
        #expect(d.state.prompt == nil)
        #expect(d.effects.contains { if case .search(_, let r) = $0 { r.partitions.isEmpty } else { false } })
        #expect(await d.waitForPushes { $0.messages?.search?.done != nil })
        let m = d.state.messages!
        #expect(!m.rows.isEmpty && m.rows.allSatisfy { $0.keyPreview == "key-2" })
        // A running search's summary: the bar, the share and the counts.
        var running = m
        running.search?.done = nil
        running.search?.totalOffsets = 2_000
        running.search?.scannedOffsets = 500
        #expect(MessagesView.summary(running).contains("██▌░░░░░░░ 25% · 500 of 2,000 offsets"))
        #expect(MessagesView.summary(running, glyphs: .ascii).contains("##-------- 25%"))
    }

    /// The `/` filter keeps only rows whose key or value contains the text; Esc clears it before leaving.
    @Test func filterByKeyOrValue() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("/"))
        await d.type("ROCKET")
        #expect(d.state.messages?.visible.count == 1)
        await d.press(.enter)
        #expect(d.state.messages?.selected?.keyPreview == "rocket")
        await d.press(.character("/"))
        await d.press(.control("u"))
        await d.type("hello")
        await d.press(.enter)
        #expect(d.state.messages?.visible.count == 1)
        #expect(d.state.messages?.selected?.keyPreview == "user-1")
        await d.press(.escape)
        #expect(d.state.messages?.filter == "")
        #expect(d.state.messages?.visible.count == 5)
        #expect(d.state.route.kind == .messages)
    }

    /// The detail pane shows key (with its size), every header on its own line and the value as
    /// JSON, then text, then a hex dump; the title names the time's zone.
    @Test func detailPaneFormats() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("g"), .enter)
        #expect(d.state.messages?.detailOpen == true)
        var screen = d.screen
        #expect(screen[15].hasPrefix("── partition 0 · offset 0 · 2024-05-01 11:59:10.000 UTC ──"))
        #expect(screen[16] == " key      user-1  6 bytes")
        #expect(screen[17] == " headers  none")
        #expect(screen[18] == " value    30 B as json  7 lines")
        #expect(screen[19...23] == [" {", "   \"greeting\": \"hello\",", "   \"n\": [", "     1,", "     2"])
        await d.press(.character("x"))
        screen = d.screen
        #expect(screen[18] == " value    30 B as text  1 line")
        #expect(screen[19] == " {\"greeting\":\"hello\",\"n\":[1,2]}")
        await d.press(.character("x"))
        screen = d.screen
        #expect(screen[19] == " 00000000  7b 22 67 72 65 65 74 69  6e 67 22 3a 22 68 65 6c  |{\"greeting\":\"hel|")
        await d.press(.down, .down, .down, .down)
        screen = d.screen
        #expect(screen[17] == " headers  source=demo  (2)")
        #expect(screen[18] == "          trace=(null)")
        // X: the key as hex bytes.
        await d.press(.character("X"))
        #expect(d.screen[16] == " key      d0 ba d0 bb d1 8e d1 87  8 bytes, hex")
    }

    /// Auto-refresh keeps the selected record and the detail pane's scroll where they are.
    @Test func refreshKeepsTheDetailScroll() async {
        let d = Driver(fake: longValueBroker())
        await d.start()
        await d.press(.enter, .enter, .character("g"), .character("v"), .character("J"), .character("J"))
        #expect(d.state.messages?.detailScroll == 2)
        d.clearEffects()
        await d.tick(by: 2_000)
        #expect(d.effects == [.describeTopic("documents")])
        #expect(d.state.messages?.detailScroll == 2)
        #expect(d.state.messages?.selected?.record.offset == 0)
    }

    /// G while following reloads the newest page and tails again from its end, so records
    /// pushed while the page was loading are not lost.
    @Test func newestWhileFollowingResubscribesFromTheNewEnd() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("f"))
        let first = d.state.messages?.followSubscription
        d.fake.append("greetings", partition: 0, values: ["six"])
        d.clearEffects()
        await d.press(.character("G"))
        let second = d.state.messages?.followSubscription
        #expect(d.effects.contains(.unsubscribe(id: first!)))
        #expect(second != nil && second != first)
        #expect(
            d.effects.last
                == .subscribe(
                    id: second!, partitions: [SubscribePartition(topic: "greetings", partition: 0, fromOffset: 6)],
                    lagGroupId: ""))
        #expect(d.state.messages?.follow == true)
    }
}
