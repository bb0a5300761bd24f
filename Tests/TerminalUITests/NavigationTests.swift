import AdminClient
import AdminProtocol
import Testing

@testable import TerminalUI

extension Driver {
    /// Types a `:` command and Enter.
    func command(_ text: String) async {
        await press(.character(":"))
        await type(text)
        await press(.enter)
    }

    var topicNames: [String] { state.topics.visible.map { state.topics.all[$0].name } }
}

struct NavigationTests {
    /// Enter pushes, Esc pops, Esc at the root stays put, and leaving a screen drops its state.
    @Test func navigationStack() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        #expect(d.state.stack == [.topics])
        await d.press(.enter)
        #expect(d.state.stack == [.topics, .topic("greetings")])
        await d.press(.enter)
        #expect(d.state.stack == [.topics, .topic("greetings"), .messages(topic: "greetings", partition: 0)])
        #expect(d.state.messages?.rows.count == 5)
        await d.press(.escape)
        #expect(d.state.stack == [.topics, .topic("greetings")])
        #expect(d.state.messages == nil)
        await d.press(.character("h"))
        #expect(d.state.stack == [.topics])
        #expect(d.state.topic == nil)
        await d.press(.escape)
        #expect(d.state.stack == [.topics])
        #expect(d.state.message?.text == "this is the start screen; press q to quit")
        #expect(!d.state.quitting)
    }

    /// `:` jumps replace the stack above the root; unknown commands are refused in words.
    @Test func commandLineJumps() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter)
        await d.command("groups")
        #expect(d.state.stack == [.topics, .groups])
        #expect(d.state.groups.all.count == 2)
        await d.command("t prices")
        #expect(d.state.stack == [.topics, .topic("prices")])
        #expect(d.state.topic?.description?.partitions.count == 2)
        await d.command("g trading-strategy.abc")
        #expect(d.state.stack == [.topics, .groups, .group("trading-strategy.abc")])
        await d.command("broker")
        #expect(d.state.stack == [.topics, .broker])
        #expect(d.state.broker.info?.brokerVersion == "0.1.0")
        await d.command("topics")
        #expect(d.state.stack == [.topics])
        await d.command("nope")
        #expect(d.state.prompt?.error?.hasPrefix("unknown command ':nope'") == true)
        #expect(d.screen[28].contains("unknown command ':nope'"))
        await d.press(.escape)
        #expect(d.state.prompt == nil)
        await d.command("q")
        #expect(d.state.quitting)
    }

    /// The filter narrows the list as you type, keeps the selection, and Esc clears it.
    @Test func filterAsYouType() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down, .down)
        #expect(d.state.topics.selected?.name == "streams-intro")
        await d.press(.character("/"))
        await d.type("in")
        #expect(d.topicNames == ["greetings", "streams-intro"])
        #expect(d.state.topics.selected?.name == "streams-intro")
        #expect(d.screen[28].hasPrefix("/in"))
        await d.type("t")
        #expect(d.topicNames == ["streams-intro"])
        await d.press(.escape)
        #expect(d.state.topics.filter.isEmpty)
        #expect(d.topicNames == ["greetings", "prices", "streams-intro"])
        await d.press(.character("/"))
        await d.type("INTRO")
        await d.press(.enter)
        #expect(d.state.prompt == nil)
        #expect(d.topicNames == ["streams-intro"])
        #expect(d.screen[1] == " 1 topic matching \"INTRO\" · sorted by name · internal topics hidden")
    }

    /// `s` cycles the sort column and keeps the selected topic selected; `i` shows internal topics.
    @Test func sortAndInternalTopics() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.down)
        await d.press(.character("s"))
        #expect(d.state.topics.sort == .partitions)
        #expect(d.topicNames == ["streams-intro", "prices", "greetings"])
        #expect(d.state.topics.selected?.name == "prices")
        #expect(
            d.screen[2] == " NAME           ▼PARTS  MESSAGES       SIZE  LAST WRITE  GROUPS")
        await d.press(.character("s"))
        #expect(d.topicNames == ["prices", "greetings", "streams-intro"])
        await d.press(.character("i"))
        #expect(d.topicNames.contains("__consumer_offsets"))
        await d.press(.character("i"))
        #expect(!d.topicNames.contains("__consumer_offsets"))
    }

    /// Auto-refresh reloads the visible screen every 2 s, never piling up loads that are in flight.
    @Test func autoRefresh() async {
        var state = AppState(context: testContext, size: size100x30, nowMs: fixedNow)
        #expect(update(&state, .start) == [.loadTopics])
        #expect(update(&state, .tick(nowMs: fixedNow + 2_500)) == [])  // still loading
        _ = update(&state, .topicsLoaded(.success([])))
        #expect(update(&state, .tick(nowMs: fixedNow + 4_000)) == [])
        #expect(update(&state, .tick(nowMs: fixedNow + 4_600)) == [.loadTopics])
        #expect(update(&state, .tick(nowMs: fixedNow + 7_000)) == [])
        #expect(render(state).lines[29].contains("⟳ 2s"))
    }

    /// q quits from any browsing screen and stops live subscriptions on the way out.
    @Test func quitStopsSubscriptions() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.enter, .enter, .character("f"))
        let id = d.state.messages?.followSubscription
        #expect(id != nil)
        d.clearEffects()
        await d.press(.character("q"))
        #expect(d.state.quitting)
        #expect(d.effects == [.unsubscribe(id: id!), .quit])
    }

    /// Below 80×24 keys are ignored, except q, which still quits.
    @Test func tooSmallIgnoresKeys() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.send(.resize(TerminalSize(width: 60, height: 20)))
        await d.press(.enter, .character("c"))
        #expect(d.state.stack == [.topics])
        await d.press(.character("q"))
        #expect(d.state.quitting)
    }

    /// Enter on a group's partition opens its messages at the group's committed offset.
    @Test func groupPartitionOpensAtCommittedOffset() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.xyz")
        await d.press(.enter)
        #expect(d.state.route == .messages(topic: "prices", partition: 0))
        #expect(d.state.messages?.rows.first?.record.offset == 900)
        #expect(d.state.messages?.selected?.record.offset == 900)
    }

    /// Deleting a topic asks for its name and refuses anything else.
    @Test func deleteTopicConfirmsByName() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.character("d"))
        #expect(d.screen[28].hasPrefix("delete topic 'greetings'? type its name to confirm:"))
        await d.type("greet")
        await d.press(.enter)
        #expect(d.state.prompt?.error == "type 'greetings' exactly to delete it, or Esc to keep it")
        #expect(!d.effects.contains(.deleteTopic("greetings")))
        await d.press(.control("u"))
        await d.type("greetings")
        await d.press(.enter)
        #expect(d.effects.contains(.deleteTopic("greetings")))
        #expect(d.topicNames == ["prices", "streams-intro"])
        #expect(d.state.message?.text == "deleted topic 'greetings'")
    }

    /// Text fields insert at the cursor, erase, move, clear, and add lines only when multi-line.
    @Test func textFieldEditing() {
        var f = TextField()
        for c in "abc" { f.handle(.character(c)) }
        f.handle(.left)
        f.handle(.character("X"))
        #expect(f.text == "abXc")
        f.handle(.backspace)
        f.handle(.home)
        f.handle(.delete)
        #expect(f.text == "bc")
        #expect(f.handle(.enter) == false)
        f.handle(.control("u"))
        #expect(f.text.isEmpty)
        var m = TextField(multiline: true)
        for c in "ab" { m.handle(.character(c)) }
        m.handle(.enter)
        m.handle(.character("c"))
        #expect(m.text == "ab\nc")
        #expect(m.cursorPosition.line == 1)
        #expect(m.cursorPosition.column == 1)
        #expect(m.lineCount == 2 && m.utf8Count == 4)
        // Up and down keep the column where the line has room; Home and End stay on the line.
        m.handle(.up)
        #expect(m.cursorPosition.line == 0 && m.cursorPosition.column == 1)
        m.handle(.end)
        #expect(m.cursor == 2)
        m.handle(.down)
        #expect(m.cursorPosition.line == 1 && m.cursorPosition.column == 1)
        // A paste arrives whole; a one-line field joins its lines with spaces.
        m.handle(.paste("x\r\ny"))
        #expect(m.text == "ab\ncx\ny" && m.lineCount == 3 && m.cursorPosition.column == 1)
        var one = TextField("a")
        one.handle(.paste("1\n2"))
        #expect(one.text == "a1 2" && one.lineCount == 1)
        // Deleting a newline joins lines; the sizes follow every edit.
        m.handle(.home)
        m.handle(.backspace)
        #expect(m.text == "ab\ncxy" && m.lineCount == 2 && m.utf8Count == 6)
        m.handle(.control("w"))
        #expect(m.text == "ab\ny" && m.utf8Count == 4)
    }
}
