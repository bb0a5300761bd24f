/// A named thing the user can ask for; keys map to commands through ``KeyMap`` (tig style).
public enum Command: String, CaseIterable, Hashable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    case open, back, quit, help, refresh, commandLine
    case filter, sort, toggleInternal
    case createTopic, deleteTopic, publish, allMessages
    case oldest, newest, gotoOffset, gotoTimestamp
    case toggleDetail, cycleFormat, scrollDetailUp, scrollDetailDown, follow, findByKey
    case resetOffsets, undoReset
    case switchList, reverseSort
    case nextField, previousField, previousChoice, nextChoice, submit, send, cancel, confirm, accept
}

/// One row of the key map: keys, the command they run, what it does, and where.
public struct KeyBinding: Hashable, Sendable {
    /// The keys, the first one shown first.
    public var keys: [Key]
    /// The command run.
    public var command: Command
    /// What the command does, for the help screen.
    public var description: String
    /// The screens and dialogs the binding applies to.
    public var screens: [ScreenKind]
    /// A one-word label for the hint line; nil = not in the hint line.
    public var hint: String?

    /// Creates a binding.
    public init(_ keys: [Key], _ command: Command, _ description: String, on screens: [ScreenKind], hint: String? = nil)
    {
        self.keys = keys
        self.command = command
        self.description = description
        self.screens = screens
        self.hint = hint
    }

    /// The keys as a person reads them: `"j ↓"`.
    public var keyLabel: String { keyLabel(glyphs: .unicode) }

    /// The keys as a person reads them, arrows drawn with `glyphs`: `"j ↓"`, `"j Down"`.
    public func keyLabel(glyphs: Glyphs) -> String {
        keys.map { KeyMap.name($0, glyphs: glyphs) }.joined(separator: " ")
    }
}

/// The one table of key bindings. Dispatch, the hint line and the `?` help screen are all
/// generated from it, so they cannot disagree.
public enum KeyMap {
    private static let lists: [ScreenKind] = [.topics, .topic, .groups, .group, .help]
    private static let scrolling: [ScreenKind] = [.topics, .topic, .messages, .groups, .group, .help]
    private static let forms: [ScreenKind] = [.createTopic, .publish, .resetOffsets, .resetPreview, .prompt]

