import AdminClient
import AdminProtocol

/// Whether the broker answers.
public enum ConnectionState: Hashable, Sendable {
    /// Nothing has answered yet.
    case connecting
    /// The last request reached the broker.
    case connected
    /// The broker is unreachable; the visible screen is reloaded at `retryAtMs` (with backoff).
    case disconnected(reason: String, attempt: Int, retryAtMs: Int64)

    /// Whether the disconnected banner is shown.
    public var isDisconnected: Bool {
        if case .disconnected = self { return true }
        return false
    }
}

/// A message in the status bar that goes away by itself.
public struct StatusMessage: Hashable, Sendable {
    /// The words.
    public var text: String
    /// Shown in the error role (the broker's errors, refusals).
    public var isError: Bool
    /// When it disappears.
    public var expiresAtMs: Int64
}

/// A one-line prompt at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
    /// What the typed text is for.
    public enum Kind: Hashable, Sendable {
        /// `:` — jump somewhere.
        case command
        /// `/` — filter the visible list as you type.
        case filter
        /// `d` — type the topic's name to delete it.
        case deleteTopic(String)
        /// `o` — start at an offset.
        case gotoOffset
        /// `t` — start at a time.
        case gotoTimestamp
        /// `F` — find a key.
        case findKey
        /// `s` — search the topic on the broker.
        case search
        /// `w` — the file to save records to.
        case save(SaveRequest)
        /// `d` on a group — type the group's id to delete it.
        case deleteGroup(String)
        /// The delete-records dialog's confirmation — type the topic's name; `summary` says what goes.
        case deleteRecords(topic: String, partitions: [DeleteRecordsPartition], summary: String)
    }

    /// What the prompt is for.
    public var kind: Kind
    /// The text typed so far.
    public var field: TextField
    /// Why the last Enter was refused.
    public var error: String?
    /// A `:` jump waiting for the topic or group list, to check the name before going there.
    public var checking: [Route]?

    /// The label before the text.
    public var label: String {
        switch kind {
        case .command: ":"
        case .filter: "/"
        case .deleteTopic(let name): "delete topic '\(name)'? type its name to confirm: "
        case .gotoOffset: "start at offset (-N: the last N): "
        case .gotoTimestamp: "start at time: "
        case .findKey: "find key: "
        case .search: "search: "
        case .save(let request): "save \(request.summary) to file: "
        case .deleteGroup(let id): "delete group '\(id)' and its committed offsets? type its name to confirm: "
        case .deleteRecords(_, _, let summary): "\(summary)? type its name: "
        }
    }
}

/// The whole UI state: the navigation stack, each screen's data and cursor, forms, prompt,
/// connection and status. Pure data; only ``update(_:_:)`` changes it.
public struct AppState: Hashable, Sendable {
    /// Where the app is connected and how.
    public var context: AppContext
    /// The terminal size the layout is computed for.
    public var size: TerminalSize
    /// The wall clock at the last tick, in milliseconds since the epoch.
    public var nowMs: Int64
    /// The symbols the terminal can show (Unicode, or ASCII in a locale that is not UTF-8),
    /// chosen once at start.
    public var glyphs: Glyphs
    /// The navigation stack; never empty, `.topics` at the bottom.
    public internal(set) var stack: [Route] = [.topics]
    /// Whether the broker answers.
    public internal(set) var connection: ConnectionState = .connecting
    /// The status-bar message.
    public internal(set) var message: StatusMessage?
    /// The prompt being typed, if any.
    public internal(set) var prompt: Prompt?
    /// Set when the user quit; the run loop then stops.
    public internal(set) var quitting = false

