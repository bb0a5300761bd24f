import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import SkiffText

/// `skiff topic …`: list, describe, create, delete, alter and grow topics, and delete their records.
struct TopicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic",
        abstract: "List, describe, create, delete and change topics.",
        subcommands: [
            TopicList.self, TopicDescribe.self, TopicCreate.self, TopicDelete.self, TopicAlter.self,
            TopicAddPartitions.self, TopicDeleteRecords.self,
        ])
}

/// `skiff topic list`.
struct TopicList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List topics with partitions, messages, size, last write and groups.")

    @OptionGroup var options: ClientOptions

    @Flag(help: "Include internal topics (__consumer_offsets).")
    var `internal` = false

    struct Row: Encodable {
        var name: String
        var partitions: Int32
        var messages: Int64
        var sizeBytes: Int64
        var lastWriteTime: Int64?
        var `internal`: Bool
        var groups: [String]
    }

    mutating func run() async throws {
        let includeInternal = self.internal
        let topics = try await options.withClient { try await $0.listTopics(includeInternal: includeInternal) }
        if options.json {
            try JSON.print(
                topics.map {
                    Row(
                        name: $0.name, partitions: $0.partitionCount, messages: $0.messageCount,
                        sizeBytes: $0.sizeBytes, lastWriteTime: JSON.time($0.lastWriteTimeMs),
                        internal: $0.isInternal, groups: $0.consumerGroups)
                })
            return
        }
        guard !topics.isEmpty else {
            Console.error("no topics yet; create one with `skiff topic create NAME`")
            return
        }
        var table = Table([
            ("NAME", .left), ("PARTITIONS", .right), ("MESSAGES", .right), ("SIZE", .right), ("LAST WRITE", .left),
            ("GROUPS", .left),
        ])
        let now = WallClock.nowMs()
        for t in topics {
            table.add([
                t.name, "\(t.partitionCount)", Format.count(t.messageCount), Format.bytes(t.sizeBytes),
                Format.ago(t.lastWriteTimeMs, now: now),
                t.consumerGroups.isEmpty ? "-" : t.consumerGroups.joined(separator: ","),
            ])
        }
        table.print()
    }
}

/// `skiff topic describe T`.
struct TopicDescribe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a topic's config, its partitions with watermarks, and the groups consuming it.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    struct Output: Encodable {
        struct Config: Encodable {
            var key: String
            var value: String
            var isDefault: Bool
        }
        struct Partition: Encodable {
            var partition: Int32
            var leader: Int32
            var replicas: [Int32]
            var isr: [Int32]
            var logStartOffset: Int64
            var highWatermark: Int64
            var messages: Int64
            var sizeBytes: Int64
            var firstTimestamp: Int64?
            var lastTimestamp: Int64?
        }
        struct Group: Encodable {
            var groupId: String
            var state: String
            var lag: Int64
        }
        var name: String
        var topicId: String
        var `internal`: Bool
        var config: [Config]
        var partitions: [Partition]
        var consumerGroups: [Group]
    }

    mutating func run() async throws {
        let name = topic
        let d = try await options.withClient { try await $0.describeTopic(name) }
        if options.json {
            try JSON.print(
                Output(
                    name: d.name, topicId: d.topicId, internal: d.isInternal,
                    config: d.config.map { .init(key: $0.key, value: $0.value, isDefault: $0.isDefault) },
                    partitions: d.partitions.map {
                        .init(
                            partition: $0.partition, leader: $0.leader, replicas: $0.replicas,
                            isr: $0.inSyncReplicas, logStartOffset: $0.logStartOffset,
                            highWatermark: $0.highWatermark, messages: $0.highWatermark - $0.logStartOffset,
                            sizeBytes: $0.sizeBytes, firstTimestamp: JSON.time($0.firstTimestampMs),
                            lastTimestamp: JSON.time($0.lastTimestampMs))
                    },
                    consumerGroups: d.consumerGroups.map { .init(groupId: $0.groupId, state: $0.state, lag: $0.lag) }))
            return
        }
        let messages = d.partitions.reduce(Int64(0)) { $0 + $1.highWatermark - $1.logStartOffset }
        Console.line(
            "Topic: \(SafeText.escape(d.name))  Id: \(d.topicId)  Partitions: \(d.partitions.count)  Messages: \(Format.count(messages))\(d.isInternal ? "  (internal)" : "")"
        )
        Console.line("")
        var config = Table([("CONFIG", .left), ("VALUE", .left), ("SOURCE", .left)])
        for entry in d.config {
            config.add([
                entry.key, Format.configValue(entry.value, key: entry.key), entry.isDefault ? "default" : "topic",
            ])
        }
        config.print()
        Console.line("")
        var partitions = Table([
            ("PARTITION", .right), ("LEADER", .right), ("REPLICAS", .left), ("ISR", .left), ("LOW", .right),
            ("HIGH", .right), ("MESSAGES", .right), ("SIZE", .right), ("FIRST", .left), ("LAST", .left),
        ])
        for p in d.partitions {
            partitions.add([
                "\(p.partition)", "\(p.leader)", p.replicas.map(String.init).joined(separator: ","),
                p.inSyncReplicas.map(String.init).joined(separator: ","), "\(p.logStartOffset)", "\(p.highWatermark)",
                Format.count(p.highWatermark - p.logStartOffset), Format.bytes(p.sizeBytes),
                Format.iso8601(p.firstTimestampMs), Format.iso8601(p.lastTimestampMs),
            ])
        }
        partitions.print()
        Console.line("")
        if d.consumerGroups.isEmpty {
            Console.line("No consumer groups on this topic.")
        } else {
            var groups = Table([("GROUP", .left), ("STATE", .left), ("LAG", .right)])
            for g in d.consumerGroups {
                groups.add([g.groupId, g.state, Format.count(g.lag)])
            }
            groups.print()
        }
    }
}

