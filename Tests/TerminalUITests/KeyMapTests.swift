import Testing

@testable import TerminalUI

struct KeyMapTests {
    /// Every command has at least one key.
    @Test func everyCommandHasAKey() {
        let bound = Set(KeyMap.bindings.map(\.command))
        for command in Command.allCases {
            #expect(bound.contains(command), "no key runs \(command)")
        }
    }

    /// No key means two things on the same screen or dialog.
    @Test func noDuplicateKeyOnOneScreen() {
        for screen in ScreenKind.allCases {
            var seen: [Key: Command] = [:]
            for binding in KeyMap.bindings(on: screen) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(KeyMap.name(key)) is bound twice on \(screen)")
                    seen[key] = binding.command
                }
            }
        }
    }

    /// The help screen lists every binding with its keys and description.
    @Test func helpListsEveryBinding() {
        var state = AppState(context: testContext, size: TerminalSize(width: 120, height: 200), nowMs: fixedNow)
        _ = update(&state, .key(.character("?")))
        #expect(state.route == .help)
        let lines = render(state).lines
        for binding in KeyMap.bindings {
            #expect(
                lines.contains { $0.contains(binding.keyLabel) && $0.contains(binding.description) },
                "help misses \(binding.keyLabel) \(binding.description)")
        }
        #expect(lines.contains { $0.contains(":t NAME") })
    }

    /// Hint lines come from the same table, the screen's own commands first.
    @Test func hintsComeFromTheKeyMap() {
        let hints = KeyMap.hints(for: .messages).map(\.label)
        #expect(hints.first == "filter")
        #expect(hints.contains("follow"))
        #expect(hints.contains("find key"))
        #expect(KeyMap.hints(for: .publish).contains { $0.key == "Ctrl-S" && $0.label.contains("F2") })
        #expect(KeyMap.command(for: .character("g"), on: .messages) == .oldest)
        #expect(KeyMap.command(for: .character("g"), on: .topics) == .top)
        #expect(KeyMap.command(for: .character("q"), on: .publish) == nil)
    }

    /// A screen set up for a key, with keys to press first so the key has something to do.
    struct Fixture {
        var setup: [Key]
        var path: [Key] = []
    }

    static func fixture(for screen: ScreenKind) -> [Key] {
        switch screen {
        case .topics: [.down]
        case .topic: [.character("G"), .enter, .down]  // streams-intro, 3 partitions, cursor in the middle
        case .messages: [.enter, .enter, .up, .up]  // greetings p0, cursor in the middle
        case .groups: [.character(":"), .character("g"), .enter]
        case .group:
            [.character(":"), .character("g"), .character(" ")] + "trading-strategy.xyz".map { .character($0) } + [
                .enter
            ]
        case .broker: [.character(":"), .character("b"), .enter]
        case .help: [.character("?")]
        case .createTopic: [.character("c")]
        case .publish: [.character("p")]
        case .value: [.enter, .enter, .character("V")]  // the long document of longValueBroker()
        case .resetOffsets: fixture(for: .group) + [.character("R")]
        case .resetPreview: fixture(for: .group) + [.character("R"), .enter]
        case .prompt: [.character("/")]
        case .discardChanges: [.character("c"), .character("x"), .escape]
        case .configEditor: [.down, .enter, .character("e"), .down]  // prices, on its second key
        case .configValue: fixture(for: .configEditor) + [.enter]
        case .addPartitions: [.down, .enter, .character("+")]
        case .deleteRecords: [.down, .enter, .character("X")]
        }
    }

    /// Keys that give a command something to act on.
    static func preamble(_ command: Command, on screen: ScreenKind) -> [Key] {
        switch (command, screen) {
        case (.up, _), (.pageUp, _), (.top, _): [.down]
        case (.down, _), (.pageDown, _), (.bottom, _): [.up]
        // The oldest record of greetings is JSON: several lines to scroll.
        case (.scrollDetailUp, .value): [.character("J")]
        case (.scrollDetailDown, .value): []
        // The long document's detail pane.
        case (.scrollDetailUp, _): [.character("v"), .character("J")]
        case (.scrollDetailDown, _): [.character("v")]
        case (.undoReset, _): [.character("R"), .enter, .character("y")]
        case (.previousChoice, .createTopic), (.nextChoice, .createTopic): [.character("a"), .character("b"), .left]
        case (.nextChoice, .deleteRecords): [.left]
        default: []
        }
    }

    /// Every key in the map does something observable on every screen it is bound on.
    @Test func everyBindingDoesSomething() async {
        for screen in ScreenKind.allCases {
            for binding in KeyMap.bindings(on: screen) {
                for key in binding.keys {
                    let scrolls = [.scrollDetailUp, .scrollDetailDown].contains(binding.command)
                    let d = Driver(fake: screen == .value || scrolls ? longValueBroker() : demoBroker())
                    await d.start()
                    await d.press(
                        contentsOf: scrolls && screen == .messages ? [.enter, .enter] : Self.fixture(for: screen))
                    await d.press(contentsOf: Self.preamble(binding.command, on: screen))
                    let before = d.state
                    d.clearEffects()
                    await d.press(key)
                    #expect(
                        d.state != before || !d.effects.isEmpty,
                        "\(KeyMap.name(key)) (\(binding.command)) did nothing on \(screen)")
                }
            }
        }
    }
}

extension Driver {
    func press(contentsOf keys: [Key]) async {
        for key in keys { await send(.key(key)) }
    }
}
