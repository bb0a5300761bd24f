import AdminClient
import AdminProtocol
import ArgumentParser
import Foundation
import SkiffText

/// `skiff group …`: list, describe, reset and delete consumer groups.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "List, describe, reset and delete consumer groups.",
        subcommands: [GroupList.self, GroupDescribe.self, GroupReset.self, GroupDelete.self])
}

/// `skiff group list`.
struct GroupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List consumer groups with state, members, topics and total lag.")

    @OptionGroup var options: ClientOptions

    struct Row: Encodable {
        var groupId: String
        var state: String
        var members: Int32
        var topics: [String]
        var lag: Int64
    }

    mutating func run() async throws {
        let groups = try await options.withClient { try await $0.listGroups() }
        if options.json {
            try JSON.print(
                groups.map {
                    Row(
                        groupId: $0.groupId, state: $0.state, members: $0.memberCount, topics: $0.topics,
                        lag: $0.totalLag)
                })
            return
        }
        guard !groups.isEmpty else {
            Console.error("no consumer groups yet; `skiff consume TOPIC --group NAME` starts one")
            return
        }
        var table = Table([("GROUP", .left), ("STATE", .left), ("MEMBERS", .right), ("TOPICS", .left), ("LAG", .right)])
        for g in groups {
            table.add([
                g.groupId, g.state, "\(g.memberCount)", g.topics.isEmpty ? "-" : g.topics.joined(separator: ","),
                Format.count(g.totalLag),
            ])
        }
        table.print()
    }
}

/// `skiff group describe G`.
struct GroupDescribe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a group's members and, per partition, committed offset, lag and time lag.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The consumer group.")
    var group: String

    struct Output: Encodable {
        struct Member: Encodable {
            var memberId: String
            var clientId: String
            var host: String
            var sessionTimeoutMs: Int32
            var topics: [String]
            var assignment: [TopicPartitionJSON]
            var lastHeartbeat: Int64?
        }
        struct Partition: Encodable {
            var topic: String
            var partition: Int32
            var committedOffset: Int64?
            var logStartOffset: Int64?
            var highWatermark: Int64?
            var lag: Int64?
            var timeLagMs: Int64?
            var memberId: String?
            var commitTimestamp: Int64?
            var metadata: String
        }
        var groupId: String
        var state: String
        var generation: Int32
        var assignor: String
        var leaderId: String?
        var members: [Member]
        var partitions: [Partition]
        var totalLag: Int64
    }

    mutating func run() async throws {
        let id = group
        let d = try await options.withClient { try await $0.describeGroup(id) }
        if options.json {
            try JSON.print(
                Output(
                    groupId: d.groupId, state: d.state, generation: d.generation, assignor: d.assignor,
                    leaderId: d.leaderId.isEmpty ? nil : d.leaderId,
                    members: d.members.map {
                        .init(
                            memberId: $0.memberId, clientId: $0.clientId, host: $0.clientHost,
                            sessionTimeoutMs: $0.sessionTimeoutMs, topics: $0.subscribedTopics,
                            assignment: $0.assignment.map(TopicPartitionJSON.init),
                            lastHeartbeat: JSON.time($0.lastHeartbeatMs))
                    },
                    partitions: d.partitions.map {
                        .init(
                            topic: $0.topic, partition: $0.partition, committedOffset: JSON.time($0.committedOffset),
                            logStartOffset: JSON.time($0.logStartOffset), highWatermark: JSON.time($0.highWatermark),
                            lag: JSON.time($0.lag), timeLagMs: JSON.time($0.timeLagMs),
                            memberId: $0.memberId.isEmpty ? nil : $0.memberId,
                            commitTimestamp: JSON.time($0.commitTimestampMs), metadata: $0.metadata)
                    },
                    totalLag: d.totalLag))
            return
        }
        Console.line(
            "Group: \(SafeText.escape(d.groupId))  State: \(d.state)  Generation: \(d.generation)  Assignor: \(d.assignor)  Total lag: \(Format.count(d.totalLag))"
        )
        Console.line("")
        if d.members.isEmpty {
            Console.line("No active members.")
        } else {
            var members = Table([("MEMBER", .left), ("CLIENT", .left), ("HOST", .left), ("PARTITIONS", .left)])
            for m in d.members {
                members.add([
                    m.memberId + (m.memberId == d.leaderId ? " (leader)" : ""), m.clientId, m.clientHost,
                    Self.compact(m.assignment),
                ])
            }
            members.print()
        }
        Console.line("")
        if d.partitions.isEmpty {
            Console.line("No partitions assigned or committed.")
            return
        }
        var partitions = Table([
            ("TOPIC", .left), ("PARTITION", .right), ("COMMITTED", .right), ("HIGH", .right), ("LAG", .right),
            ("TIME LAG", .right), ("MEMBER", .left),
        ])
        for p in d.partitions {
            partitions.add([
                p.topic, "\(p.partition)", Format.optional(p.committedOffset), Format.optional(p.highWatermark),
                Format.optional(p.lag), p.timeLagMs < 0 ? "-" : Format.duration(milliseconds: p.timeLagMs),
                p.memberId.isEmpty ? "-" : p.memberId,
            ])
        }
        partitions.print()
    }

    /// `orders:0,1 prices:2`, or `-` for none.
    static func compact(_ assignment: [TopicPartitionRef]) -> String {
        guard !assignment.isEmpty else { return "-" }
        var byTopic: [String: [Int32]] = [:]
        for tp in assignment { byTopic[tp.topic, default: []].append(tp.partition) }
        return byTopic.keys.sorted().map { topic in
            topic + ":" + byTopic[topic]!.sorted().map(String.init).joined(separator: ",")
        }.joined(separator: " ")
    }
}