    /// Every binding, in help-screen order.
    public static let bindings: [KeyBinding] = [
        KeyBinding([.up, .character("k")], .up, "move up", on: scrolling),
        KeyBinding([.down, .character("j")], .down, "move down", on: scrolling),
        KeyBinding(
            [.pageUp, .control("b")], .pageUp, "page up (Messages: older records are fetched on demand)",
            on: scrolling),
        KeyBinding(
            [.pageDown, .control("f")], .pageDown, "page down (Messages: newer records are fetched on demand)",
            on: scrolling),
        KeyBinding([.character("g"), .home], .top, "go to the first row (Messages: g = oldest)", on: lists),
        KeyBinding([.character("G"), .end], .bottom, "go to the last row (Messages: G = newest)", on: lists),
        KeyBinding(
            [.enter, .character("l"), .right], .open, "open the selected topic, partition or group",
            on: [.topics, .topic, .groups, .group], hint: "open"),
        KeyBinding([.escape, .character("h"), .left], .back, "go back", on: ScreenKind.browsing, hint: "back"),
        KeyBinding([.character("q"), .control("c")], .quit, "quit Skiff", on: ScreenKind.browsing, hint: "quit"),
        KeyBinding([.control("c")], .quit, "quit Skiff", on: forms),
        KeyBinding([.character("?")], .help, "show or close this help", on: ScreenKind.browsing, hint: "help"),
        KeyBinding(
            [.character("r")], .refresh, "refresh now (the screen also refreshes every 2 s)",
            on: [.topics, .topic, .messages, .groups, .group, .broker]),
        KeyBinding(
            [.character(":")], .commandLine, "jump: :topics :groups :broker :t NAME :g NAME :q",
            on: ScreenKind.browsing, hint: "jump"),
        KeyBinding(
            [.character("/")], .filter, "filter as you type; / again edits it, Esc clears it",
            on: [.topics, .groups, .messages], hint: "filter"),
        KeyBinding([.character("s")], .sort, "cycle the sort column", on: [.topics, .groups], hint: "sort"),
        KeyBinding([.character("S")], .reverseSort, "reverse the sort order", on: [.topics, .groups]),
        KeyBinding([.character("i")], .toggleInternal, "show or hide internal topics", on: [.topics], hint: "internal"),
        KeyBinding([.character("c")], .createTopic, "create a topic", on: [.topics], hint: "create"),
        KeyBinding(
            [.character("d")], .deleteTopic, "delete the selected topic (type its name to confirm)", on: [.topics],
            hint: "delete"),
        KeyBinding(
            [.character("p")], .publish, "publish a message to this topic", on: [.topics, .topic, .messages],
            hint: "publish"),
        KeyBinding(
            [.character("m")], .allMessages, "messages of all partitions, merged by time", on: [.topic],
            hint: "all msgs"),
        KeyBinding(
            [.tab], .switchList, "switch between the partitions and the consuming groups",
            on: [.topic], hint: "groups"),
        KeyBinding([.character("g"), .home], .oldest, "start at the oldest record", on: [.messages], hint: "oldest"),
        KeyBinding([.character("G"), .end], .newest, "start at the newest records", on: [.messages], hint: "newest"),
        KeyBinding([.character("o")], .gotoOffset, "start at an offset", on: [.messages], hint: "offset"),
        KeyBinding([.character("t")], .gotoTimestamp, "start at a time", on: [.messages], hint: "time"),
        KeyBinding(
            [.enter, .character("v")], .toggleDetail, "show or hide the detail pane", on: [.messages], hint: "detail"),
        KeyBinding(
            [.character("x")], .cycleFormat, "detail pane: JSON, then text, then hex", on: [.messages], hint: "format"),
        KeyBinding([.character("K")], .scrollDetailUp, "scroll the detail pane up", on: [.messages]),
        KeyBinding([.character("J")], .scrollDetailDown, "scroll the detail pane down", on: [.messages]),
        KeyBinding([.character("f")], .follow, "follow: live tail of new records", on: [.messages], hint: "follow"),
        KeyBinding(
            [.character("F")], .findByKey, "find by key: search only the key's partition (murmur2)", on: [.messages],
            hint: "find key"),
        KeyBinding(
            [.character("R")], .resetOffsets, "reset offsets (preview first, then confirm)", on: [.group],
            hint: "reset"),
        KeyBinding([.character("u")], .undoReset, "undo the last offset reset", on: [.group], hint: "undo"),
        KeyBinding([.tab], .nextField, "next field", on: [.createTopic, .publish], hint: "next"),
        KeyBinding([.backTab], .previousField, "previous field", on: [.createTopic, .publish]),
        KeyBinding(
            [.left], .previousChoice, "previous choice (cleanup.policy, reset target); else cursor left",
            on: [.createTopic, .resetOffsets]),
        KeyBinding(
            [.right], .nextChoice, "next choice (cleanup.policy, reset target); else cursor right",
            on: [.createTopic, .resetOffsets], hint: "choose"),
        KeyBinding(
            [.enter], .submit, "create the topic / preview the reset", on: [.createTopic, .resetOffsets], hint: "submit"
        ),
        KeyBinding(
            [.control("s"), .function(2)], .send, "send the message (Enter adds a line)", on: [.publish],
            hint: "send (or F2; Enter adds a line)"),
        KeyBinding([.character("y")], .confirm, "write the previewed offsets", on: [.resetPreview], hint: "confirm"),
        KeyBinding(
            [.escape], .cancel, "cancel", on: [.createTopic, .publish, .resetOffsets, .prompt], hint: "cancel"),
        KeyBinding(
            [.escape, .character("n")], .cancel, "back to the reset choices", on: [.resetPreview], hint: "cancel"),
        KeyBinding([.enter], .accept, "accept the prompt", on: [.prompt], hint: "accept"),
    ]

    private static let index: [ScreenKind: [Key: Command]] = {
        var table: [ScreenKind: [Key: Command]] = [:]
        for binding in bindings {
            for screen in binding.screens {
                for key in binding.keys where table[screen]?[key] == nil {
                    table[screen, default: [:]][key] = binding.command
                }
            }
        }
        return table
    }()

    /// The command `key` runs on `screen`, if any.
    public static func command(for key: Key, on screen: ScreenKind) -> Command? {
        index[screen]?[key]
    }

    /// The bindings that apply to `screen`, in table order.
    public static func bindings(on screen: ScreenKind) -> [KeyBinding] {
        bindings.filter { $0.screens.contains(screen) }
    }

    /// The hint line for `screen`: the screen's own commands first, then the everywhere ones;
    /// arrow keys drawn with `glyphs`.
    public static func hints(for screen: ScreenKind, glyphs: Glyphs = .unicode) -> [(key: String, label: String)] {
        let all = bindings(on: screen).filter { $0.hint != nil }
        let common: Set<Command> = [.back, .quit, .help, .commandLine]
        let ordered = all.filter { !common.contains($0.command) } + all.filter { common.contains($0.command) }
        return ordered.map { (name($0.keys[0], glyphs: glyphs), $0.hint!) }
    }

    /// How a key is written in hints and help; arrow keys drawn with `glyphs`.
    public static func name(_ key: Key, glyphs: Glyphs = .unicode) -> String {
        switch key {
        case .character(let c): c == " " ? "Space" : String(c)
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: glyphs.upKey
        case .down: glyphs.downKey
        case .left: glyphs.leftKey
        case .right: glyphs.rightKey
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let n): "F\(n)"
        case .control(let c): "Ctrl-\(String(c).uppercased())"
        case .resize: "resize"
        }
    }
}
