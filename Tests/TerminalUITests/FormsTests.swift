import AdminClient
import AdminProtocol
import SkiffText
import Testing

@testable import TerminalUI

/// The forms and dialogs of issue 10: what they offer, how typing into them behaves, how they
/// say what is wrong and how they are left.
struct FormsTests {
    func open(_ keys: [Key] = [], command: String? = nil) async -> Driver {
        let d = Driver(fake: demoBroker())
        await d.start()
        if let command { await d.command(command) }
        await d.press(contentsOf: keys)
        return d
    }

    /// The row of the screen whose label (after the focus marker's two columns) is `label`.
    func row(_ d: Driver, labelled label: String) -> String? {
        d.screen.first { $0.dropFirst(2).hasPrefix(label + " ") }
    }

    // MARK: - Create topic

    /// The create form offers only the cleanup policies the broker accepts (today `delete`):
    /// `compact` is not on the screen and → cannot choose it.
    @Test func createFormOffersOnlyAcceptedCleanupPolicies() async {
        let d = await open([.character("c")])
        await d.type("orders")
        await d.press(.tab, .tab, .tab)
        #expect(!d.screenText.contains("compact"), "\(d.screenText)")
        await d.press(.right)
        await d.press(.enter)
        #expect(
            d.effects.contains(.createTopic(name: "orders", partitions: 1, config: ["cleanup.policy": "delete"])),
            "\(d.effects)")
        #expect(d.state.route == .topics)
    }

    /// Typing into a field that still shows its untouched default replaces it; editing keys keep it.
    @Test func typingReplacesAnUntouchedDefault() async {
        let d = await open([.character("c")])
        await d.press(.tab)
        await d.type("3")
        #expect(d.state.createTopicForm?.partitions.text == "3")
        await d.type("2")
        #expect(d.state.createTopicForm?.partitions.text == "32")

        let left = await open([.character("c"), .tab, .left])
        await left.type("2")
        #expect(left.state.createTopicForm?.partitions.text == "21")

        let backspace = await open([.character("c"), .tab, .backspace])
        #expect(backspace.state.createTopicForm?.partitions.text == "")
        await backspace.type("4")
        #expect(backspace.state.createTopicForm?.partitions.text == "4")

        // The publish form's partition field starts as `auto`: typing a number replaces it.
        let publish = await open([.down, .down, .character("p"), .backTab, .backTab])
        #expect(publish.state.publishForm?.focus == .partition)
        await publish.type("1")
        #expect(publish.state.publishForm?.partition.text == "1")
    }

    /// An empty topic name says what is wrong at once, not only after Enter.
    @Test func emptyNameShowsTheProblemAtOnce() async {
        let d = await open([.character("c")])
        #expect(d.screen[4].hasPrefix("                    ✗ "), "\(d.screen[4])")
        #expect(!d.screen[4].contains("✓"))
    }

    /// A rejected character is shown as itself, not as a Swift escape; an unsafe one with SafeText's escape.
    @Test func rejectedCharactersAreShownAsThemselves() async {
        #expect(
            TopicNameRules.problem(with: "caf\u{00F3}")
                == "'ó' is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        #expect(
            TopicNameRules.problem(with: "a\u{1B}b")
                == "'\\x1b' is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        #expect(
            TopicNameRules.problem(with: "e\u{301}")
                == "'e\u{301}' is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
        let d = await open([.character("c")])
        await d.type("café")
        #expect(
            d.screen[4] == "                    ✗ 'é' is not allowed; use only ASCII letters, digits, '.', '_' and '-'")
    }

    // MARK: - Help

    /// The help lines under `heading`, up to the next blank line.
    func helpSection(_ heading: String) -> [String] {
        let lines = HelpContent.lines.map(\.text)
        guard let start = lines.firstIndex(of: heading) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
    }

    /// Each screen's help lists only what applies to it: no reset in the create form's section,
    /// no cleanup.policy or topic creation in the reset dialog's.
    @Test func helpSectionsListOnlyTheirScreen() {
        let create = helpSection("Create topic form")
        #expect(!create.isEmpty)
        #expect(!create.contains { $0.contains("reset") }, "\(create)")
        let reset = helpSection("Reset offsets dialog")
        #expect(!reset.isEmpty)
        #expect(!reset.contains { $0.contains("cleanup.policy") || $0.contains("create the topic") }, "\(reset)")
        let publish = helpSection("Publish form")
        #expect(!publish.contains { $0.contains("reset") || $0.contains("cleanup.policy") }, "\(publish)")
    }

    // MARK: - Publish

    /// With an explicit partition the key's murmur2 partition is not what happens: the hint says
    /// the explicit partition wins instead.
    @Test func publishHintFollowsAnExplicitPartition() async {
        let d = await open([.down, .down, .character("p"), .backTab, .backTab, .backTab])
        await d.type("foo")
        #expect(d.screen[4].hasSuffix("→ partition 2 of 3 (murmur2)"))
        await d.press(.tab, .control("u"))
        await d.type("1")
        #expect(!d.screen[4].contains("murmur2"), "\(d.screen[4])")
        #expect(d.screen[4].contains("partition 1"), "\(d.screen[4])")
    }

    /// A null value (a tombstone) can be published: Ctrl-N in the value field makes the value
    /// null, the form shows it as such, and the record reaches the broker with no value.
    @Test func publishATombstone() async {
        let d = await open([.down, .down, .character("p"), .backTab, .backTab, .backTab])
        await d.type("foo")
        await d.press(.tab, .tab, .tab)
        #expect(d.state.publishForm?.focus == .value)
        await d.press(.control("n"))
        #expect(d.screenText.contains("null (tombstone)"), "\(d.screenText)")
        await d.press(.control("s"))
        #expect(d.state.publishForm?.result == "landed in partition 2 at offset 2")
        let stored = try? await d.fake.fetch(
            topic: "streams-intro", partition: 2, from: .offset(2), maxRecords: 1, maxBytes: 1)
        #expect(stored?.records.count == 1)
        #expect(stored?.records.first?.key == Array("foo".utf8))
        #expect(stored?.records.first?.value == nil)
    }

    // MARK: - Leaving a form

    /// Ctrl-C in a form cancels the form, not the app.
    @Test func controlCCancelsAFormNotTheApp() async {
        let d = await open([.character("c")])
        await d.press(.control("c"))
        #expect(!d.state.quitting)
        #expect(!d.effects.contains(.quit))
        #expect(d.state.route == .topics)

        let publish = await open([.character("p")])
        await publish.press(.control("c"))
        #expect(!publish.state.quitting)
        #expect(publish.state.route == .topics)

        let reset = await open([.character("R")], command: "g trading-strategy.xyz")
        #expect(reset.state.group?.reset != nil)
        await reset.press(.control("c"))
        #expect(!reset.state.quitting)
        #expect(reset.state.group?.reset == nil)
    }

    /// Esc on a changed form asks before discarding; n keeps editing, y discards. An unchanged
    /// form closes at once.
    @Test func escapeOnAChangedFormAsks() async {
        let d = await open([.character("c")])
        await d.type("orders")
        await d.press(.escape)
        #expect(d.state.route == .createTopic)
        #expect(d.screenText.contains("discard changes? y/n"), "\(d.screenText)")
        await d.press(.character("n"))
        #expect(d.state.route == .createTopic)
        #expect(d.state.createTopicForm?.name.text == "orders")
        #expect(!d.screenText.contains("discard changes? y/n"))
        await d.press(.escape, .character("y"))
        #expect(d.state.route == .topics)

        let unchanged = await open([.character("c")])
        await unchanged.press(.escape)
        #expect(unchanged.state.route == .topics)
    }

    // MARK: - Reset dialog

    /// Bad input in the reset dialog is refused next to the field, in the error colour, the way
    /// the messages screen's `t` prompt does; the dialog stays open.
    @Test func resetDialogShowsBadInputAtTheField() async {
        for (moves, typed, problem) in [
            (2, "-5", "type an offset (0 or more)"),
            (4, "abc", "type how many records to shift, e.g. -100 or 50"),
            (3, "noon", "not a time"),
        ] {
            let d = await open([.character("R")], command: "g trading-strategy.xyz")
            for _ in 0..<moves { await d.press(.right) }
            await d.type(typed)
            await d.press(.enter)
            #expect(d.state.group?.reset != nil)
            let value = row(d, labelled: "value")
            #expect(value?.contains("\(typed)") == true, "\(d.screenText)")
            #expect(value?.contains("✗ \(problem)") == true, "\(d.screenText)")
            guard let y = d.screen.firstIndex(where: { $0.dropFirst(2).hasPrefix("value ") }),
                let mark = d.screen[y].firstIndex(of: "✗")
            else { continue }
            let x = DisplayWidth.of(String(d.screen[y][..<mark]))
            #expect(render(d.state)[x, y].role == .error)
        }
    }
}
