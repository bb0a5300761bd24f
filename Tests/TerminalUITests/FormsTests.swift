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

/// Topic and group management against the fake broker: the config editor, adding partitions,
/// deleting records, deleting groups, scoped resets and the create form's other config.
struct ManagementTests {
    func onPrices(_ keys: [Key] = []) async -> Driver {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("t prices")
        await d.press(contentsOf: keys)
        return d
    }

    /// `e`: choose a key, type a value (checked as typed with the broker's rules), Enter sets it;
    /// `d` returns it to the default.
    @Test func configEditor() async {
        let d = await onPrices([.character("e")])
        guard case .editConfig(let e)? = d.state.dialog else {
            Issue.record("no editor: \(String(describing: d.state.dialog))")
            return
        }
        #expect(e.selectedKey == "cleanup.policy")
        #expect(d.screenText.contains("Config of 'prices'"))
        await d.press(.down, .down, .down, .enter)  // retention.ms, set on this topic to 1h
        #expect(d.screen.contains { $0.hasPrefix("▸ new value   3600000") })
        await d.type("-3")
        #expect(d.screenText.contains("✗ retention.ms must be at least 0 (or -1), got -3"))
        d.clearEffects()
        await d.press(.enter)
        #expect(d.effects.isEmpty)
        await d.press(.control("u"))
        await d.type("86400000")
        #expect(d.screenText.contains("= 1d"))
        await d.press(.enter)
        #expect(d.effects.first == .alterTopicConfig(topic: "prices", set: ["retention.ms": "86400000"], delete: []))
        #expect(d.state.message?.text == "set retention.ms=86400000 on 'prices'")
        #expect(d.state.topic?.description?.config.first { $0.key == "retention.ms" }?.value == "86400000")
        await d.press(.character("d"))
        #expect(d.state.message?.text == "retention.ms of 'prices' back to the broker default")
        #expect(d.state.topic?.description?.config.first { $0.key == "retention.ms" }?.isDefault == true)
        await d.press(.character("d"))
        if case .editConfig(let e)? = d.state.dialog {
            #expect(e.error == "retention.ms already has the broker default")
        }
        await d.press(.escape)
        #expect(d.state.dialog == nil)
        #expect(d.state.route == .topic("prices"))
    }