/// `skiff topic create T --partitions N [--config k=v …] [--validate-only]`.
struct TopicCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a topic.",
        discussion: "Topic names are 1 to 249 characters of ASCII letters, digits, '.', '_' and '-' (Kafka's rule).")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The new topic's name.")
    var topic: String

    @Option(help: "Number of partitions (1 to 10,000).")
    var partitions: Int32 = 1

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("A topic config entry, e.g. retention.ms=86400000; repeatable.", valueName: "key=value"),
        transform: { try KeyValue.parse($0) })
    var config: [KeyValue] = []

    @Flag(name: .customLong("validate-only"), help: "Check that the topic could be created; create nothing.")
    var validateOnly = false

    struct Output: Encodable {
        var topic: String
        var topicId: String?
        var partitions: Int32
        var config: [String: String]
        var validateOnly: Bool
    }

    func validate() throws {
        guard partitions >= 1 else {
            throw ValidationError("--partitions must be at least 1, got \(partitions)")
        }
        _ = try KeyValue.dictionary(config, option: "--config")
    }

    mutating func run() async throws {
        let (name, count, validateOnly) = (topic, partitions, self.validateOnly)
        let config = try KeyValue.dictionary(self.config, option: "--config")
        let id = try await options.withClient {
            try await $0.createTopic(name, partitions: count, config: config, validateOnly: validateOnly)
        }
        if options.json {
            try JSON.print(
                Output(
                    topic: name, topicId: validateOnly ? nil : id, partitions: count, config: config,
                    validateOnly: validateOnly))
        } else if validateOnly {
            Console.line("topic '\(name)' with \(count) partition\(count == 1 ? "" : "s") is valid (nothing created)")
        } else {
            Console.line("created topic '\(name)' with \(count) partition\(count == 1 ? "" : "s") (id \(id))")
        }
    }
}

/// `skiff topic delete T`.
struct TopicDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a topic, its records and the offsets groups committed on it.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    mutating func run() async throws {
        let name = topic
        try await options.withClient { try await $0.deleteTopic(name) }
        if options.json {
            try JSON.print(["deleted": name])
        } else {
            Console.line("deleted topic '\(SafeText.escape(name))'")
        }
    }
}

/// `skiff topic alter T --config k=v … [--delete-config k …]`.
struct TopicAlter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alter", abstract: "Set topic config entries, or return them to their defaults.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("A config entry to set, e.g. retention.ms=86400000; repeatable.", valueName: "key=value"),
        transform: { try KeyValue.parse($0) })
    var config: [KeyValue] = []

    @Option(
        name: .customLong("delete-config"),
        help: ArgumentHelp("A config key to return to its default; repeatable.", valueName: "key"))
    var deleteConfig: [String] = []

    func validate() throws {
        guard !config.isEmpty || !deleteConfig.isEmpty else {
            throw ValidationError("nothing to change: give --config key=value or --delete-config key")
        }
        let set = try KeyValue.dictionary(config, option: "--config")
        if let both = deleteConfig.first(where: { set[$0] != nil }) {
            throw ValidationError("'\(SafeText.escape(both))' is both set (--config) and deleted (--delete-config)")
        }
    }

    mutating func run() async throws {
        let (name, delete) = (topic, deleteConfig)
        let set = try KeyValue.dictionary(config, option: "--config")
        try await options.withClient { try await $0.alterTopicConfig(name, set: set, delete: delete) }
        if options.json {
            try JSON.print(TopicAlterOutput(topic: name, set: set, deleted: delete))
        } else {
            Console.line("updated the config of topic '\(SafeText.escape(name))'")
        }
    }
}

