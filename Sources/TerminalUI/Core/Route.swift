/// One place in the UI; the navigation stack is a list of them (Esc pops).
public enum Route: Hashable, Sendable {
    /// The topic list (the start screen, the root of the stack).
    case topics
    /// One topic: config, partitions, consuming groups.
    case topic(String)
    /// Records of one partition, or of all partitions merged by timestamp (`partition` nil).
    case messages(topic: String, partition: Int32?)
    /// The consumer group list.
    case groups
    /// One consumer group: members and lag per partition.
    case group(String)
    /// The broker's identity, disk and throughput.
    case broker
    /// The help screen, generated from the key map.
    case help
    /// The create-topic form.
    case createTopic
    /// The publish-message form.
    case publish
    /// One record's key, headers and value on the whole screen (`V` on the messages screen).
    case value(partition: Int32, offset: Int64)

    /// Which key-map screen this route is.
    public var kind: ScreenKind {
        switch self {
        case .topics: .topics
        case .topic: .topic
        case .messages: .messages
        case .groups: .groups
        case .group: .group
        case .broker: .broker
        case .help: .help
        case .createTopic: .createTopic
        case .publish: .publish
        case .value: .value
        }
    }

    /// The route's part of the screen path in the title bar.
    public var title: String {
        switch self {
        case .topics: "Topics"
        case .topic(let name): name
        case .messages(_, let partition): partition.map { "Messages p\($0)" } ?? "Messages (all partitions)"
        case .groups: "Groups"
        case .group(let id): id
        case .broker: "Broker"
        case .help: "Help"
        case .createTopic: "Create topic"
        case .publish: "Publish"
        case .value(let partition, let offset): "p\(partition) offset \(offset)"
        }
    }
}

/// The screens (and dialogs) key bindings apply to.
public enum ScreenKind: String, CaseIterable, Hashable, Sendable {
    case topics, topic, messages, groups, group, broker, help
    /// The full-screen value view.
    case value
    /// The create-topic form.
    case createTopic
    /// The publish-message form.
    case publish
    /// The reset-offsets dialog while choosing a target.
    case resetOffsets
    /// The reset-offsets dialog while showing the dry-run preview.
    case resetPreview
    /// A one-line prompt at the bottom: `:` commands, `/` filters, offsets, times, keys, delete confirmation.
    case prompt
    /// A changed form (or config value) after Esc: "discard changes? y/n".
    case discardChanges
    /// The topic config editor, choosing a key.
    case configEditor
    /// The topic config editor, typing a key's new value.
    case configValue
    /// The add-partitions dialog.
    case addPartitions
    /// The delete-records (purge) dialog.
    case deleteRecords

    /// The screens with a list to browse (everything but forms, dialogs and prompts).
    public static let browsing: [ScreenKind] = [.topics, .topic, .messages, .groups, .group, .broker, .help, .value]

    /// A heading for the help screen.
    public var heading: String {
        switch self {
        case .topics: "Topics"
        case .topic: "Topic"
        case .messages: "Messages"
        case .groups: "Consumer groups"
        case .group: "Group"
        case .broker: "Broker"
        case .help: "Help"
        case .value: "Value view (V)"
        case .createTopic: "Create topic form"
        case .publish: "Publish form"
        case .resetOffsets: "Reset offsets dialog"
        case .resetPreview: "Reset offsets preview"
        case .prompt: "Prompts (: / o t F d)"
        case .discardChanges: "Discard changes? (Esc on a changed form)"
        case .configEditor: "Topic config editor (e)"
        case .configValue: "Topic config editor, editing a value"
        case .addPartitions: "Add partitions dialog (+)"
        case .deleteRecords: "Delete records dialog (X)"
        }
    }
}