    /// A key's meaning longer than the screen is wrapped onto the free line below, never cut
    /// mid-word as if it were the whole sentence.
    @Test func configKeyMeaningWraps() async {
        let d = await onPrices([.character("e")])
        let meaning = d.screen.filter { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
        let start = meaning.firstIndex { $0.hasPrefix("cleanup.policy takes one of: delete") }
        #expect(start != nil, "\(d.screenText)")
        guard let start, start + 1 < meaning.count else { return }
        let joined = meaning[start] + " " + meaning[start + 1]
        #expect(joined.hasSuffix("(compaction is not supported yet)"), "\(d.screenText)")
    }

    /// A typed value is not lost by accident: Esc asks first.
    @Test func configEditorAsksBeforeDiscarding() async {
        let d = await onPrices([.character("e"), .enter])
        await d.type("x")
        await d.press(.escape)
        #expect(d.screenText.contains("discard changes? y/n"))
        #expect(KeyMap.hints(for: d.state.keyScreen).map(\.label) == ["discard", "keep editing"])
        await d.press(.character("n"))
        guard case .editConfig(let e)? = d.state.dialog else { return }
        #expect(e.editing?.text == "x")
        await d.press(.escape, .character("y"))
        guard case .editConfig(let closed)? = d.state.dialog else { return }
        #expect(closed.editing == nil)
    }

    /// `+`: the default (current + 1) is replaced by what is typed; fewer partitions are refused.
    @Test func addPartitions() async {
        let d = await onPrices([.character("+")])
        #expect(d.screenText.contains("✓ 2 → 3: adds partition 2"))
        await d.type("1")
        #expect(d.screenText.contains("✗ the topic has 2 partitions; the new count must be more"))
        await d.press(.backspace)
        await d.type("5")
        await d.press(.enter)
        #expect(d.effects.contains(.addPartitions(topic: "prices", totalCount: 5)))
        #expect(d.state.dialog == nil)
        #expect(d.state.message?.text == "'prices' now has 5 partitions")
        #expect(d.state.topic?.description?.partitions.count == 5)
    }

    /// `X`: the cursor's partition or all, before an offset or all records; Enter asks for the
    /// topic's name at the prompt, and only the exact name deletes.
    @Test func deleteRecords() async {
        let d = await onPrices([.down, .character("X")])  // the cursor on partition 1
        #expect(d.screenText.contains("partition 1: offsets 0–799 go (800 records); it then starts at 800"))
        await d.press(.backTab, .right)  // all partitions
        await d.press(.tab)
        await d.type("900")
        #expect(d.screenText.contains("✗ offset 900 is past the end of partition 1 (high watermark 800)"))
        await d.press(.control("u"))
        await d.type("500")
        await d.press(.enter)
        #expect(d.state.prompt?.label == "delete 1,000 records of 'prices' (2 partitions)? type its name: ")
        await d.type("price")
        await d.press(.enter)
        #expect(d.state.prompt?.error == "type 'prices' exactly, or Esc to keep them")
        await d.type("s")
        await d.press(.enter)
        #expect(
            d.effects.contains(
                .deleteRecords(
                    topic: "prices",
                    partitions: [
                        DeleteRecordsPartition(partition: 0, offset: 500),
                        DeleteRecordsPartition(partition: 1, offset: 500),
                    ])))
        #expect(d.state.dialog == nil)
        #expect(d.state.topic?.description?.partitions.map(\.logStartOffset) == [500, 500])
        #expect(
            d.state.message?.text
                == "deleted records of 'prices': partition 0 now starts at offset 500, partition 1 now starts at offset 500"
        )
    }

    /// `d` on a group: refused in the broker's words while it has members, deleted once its name is typed.
    @Test func deleteGroups() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("groups")
        await d.press(.character("d"))  // trading-strategy.abc, with members
        #expect(
            d.state.prompt?.label
                == "delete group 'trading-strategy.abc' and its committed offsets? type its name to confirm: ")
        await d.type("trading-strategy.abc")
        await d.press(.enter)
        #expect(
            d.state.message?.text
                == "consumer group 'trading-strategy.abc' has active members; stop its consumers first")
        #expect(d.state.message?.isError == true)
        await d.command("g trading-strategy.xyz")
        await d.press(.character("d"))
        await d.type("trading-strategy.xyz")
        await d.press(.enter)
        #expect(d.effects.contains(.deleteGroup("trading-strategy.xyz")))
        #expect(d.state.message?.text == "deleted consumer group 'trading-strategy.xyz'")
        #expect(d.state.route == .groups)
        #expect(d.state.groups.all.map(\.groupId) == ["trading-strategy.abc"])
    }

    /// A reset of chosen partitions previews and writes only those; u restores only those.
    @Test func scopedResetAndUndo() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.command("g trading-strategy.xyz")
        await d.press(.character("R"), .tab, .right, .tab)
        await d.type("1")
        await d.press(.enter)
        #expect(
            d.effects.last
                == .resetOffsets(
                    groupId: "trading-strategy.xyz", scope: .partitions("prices", [1]), target: .earliest, dryRun: true)
        )
        #expect(d.screenText.contains("Reset offsets of 'trading-strategy.xyz' (partition 1 of 'prices')"))
        await d.press(.character("y"))
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 0) == 900)
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 1) == 0)
        #expect(d.state.message?.text == "reset 1 partition offset(s) of partition 1 of 'prices'; press u to undo")
        await d.press(.character("u"))
        #expect(
            d.effects.contains(
                .restoreOffsets(
                    groupId: "trading-strategy.xyz",
                    offsets: [
                        CommitOffset(topic: "prices", partition: 1, offset: 500)
                    ])))
        #expect(d.fake.committed("trading-strategy.xyz", "prices", 1) == 500)
        // A whole topic, and partitions that do not exist.
        await d.press(.character("R"), .tab, .right, .enter)
        #expect(d.state.group?.reset?.phase != .choosing)
        await d.press(.escape, .tab, .tab)
        await d.type("0,7")
        await d.press(.enter)
        #expect(d.state.group?.reset?.error == "partition 7 does not exist; 'prices' has 2 (0 to 1)")
        #expect(d.state.group?.reset?.errorRow == .partitions)
    }

    /// The create form's other config: each pair checked by the broker's rules, sent with the rest.
    @Test func createWithOtherConfig() async {
        let d = Driver(fake: demoBroker())
        await d.start()
        await d.press(.character("c"))
        await d.type("orders")
        await d.press(.tab, .tab, .tab, .tab)
        await d.type("segment.bytes=1048576 retention.ms=5")
        #expect(d.screenText.contains("✗ retention.ms has its own field above"))
        await d.press(.control("w"))
        await d.type("flush.ms=x")
        #expect(d.screenText.contains("✗ flush.ms must be an integer, got 'x'"))
        await d.press(.backspace)
        await d.type("1000")
        #expect(d.screenText.contains("✓ sets flush.ms, segment.bytes"))
        await d.press(.enter)
        #expect(
            d.effects.contains(
                .createTopic(
                    name: "orders", partitions: 1,
                    config: ["cleanup.policy": "delete", "segment.bytes": "1048576", "flush.ms": "1000"])))
    }

    /// Read-only: every management command is refused with a message and sends nothing.
    @Test func readOnlyRefusesManagement() async {
        var context = testContext
        context.readOnly = true
        let d = Driver(fake: demoBroker(), context: context)
        await d.start()
        await d.command("t prices")
        for (key, what) in [("e", "changing topic config"), ("+", "adding partitions"), ("X", "deleting records")] {
            d.clearEffects()
            await d.press(.character(Character(key)))
            #expect(d.state.dialog == nil)
            #expect(d.state.message?.text == "read-only: \(what) is turned off for this connection")
        }
        await d.command("groups")
        await d.press(.character("d"))
        #expect(d.state.prompt == nil)
        #expect(d.state.message?.text == "read-only: deleting consumer groups is turned off for this connection")
    }
}
