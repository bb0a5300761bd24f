/// A named thing the user can ask for; keys map to commands through ``KeyMap`` (tig style).
public enum Command: String, CaseIterable, Hashable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    case open, back, quit, help, refresh, commandLine
    case filter, sort, toggleInternal
    case createTopic, deleteTopic, publish, allMessages
    case oldest, newest, gotoOffset, gotoTimestamp
    case toggleDetail, cycleFormat, scrollDetailUp, scrollDetailDown, follow, findByKey, searchTopic
    case fullScreenValue, toggleKeyHex, toggleUTC, copy, save, markRange, republish
    case resetOffsets, undoReset
    case switchList, reverseSort
    case nextField, previousField, previousChoice, nextChoice, submit, send, cancel, confirm, accept
    case toggleNullValue, editConfig, addPartitions, deleteRecords, deleteGroup, revertConfig
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
    private static let lists: [ScreenKind] = [.topics, .topic, .groups, .group, .help, .value]
    private static let scrolling: [ScreenKind] = [.topics, .topic, .messages, .groups, .group, .help, .value]

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
        KeyBinding([.control("c")], .quit, "quit Skiff", on: [.prompt]),
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
            [.character("x")], .cycleFormat, "value as JSON, then text, then hex", on: [.messages, .value],
            hint: "format"),
        KeyBinding([.character("X")], .toggleKeyHex, "key as hex bytes, or as text", on: [.messages, .value]),
        KeyBinding([.character("K")], .scrollDetailUp, "scroll the detail pane up a line", on: [.messages, .value]),
        KeyBinding(
            [.character("J")], .scrollDetailDown, "scroll the detail pane down a line", on: [.messages, .value]),
        KeyBinding(
            [.character("V")], .fullScreenValue, "the selected record's value on the whole screen",
            on: [.messages]),
        KeyBinding(
            [.character("y")], .copy, "copy to the clipboard (OSC 52): then v value, k key, r record as JSON",
            on: [.messages, .value]),
        KeyBinding(
            [.character("w")], .save, "save the record, or the marked range, to a file of JSON lines",
            on: [.messages, .value]),
        KeyBinding(
            [.character(" ")], .markRange, "mark where a range starts (w saves mark to cursor); again unmarks",
            on: [.messages]),
        KeyBinding(
            [.character("P")], .republish, "publish this record again (the form opens filled in)",
            on: [.messages, .value]),
        KeyBinding([.character("f")], .follow, "follow: live tail of new records", on: [.messages], hint: "follow"),
        KeyBinding(
            [.character("F")], .findByKey, "find by key: the broker searches the key's whole partition (murmur2)",
            on: [.messages], hint: "find key"),
        KeyBinding(
            [.character("s")], .searchTopic,
            "search on the broker: key=K key:part value:text header:name[=text] from:/to: (Esc cancels)",
            on: [.messages], hint: "search"),
        KeyBinding(
            [.character("R")], .resetOffsets, "reset offsets (preview first, then confirm)", on: [.group],
            hint: "reset"),
        KeyBinding([.character("u")], .undoReset, "undo the last offset reset", on: [.group], hint: "undo"),
        // Managing topics and groups.
        KeyBinding([.character("e")], .editConfig, "edit the topic's config", on: [.topic], hint: "config"),
        KeyBinding([.character("+")], .addPartitions, "add partitions", on: [.topic], hint: "partitions"),
        KeyBinding(
            [.character("X")], .deleteRecords, "purge: delete records before an offset (confirmed by name)",
            on: [.topic], hint: "purge"),
        KeyBinding(
            [.character("d")], .deleteGroup, "delete the group and its offsets (type its name to confirm)",
            on: [.groups, .group], hint: "delete"),
        KeyBinding(
            [.character("z")], .toggleUTC, "times in UTC, or in local time (the zone is shown)",
            on: [.topic, .messages, .group, .value]),

        // The create-topic form.
        KeyBinding([.tab], .nextField, "next field", on: [.createTopic], hint: "next"),
        KeyBinding([.backTab], .previousField, "previous field", on: [.createTopic]),
        KeyBinding(
            [.left], .previousChoice, "cleanup.policy: previous policy; in a field: cursor left", on: [.createTopic]),
        KeyBinding(
            [.right], .nextChoice, "cleanup.policy: next policy; in a field: cursor right", on: [.createTopic],
            hint: "choose"),
        KeyBinding([.enter], .submit, "create the topic (once the form is valid)", on: [.createTopic], hint: "create"),
        KeyBinding(
            [.escape, .control("c")], .cancel, "close the form (asks first when something was typed)",
            on: [.createTopic], hint: "cancel"),

        // The publish form.
        KeyBinding([.tab], .nextField, "next field", on: [.publish], hint: "next"),
        KeyBinding([.backTab], .previousField, "previous field", on: [.publish]),
        KeyBinding(
            [.control("s"), .function(2)], .send, "send the message (Enter adds a line)", on: [.publish],
            hint: "send (or F2; Enter adds a line)"),
        KeyBinding(
            [.control("n")], .toggleNullValue, "value: null (a tombstone), or back to the typed text", on: [.publish],
            hint: "null value"),
        KeyBinding(
            [.escape, .control("c")], .cancel, "close the form (asks first when something was typed)", on: [.publish],
            hint: "cancel"),

        // The reset-offsets dialog.
        KeyBinding(
            [.tab], .nextField, "next row: target, value, topic, partitions", on: [.resetOffsets], hint: "next row"),
        KeyBinding([.backTab], .previousField, "previous row", on: [.resetOffsets]),
        KeyBinding(
            [.left], .previousChoice, "target/topic row: previous choice; in a field: cursor left",
            on: [.resetOffsets]),
        KeyBinding(
            [.right], .nextChoice, "target/topic row: next choice; in a field: cursor right",
            on: [.resetOffsets], hint: "choose"),
        KeyBinding(
            [.enter], .submit, "preview what would change (nothing is written yet)", on: [.resetOffsets],
            hint: "preview"),
        KeyBinding([.escape, .control("c")], .cancel, "close the dialog", on: [.resetOffsets], hint: "cancel"),
        KeyBinding([.character("y")], .confirm, "write the previewed offsets", on: [.resetPreview], hint: "confirm"),
        KeyBinding(
            [.escape, .character("n"), .control("c")], .cancel, "back to the reset choices", on: [.resetPreview],
            hint: "back"),

        // Esc on a changed form.
        KeyBinding(
            [.character("y"), .control("c")], .confirm, "discard what was typed and close", on: [.discardChanges],
            hint: "discard"),
        KeyBinding([.character("n"), .escape], .cancel, "keep editing", on: [.discardChanges], hint: "keep editing"),

        // The topic config editor.
        KeyBinding([.up, .character("k")], .up, "previous key", on: [.configEditor]),
        KeyBinding([.down, .character("j")], .down, "next key", on: [.configEditor]),
        KeyBinding([.enter, .character("e")], .submit, "edit the key's value", on: [.configEditor], hint: "edit"),
        KeyBinding(
            [.character("d")], .revertConfig, "back to the broker default (drop this topic's value)",
            on: [.configEditor], hint: "default"),
        KeyBinding([.escape, .control("c")], .cancel, "close the editor", on: [.configEditor], hint: "close"),
        KeyBinding([.enter], .submit, "set the key to the typed value", on: [.configValue], hint: "set"),
        KeyBinding(
            [.escape, .control("c")], .cancel, "back to the keys (asks first when something was typed)",
            on: [.configValue], hint: "cancel"),

        // The add-partitions dialog.
        KeyBinding([.enter], .submit, "add the partitions", on: [.addPartitions], hint: "add"),
        KeyBinding([.escape, .control("c")], .cancel, "close the dialog", on: [.addPartitions], hint: "cancel"),

        // The delete-records dialog.
        KeyBinding([.tab], .nextField, "next field", on: [.deleteRecords], hint: "next"),
        KeyBinding([.backTab], .previousField, "previous field", on: [.deleteRecords]),
        KeyBinding(
            [.left], .previousChoice, "partitions row: previous choice; in the offset: cursor left",
            on: [.deleteRecords]),
        KeyBinding(
            [.right], .nextChoice, "partitions row: next choice; in the offset: cursor right",
            on: [.deleteRecords], hint: "choose"),
        KeyBinding(
            [.enter], .submit, "type the topic's name to confirm, then the records go",
            on: [.deleteRecords], hint: "delete"),
        KeyBinding([.escape, .control("c")], .cancel, "close the dialog", on: [.deleteRecords], hint: "cancel"),

        // Prompts.
        KeyBinding([.escape], .cancel, "cancel", on: [.prompt], hint: "cancel"),
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
        case .terminate: "SIGTERM"
        case .paste: "paste"
        }
    }
}