/// A topic partition in JSON.
struct TopicPartitionJSON: Encodable {
    var topic: String
    var partition: Int32

    init(_ tp: TopicPartitionRef) {
        topic = tp.topic
        partition = tp.partition
    }
}

/// `skiff group reset G --to … [--topic T[:P,…] …] [--execute]`.
struct GroupReset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Move a group's committed offsets (a dry run unless --execute).",
        discussion: """
            Shows the plan (TOPIC PARTITION OLD NEW) first; nothing changes without --execute. The group \
            must have no active members. Without --topic, every topic the group committed offsets for; \
            --topic T resets every partition of T, --topic T:0,1 (or T:0-3) only those partitions, as \
            kafka-consumer-groups does.

            --to takes earliest, latest, an offset, shift:N (N records forward, or back when negative), \
            or a time, moving each partition to its first record at or after it: @MS (epoch \
            milliseconds), an ISO-8601 date or date-time (2026-11-21, 2026-11-21T08:00, optionally \
            ending in Z or +HH:MM; without a zone it is UTC), now, or a relative time with a unit: \
            -30s, -15m, -2h, -1d.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "The consumer group.")
    var group: String

    @Option(
        parsing: .unconditional,  // the value may start with a dash: -5, -15m
        help: ArgumentHelp(
            "earliest, latest, an offset, shift:N (N may be negative) or a time (@MS, ISO-8601, now, -15m).",
            valueName: "target"),
        transform: ResetPosition.parse)
    var to: ResetTarget

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "Only this topic, or with :0,1 (or :0-3) only these partitions of it; repeatable.",
            valueName: "topic[:partitions]"),
        transform: ResetScopeArgument.parse)
    var topics: [ResetScopeArgument] = []

    @Flag(help: "Apply the plan.")
    var execute = false

    struct Output: Encodable {
        struct Entry: Encodable {
            var topic: String
            var partition: Int32
            var oldOffset: Int64?
            var newOffset: Int64
        }
        var groupId: String
        var dryRun: Bool
        var entries: [Entry]
    }

    mutating func run() async throws {
        let (id, target, dryRun) = (group, to, !execute)
        let topics = self.topics.compactMap { $0.partitions == nil ? $0.topic : nil }
        let partitions = self.topics.flatMap { scope in
            (scope.partitions ?? []).map { TopicPartitionRef(topic: scope.topic, partition: $0) }
        }
        let entries = try await options.withClient {
            try await $0.resetGroupOffsets(id, topics: topics, partitions: partitions, to: target, dryRun: dryRun)
        }
        if options.json {
            try JSON.print(
                Output(
                    groupId: id, dryRun: dryRun,
                    entries: entries.map {
                        .init(
                            topic: $0.topic, partition: $0.partition, oldOffset: JSON.time($0.oldOffset),
                            newOffset: $0.newOffset)
                    }))
            return
        }
        if entries.isEmpty {
            Console.line("nothing to reset: group '\(SafeText.escape(id))' has no offsets on these topics")
        } else {
            var table = Table([("TOPIC", .left), ("PARTITION", .right), ("OLD", .right), ("NEW", .right)])
            for e in entries {
                table.add([e.topic, "\(e.partition)", Format.optional(e.oldOffset), "\(e.newOffset)"])
            }
            table.print()
        }
        Console.line(dryRun ? "dry run: nothing changed; add --execute to apply" : "offsets reset")
    }
}

/// `skiff group delete G`.
struct GroupDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a group with no active members, and its committed offsets.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The consumer group.")
    var group: String

    mutating func run() async throws {
        let id = group
        try await options.withClient { try await $0.deleteGroup(id) }
        if options.json {
            try JSON.print(["deleted": id])
        } else {
            Console.line("deleted consumer group '\(SafeText.escape(id))'")
        }
    }
}

/// One `--topic` of `skiff group reset`: `T` (every partition) or `T:0,1` / `T:0-3` (those partitions).
struct ResetScopeArgument {
    var topic: String
    /// The chosen partitions, sorted; nil = all of them.
    var partitions: [Int32]?

    static func parse(_ text: String) throws -> ResetScopeArgument {
        guard let colon = text.firstIndex(of: ":") else { return ResetScopeArgument(topic: text, partitions: nil) }
        let topic = String(text[..<colon])
        let list = text[text.index(after: colon)...]
        guard !topic.isEmpty else { throw ValidationError("--topic \(text): the topic name is missing before ':'") }
        var partitions: Set<Int32> = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = bounds.first.flatMap({ Int32($0) }), first >= 0,
                let last = bounds.count == 2 ? Int32(bounds[1]) : first, last >= first
            else {
                throw ValidationError(
                    "--topic \(text): '\(item)' is not a partition; use numbers and ranges, e.g. \(topic):0,1 or \(topic):0-3"
                )
            }
            partitions.formUnion(first...last)
        }
        return ResetScopeArgument(topic: topic, partitions: partitions.sorted())
    }
}
