import Foundation
import Testing

/// Consumer groups through the real binary: members, commits, lag, rebalances, resets.
@Suite struct GroupTests {
    /// A `consume --group` commits what it printed: `group describe --json` shows the committed offsets and lag 0.
    @Test func groupConsumerCommitsAndLeavesNoLag() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "streams-intro", "--partitions", "3"])
            try await broker.ok(["produce", "streams-intro", "-K:"], stdin: "foo:a\nbar:b\nfoo:c\nbar:d\nfoo:e\n")

            let first = try await broker.ok([
                "consume", "streams-intro", "--group", "g", "--from", "earliest", "--count", "3",
            ])
            #expect(first.lines.count == 3)
            let rest = try await broker.ok(["consume", "streams-intro", "--group", "g"])
            #expect(rest.lines.count == 2)
            #expect(Set(first.lines + rest.lines) == ["a", "b", "c", "d", "e"])

            let group = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            let topic = try await broker.ok(["topic", "describe", "streams-intro", "--json"]).json(TopicJSON.self)
            #expect(group.state == "Empty")
            #expect(group.members.isEmpty)
            #expect(group.totalLag == 0)
            for partition in topic.partitions where partition.highWatermark > 0 {
                #expect(group.committed("streams-intro")[partition.partition] == partition.highWatermark)
            }
            #expect(group.partitions.allSatisfy { $0.lag == 0 })

            let listed = try await broker.ok(["group", "list", "--json"]).json([GroupListingJSON].self)
            #expect(listed.map(\.groupId) == ["g"])
            #expect(listed.first?.lag == 0)
            let human = try await broker.ok(["group", "describe", "g"])
            #expect(human.stdout.contains("TIME LAG"))
        }
    }

    /// A running `consume --group --follow` is a member with host and partitions; after it leaves, new records show as lag.
    @Test func liveMemberIsVisibleAndLagGrowsAfterItLeaves() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "orders", "--partitions", "3"])
            try await broker.ok(["produce", "orders"], stdin: "1\n2\n3\n")
            let member = try broker.background(["consume", "orders", "--group", "g", "--follow"])

            var described: GroupJSON?
            let joined = try await eventually {
                described = try await broker.group("g")
                return described?.state == "Stable" && described?.members.count == 1
            }
            #expect(joined, "\(member.stderr)")
            let only = try #require(described?.members.first)
            #expect(only.host == "127.0.0.1")
            #expect(only.clientId == "skiff-consume")
            #expect(Set(only.assignment) == Set((0..<3).map { TopicPartitionJSON(topic: "orders", partition: $0) }))
            #expect(try await eventually { member.stdout.split(separator: "\n").count == 3 }, "\(member.stdout)")

            try await broker.ok(["produce", "orders"], stdin: "4\n")
            #expect(try await eventually { member.stdout.contains("4") })
            member.signal(SIGINT)
            #expect(try await member.wait() == 0, "\(member.stderr)")

            try await broker.ok(["produce", "orders"], stdin: "5\n6\n")
            let after = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            #expect(after.members.isEmpty)
            #expect(after.totalLag == 2)
            #expect(after.partitions.reduce(0) { $0 + ($1.committedOffset ?? 0) } == 4)
        }
    }

    /// Three members on a two-partition topic: every partition is assigned exactly once and one member sits idle.
    @Test func threeMembersOnTwoPartitionsLeaveOneIdle() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "pairs", "--partitions", "2"])
            var members: [Child] = []
            for _ in 0..<3 {
                members.append(try broker.background(["consume", "pairs", "--group", "trio", "--follow"]))
            }
            var described: GroupJSON?
            let settled = try await eventually(timeout: .seconds(30)) {
                described = try await broker.group("trio")
                guard let d = described, d.state == "Stable", d.members.count == 3 else { return false }
                return d.members.map(\.assignment.count).sorted() == [0, 1, 1]
            }
            #expect(settled, "\(String(describing: described))\n\(members.map(\.stderr).joined(separator: "\n"))")
            let assigned = described?.members.flatMap(\.assignment) ?? []
            #expect(assigned.count == 2)
            #expect(
                Set(assigned) == [
                    TopicPartitionJSON(topic: "pairs", partition: 0), .init(topic: "pairs", partition: 1),
                ])

            for member in members { member.signal(SIGTERM) }
            for member in members { #expect(try await member.wait() == 0, "\(member.stderr)") }
            let after = try await broker.ok(["group", "describe", "trio", "--json"]).json(GroupJSON.self)
            #expect(after.members.isEmpty)
        }
    }

    /// `group reset` only shows the plan without --execute; with it the offsets move; then the group and topic can be deleted.
    @Test func resetIsADryRunUntilExecuted() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "ledger", "--partitions", "2"])
            try await broker.ok(["produce", "ledger", "--partition", "0"], stdin: "a\nb\nc\n")
            try await broker.ok(["produce", "ledger", "--partition", "1"], stdin: "d\ne\n")
            try await broker.ok(["consume", "ledger", "--group", "g"])

            let plan = try await broker.ok(["group", "reset", "g", "--to", "earliest"])
            #expect(
                plan.lines.first?.split(separator: " ", omittingEmptySubsequences: true) == [
                    "TOPIC", "PARTITION", "OLD", "NEW",
                ])
            #expect(
                plan.lines.contains {
                    $0.split(separator: " ", omittingEmptySubsequences: true) == ["ledger", "0", "3", "0"]
                })
            #expect(plan.stdout.contains("dry run: nothing changed; add --execute to apply"))
            let unchanged = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            #expect(unchanged.committed("ledger") == [0: 3, 1: 2])

            let applied = try await broker.ok(["group", "reset", "g", "--to", "earliest", "--execute", "--json"])
                .json(ResetJSON.self)
            #expect(!applied.dryRun)
            #expect(applied.entries.map(\.newOffset) == [0, 0])
            #expect(applied.entries.map(\.oldOffset) == [3, 2])
            let reset = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            #expect(reset.committed("ledger") == [0: 0, 1: 0])
            #expect(reset.totalLag == 5)

            try await broker.ok(["group", "reset", "g", "--to", "shift:2", "--topic", "ledger", "--execute"])
            let shifted = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            #expect(shifted.committed("ledger") == [0: 2, 1: 2])

            // --topic T:P resets only that partition, as kafka-consumer-groups does.
            let one = try await broker.ok([
                "group", "reset", "g", "--to", "earliest", "--topic", "ledger:1", "--execute", "--json",
            ]).json(ResetJSON.self)
            #expect(one.entries.map(\.partition) == [1])
            let partly = try await broker.ok(["group", "describe", "g", "--json"]).json(GroupJSON.self)
            #expect(partly.committed("ledger") == [0: 2, 1: 0])
            let missing = try await broker.run(["group", "reset", "g", "--to", "latest", "--topic", "ledger:0,5"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("topic 'ledger' has no partition 5"), "\(missing)")

            try await broker.ok(["group", "delete", "g"])
            let groups = try await broker.ok(["group", "list", "--json"]).json([GroupListingJSON].self)
            #expect(groups.isEmpty)
            try await broker.ok(["topic", "delete", "ledger"])
            let topics = try await broker.ok(["topic", "list", "--json"]).json([TopicListingJSON].self)
            #expect(topics.isEmpty)
        }
    }
}
