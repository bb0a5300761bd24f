import AdminClient
import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// The features of the lists and navigation (issue 10) against the fake broker; each also has
/// a test against the real broker in EndToEndTests.
struct ListFeatureTests {
    func driver(width: Int = 100, height: Int = 30, fake: FakeAdminService = layoutBroker()) async -> Driver {
        let d = Driver(fake: fake, size: TerminalSize(width: width, height: height))
        await d.start()
        return d
    }

    /// An unknown name says which names come close; while the list loads the prompt says so.
    @Test func unknownNamesSuggestCloseOnes() async {
        let d = await driver()
        await d.command("t PRICES")
        #expect(d.state.prompt?.error == "no topic 'PRICES'; did you mean 'prices'?")
        await d.press(.control("u"))
        await d.type("g trading")
        await d.press(.enter)
        #expect(
            d.state.prompt?.error
                == "no consumer group 'trading'; did you mean 'trading-strategy.abc', 'trading-strategy.xyz'?")
        // Waiting for the list: the prompt stays, saying where it looks.
        var state = d.state
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.character(":")))
        for c in "t later" { _ = update(&state, .key(.character(c))) }
        #expect(update(&state, .key(.enter)) == [.loadTopics])
        #expect(render(state).lines[28] == ":t later   looking in the topics…")
        _ = update(
            &state, .topicsLoaded(.failure(.unreachable(address: "127.0.0.1:9292", reason: "connection refused"))))
        #expect(state.prompt?.error?.hasPrefix("cannot check the topic list: cannot reach broker") == true)
        #expect(state.route == .topics)
    }
}

extension ListFeatureTests {
    /// A fake whose prices topic has `n` consuming groups.
    func manyGroups(_ n: Int) -> FakeAdminService {
        let fake = layoutBroker()
        for i in 0..<n {
            fake.setGroup(
                "reader-\(i)",
                FakeAdminService.Group(
                    state: "Empty", offsets: [TopicPartitionRef(topic: "prices", partition: Int32(i % 2)): Int64(i)]))
        }
        return fake
    }

    /// The topic screen's consuming groups are a list of their own: moving on past the last
    /// partition (or Tab) takes the cursor there, it scrolls with its position shown, Enter
    /// opens the group, and Esc comes back to the same row.
    @Test func topicGroupsAreAListOfTheirOwn() async {
        let d = await driver(height: 24, fake: manyGroups(14))
        await d.command("t prices")
        // 16 groups, and two partitions: the groups get every row below the partitions (12).
        #expect(d.state.topic?.description?.consumerGroups.count == 16)
        #expect(TopicGeometry(layout: d.state.layout, description: d.state.topic?.description).groupRows == 12)
        await d.press(.down)
        #expect(d.state.topic?.selectedPartition?.partition == 1)
        await d.press(.down)
        #expect(d.state.topic?.selectedGroup?.groupId == "reader-0")
        await d.press(.up)
        #expect(d.state.topic?.selectedPartition?.partition == 1)
        await d.press(.tab)
        #expect(d.state.topic?.selectedGroup?.groupId == "reader-0")
        await d.press(.character("G"))
        #expect(d.state.topic?.selectedGroup?.groupId == "trading-strategy.xyz")
        let header = d.screen.first { $0.hasPrefix(" CONSUMING GROUP") } ?? ""
        #expect(header.hasSuffix(" 16/16"), "\(d.screenText)")
        #expect(d.screen.contains { $0.hasPrefix(" trading-strategy.xyz") }, "\(d.screenText)")
        await d.press(.enter)
        #expect(d.state.route == .group("trading-strategy.xyz"))
        #expect(d.screen[0].hasSuffix("Topics › prices › trading-strategy.xyz"), "\(d.screen[0])")
        // From the group's partition row to that partition's messages, at the committed offset.
        await d.press(.enter)
        #expect(d.state.route == .messages(topic: "prices", partition: 0))
        #expect(d.state.messages?.selected?.record.offset == 900)
        #expect(
            d.screen[0].hasSuffix("Topics › prices › trading-strategy.xyz › prices › Messages p0"), "\(d.screen[0])")
        await d.press(.escape, .escape)
        #expect(d.state.route == .topic("prices"))
        #expect(d.state.topic?.selectedGroup?.groupId == "trading-strategy.xyz")
        await d.press(.tab)
        #expect(d.state.topic?.selectedPartition?.partition == 1)
        // A topic without groups says so.
        await d.command("t greetings")
        await d.press(.tab)
        #expect(d.state.message?.text == "no consumer group has offsets on this topic")
    }
}