    /// The topic list.
    public internal(set) var topics = TopicsState()
    /// The topic screen, while it is on the stack.
    public internal(set) var topic: TopicState?
    /// The messages screen, while it is on the stack.
    public internal(set) var messages: MessagesState?
    /// The group list.
    public internal(set) var groups = GroupsState()
    /// The group screen, while it is on the stack.
    public internal(set) var group: GroupState?
    /// The broker screen.
    public internal(set) var broker = BrokerState()
    /// The help screen's scroll position.
    public internal(set) var helpScroll = 0
    /// The create-topic form, while it is open.
    public internal(set) var createTopicForm: CreateTopicForm?
    /// The publish form, while it is open.
    public internal(set) var publishForm: PublishForm?
    /// The full-screen value view, while it is open.
    public internal(set) var valueView: ValueViewState?
    /// Whether times are shown (and typed times read) in UTC rather than local time (`z`).
    public internal(set) var timesInUTC = false
    /// Whether the next key chooses what `y` copies (value, key or record).
    public internal(set) var choosingCopy = false
    /// The dialog over the topic screen (config, partitions, delete records), while one is open.
    public internal(set) var dialog: Dialog?

    /// Loads in flight (deduplicated, so a slow broker never piles up refreshes).
    public internal(set) var pendingLoads: Set<Effect> = []
    /// When the visible screen was last refreshed.
    public internal(set) var lastRefreshMs: Int64 = 0
    /// Ids for fetches, searches and subscriptions.
    var nextId = 1

    /// A fresh state on the topic list, drawn with `glyphs`.
    public init(context: AppContext, size: TerminalSize, nowMs: Int64, glyphs: Glyphs = .unicode) {
        self.context = context
        self.size = size
        self.nowMs = nowMs
        self.glyphs = glyphs
        self.lastRefreshMs = nowMs
    }

    /// The visible route.
    public var route: Route { stack[stack.count - 1] }

    /// Whether the terminal is below the 80×24 minimum.
    public var isTooSmall: Bool { size.width < 80 || size.height < 24 }

    /// The zone times are shown and read in: UTC, or local time (``AppContext/utcOffsetSeconds``).
    public var utcOffsetSeconds: Int { timesInUTC ? 0 : context.utcOffsetSeconds }

    /// The screen layout for the current size and banner.
    public var layout: Layout { Layout(size: size, banner: connection.isDisconnected) }

    mutating func makeId() -> Int {
        defer { nextId += 1 }
        return nextId
    }
}

/// Where the app is connected, shown in the title and status bars.
public struct AppContext: Hashable, Sendable {
    /// The broker's address as the user named it (`127.0.0.1:9292`).
    public var brokerAddress: String
    /// The data directory of the bundled broker when it runs in-process; nil for a remote broker.
    public var dataDirectory: String?
    /// Whether write commands (create, delete, publish, reset) are refused.
    public var readOnly: Bool
    /// How often the visible screen refreshes by itself, in milliseconds.
    public var autoRefreshMs: Int64
    /// The offset of local time from UTC, for showing and parsing timestamps.
    public var utcOffsetSeconds: Int

    /// Creates a context.
    public init(
        brokerAddress: String, dataDirectory: String? = nil, readOnly: Bool = false, autoRefreshMs: Int64 = 2_000,
        utcOffsetSeconds: Int = 0
    ) {
        self.brokerAddress = brokerAddress
        self.dataDirectory = dataDirectory
        self.readOnly = readOnly
        self.autoRefreshMs = autoRefreshMs
        self.utcOffsetSeconds = utcOffsetSeconds
    }
}

/// Where a screen's rows go for a terminal size: the title bar on row 0, an optional
/// disconnected banner on row 1, the hint line and the status bar on the last two rows.
public struct Layout: Hashable, Sendable {
    /// The terminal size.
    public var size: TerminalSize
    /// Whether the disconnected banner takes a row.
    public var banner: Bool

    /// The first content row.
    public var contentTop: Int { banner ? 2 : 1 }
    /// The row after the last content row (the hint line).
    public var contentBottom: Int { max(contentTop, size.height - 2) }
    /// Content rows.
    public var contentHeight: Int { contentBottom - contentTop }
}

/// Keeps `cursor` inside `0..<count` and `scroll` so that the cursor row is visible in `height` rows.
func clampList(cursor: inout Int, scroll: inout Int, count: Int, height: Int) {
    cursor = count == 0 ? 0 : min(max(0, cursor), count - 1)
    let h = max(1, height)
    if cursor < scroll { scroll = cursor }
    if cursor >= scroll + h { scroll = cursor - h + 1 }
    scroll = max(0, min(scroll, max(0, count - h)))
}