private struct TopicAlterOutput: Encodable {
    var topic: String
    var set: [String: String]
    var deleted: [String]
}

/// `skiff topic add-partitions T N`.
struct TopicAddPartitions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-partitions",
        abstract: "Grow a topic to N partitions in total.",
        discussion: "Keys hash to new partitions from then on, as in Kafka; existing records do not move.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Argument(help: "The new total number of partitions (more than it has now).")
    var count: Int32

    func validate() throws {
        guard count >= 1 else { throw ValidationError("the partition count must be at least 1, got \(count)") }
    }

    mutating func run() async throws {
        let (name, count) = (topic, self.count)
        try await options.withClient { try await $0.addPartitions(name, totalCount: count) }
        if options.json {
            try JSON.print(TopicAddPartitionsOutput(topic: name, partitions: count))
        } else {
            Console.line("topic '\(SafeText.escape(name))' now has \(count) partitions")
        }
    }
}

private struct TopicAddPartitionsOutput: Encodable {
    var topic: String
    var partitions: Int32
}

/// `skiff topic delete-records T [--partition P …] --offset N`: Kafka's kafka-delete-records.sh.
struct TopicDeleteRecords: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-records",
        abstract: "Delete a topic's records before an offset: move partitions' low watermarks forward.",
        discussion: """
            Every --partition (every partition of the topic when none is given) gets its low watermark \
            moved to --offset, as kafka-delete-records.sh does; -1 is each partition's high watermark, \
            which deletes all of its records. Records before the new low watermark can no longer be \
            read. An offset at or below a partition's low watermark changes nothing. Each partition \
            succeeds or fails on its own; the command exits non-zero when one failed.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The topic.")
    var topic: String

    @Option(
        name: .customLong("partition"),
        help: ArgumentHelp("A partition to delete records from; repeatable (default: every partition).", valueName: "p")
    )
    var partitions: [Int32] = []

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The new low watermark: the records before it are deleted; -1 = the high watermark (all records).",
            valueName: "n"))
    var offset: Int64

    struct Output: Encodable {
        struct Partition: Encodable {
            var partition: Int32
            var lowWatermark: Int64?
            var error: String?
            var message: String?
        }
        var topic: String
        var offset: Int64
        var partitions: [Partition]
    }

    func validate() throws {
        guard offset >= -1 else {
            throw ValidationError("--offset must be 0 or more, or -1 for the high watermark; got \(offset)")
        }
        if let negative = partitions.first(where: { $0 < 0 }) {
            throw ValidationError("--partition must be 0 or more, got \(negative)")
        }
        var seen = Set<Int32>()
        if let twice = partitions.first(where: { !seen.insert($0).inserted }) {
            throw ValidationError("--partition \(twice) is given more than once")
        }
    }

    mutating func run() async throws {
        let (name, offset, chosen) = (topic, self.offset, partitions)
        let results = try await options.withClient { client in
            var partitions = chosen
            if partitions.isEmpty {
                partitions = try await client.describeTopic(name).partitions.map(\.partition)
            }
            return try await client.deleteRecords(
                topic: name, partitions: partitions.map { DeleteRecordsPartition(partition: $0, offset: offset) })
        }
        let failed = results.filter { !$0.isSuccess }
        if options.json {
            try JSON.print(
                Output(
                    topic: name, offset: offset,
                    partitions: results.map {
                        $0.isSuccess
                            ? .init(partition: $0.partition, lowWatermark: $0.lowWatermark)
                            : .init(
                                partition: $0.partition,
                                error: $0.knownErrorCode?.name ?? "\($0.errorCode)", message: $0.errorMessage)
                    }))
        } else {
            var table = Table([("PARTITION", .right), ("LOW WATERMARK", .right), ("ERROR", .left)])
            for r in results {
                table.add([
                    "\(r.partition)", r.isSuccess ? "\(r.lowWatermark)" : "-", r.isSuccess ? "-" : r.errorMessage,
                ])
            }
            table.print()
        }
        guard failed.isEmpty else {
            let which = failed.map { "\($0.partition)" }.joined(separator: ", ")
            throw CLIError(
                "\(failed.count) of \(results.count) partitions of '\(SafeText.escape(name))' failed (\(which)): \(SafeText.escape(failed[0].errorMessage))"
            )
        }
    }
}