extension ListFeatureTests {
    /// `S` turns the sort order around (the marker says which way), keeping the selection;
    /// `s` moves on to the next column in its own order again.
    @Test func reverseSort() async {
        let d = await driver()
        #expect(d.screen[2].hasPrefix(" NAME ▲"))
        await d.press(.down, .character("S"))
        #expect(d.topicNames == ["streams-intro", "prices", "orders", "greetings"])
        #expect(d.state.topics.selected?.name == "orders")
        #expect(d.screen[2].hasPrefix(" NAME ▼"), "\(d.screen[2])")
        #expect(d.screen[1].contains("sorted by name, reversed"), "\(d.screen[1])")
        await d.press(.character("s"))
        #expect(d.topicNames == ["streams-intro", "prices", "greetings", "orders"])
        #expect(d.screen[2].contains("▼PART"), "\(d.screen[2])")
        await d.press(.character("S"))
        // Fewest partitions first; equal ones still by name.
        #expect(d.topicNames == ["greetings", "orders", "prices", "streams-intro"])
        #expect(d.screen[2].contains("▲PART"), "\(d.screen[2])")
        await d.command("groups")
        await d.press(.character("s"), .character("s"), .character("s"))
        #expect(d.state.groups.sort == .lag)
        #expect(
            d.state.groups.visible.map { d.state.groups.all[$0].groupId } == [
                "trading-strategy.xyz", "trading-strategy.abc",
            ])
        await d.press(.character("S"))
        #expect(
            d.state.groups.visible.map { d.state.groups.all[$0].groupId } == [
                "trading-strategy.abc", "trading-strategy.xyz",
            ])
        #expect(d.screen[2].contains("▲LAG"), "\(d.screen[2])")
    }

    /// A list longer than the screen says where the cursor is; so does the help screen.
    @Test func positionInLongLists() async {
        let fake = layoutBroker()
        for i in 0..<1_999 { fake.addTopic("bulk-\(i)", records: [[]]) }
        let d = await driver(fake: fake)
        #expect(d.state.topics.visible.count == 2_003)
        #expect(d.screen[2].hasSuffix(" 1/2,003"), "\(d.screen[2])")
        for _ in 0..<122 { await d.press(.down) }
        #expect(d.screen[2].hasSuffix(" 123/2,003"), "\(d.screen[2])")
        await d.press(.character("G"))
        #expect(d.screen[2].hasSuffix(" 2,003/2,003"), "\(d.screen[2])")
        // A list that fits shows none.
        await d.command("groups")
        #expect(!d.screen[2].contains("/"), "\(d.screen[2])")
        await d.press(.character("?"))
        #expect(d.screen[1].hasSuffix(" 1–27/\(HelpContent.lines.count)"), "\(d.screen[1])")
        await d.press(.pageDown)
        #expect(d.screen[1].hasSuffix(" 27–53/\(HelpContent.lines.count)"), "\(d.screen[1])")
    }

    /// `/` opens the filter with its current text to edit; Esc in the prompt clears it, and so
    /// does Esc on the list once it is applied (a second Esc goes back).
    @Test func filterEditAndClear() async {
        let d = await driver()
        await d.command("groups")
        await d.press(.character("/"))
        await d.type("abc")
        await d.press(.enter)
        #expect(d.state.groups.visible.count == 1)
        await d.press(.character("/"))
        #expect(d.state.prompt?.field.text == "abc")
        #expect(d.screen[28].hasPrefix("/abc"))
        await d.press(.backspace, .backspace, .backspace)
        await d.type("xyz")
        await d.press(.enter)
        #expect(d.state.groups.filter == "xyz")
        #expect(d.state.groups.selected?.groupId == "trading-strategy.xyz")
        await d.press(.escape)
        #expect(d.state.route == .groups)
        #expect(d.state.groups.filter.isEmpty)
        #expect(d.state.groups.visible.count == 2)
        #expect(d.state.message?.text == "filter cleared")
        await d.press(.escape)
        #expect(d.state.route == .topics)
        // Esc while typing clears it too.
        await d.press(.character("/"))
        await d.type("pri")
        #expect(d.topicNames == ["prices"])
        await d.press(.escape)
        #expect(d.state.prompt == nil)
        #expect(d.state.topics.filter.isEmpty)
        #expect(d.topicNames.count == 4)
    }
}

extension ListFeatureTests {
    /// The group list's trends share one scale, shown in the TREND header: a lag going from 3
    /// to 2 stays low beside one of 70.
    @Test func trendsShareOneScale() async {
        let d = await driver()
        await d.command("groups")
        func commit(abc: Int64, xyz: Int64) async {
            // Lag = high watermark (1,200 and 800) minus the committed offset, partition by partition.
            d.fake.setGroup(
                "trading-strategy.abc",
                FakeAdminService.Group(
                    state: "Empty", offsets: [TopicPartitionRef(topic: "prices", partition: 0): 1_200 - abc]))
            d.fake.setGroup(
                "trading-strategy.xyz",
                FakeAdminService.Group(
                    state: "Empty", offsets: [TopicPartitionRef(topic: "prices", partition: 1): 800 - xyz]))
            await d.press(.character("r"))
        }
        await commit(abc: 3, xyz: 70)
        await commit(abc: 2, xyz: 70)
        #expect(d.state.groups.lagHistory["trading-strategy.abc"]?.suffix(2) == [3, 2])
        let bars = Glyphs.unicode.bars
        func trend(_ group: String) -> [Character] {
            let row = d.screen.first { $0.hasPrefix(" " + group) } ?? ""
            return Array(row.split(separator: " ").last ?? "")
        }
        let low = trend("trading-strategy.abc").suffix(2).compactMap { bars.firstIndex(of: $0) }
        let high = trend("trading-strategy.xyz").suffix(2).compactMap { bars.firstIndex(of: $0) }
        // Scaled to the largest lag shown (xyz's 600 at the first load): 3 and 2 are the lowest
        // bar that is not zero, 70 a taller one.
        #expect(low == [1, 1], "\(d.screenText)")
        #expect(high.count == 2 && high.allSatisfy { $0 > 1 }, "\(d.screenText)")
        let header = d.screen[2]
        #expect(header.contains("TREND max 600"), "\(header)")
    }
}
