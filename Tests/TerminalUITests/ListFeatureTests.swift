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
