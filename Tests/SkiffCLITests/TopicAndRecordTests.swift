import Foundation
import SkiffTestSupport
import Testing

/// Topics, produce and consume through the real binary against a `skiff broker` child process.
@Suite struct TopicAndRecordTests {
    /// Keyed records (`-K:`) land on the partitions Kafka's partitioner picks, visible in `topic describe --json`.
    @Test func keyedRecordsLandWhereKafkasPartitionerSendsThem() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "streams-intro", "--partitions", "3"])
            let input = "foo:hello\nbar:world\nfoo:kafka\nbar:streams\nfoo:summit\n"
            let produced = try await broker.ok(["produce", "streams-intro", "-K:", "--verbose"], stdin: input)
            #expect(produced.stderr.contains("produced 5 records to streams-intro"))
            let foo = kafkaPartition("foo", of: 3)
            let bar = kafkaPartition("bar", of: 3)
            #expect(foo == 2)
            #expect(
                Array(produced.lines.prefix(3)) == [
                    "partition \(foo) offset 0", "partition \(bar) offset 0", "partition \(foo) offset 1",
                ])

            let topic = try await broker.ok(["topic", "describe", "streams-intro", "--json"]).json(TopicJSON.self)
            var expected: [Int32: Int64] = [0: 0, 1: 0, 2: 0]
            expected[foo, default: 0] += 3
            expected[bar, default: 0] += 2
            #expect(
                Dictionary(uniqueKeysWithValues: topic.partitions.map { ($0.partition, $0.highWatermark) }) == expected)

            let consumed = try await broker.ok(["consume", "streams-intro", "--print-key"])
            #expect(
                consumed.lines.sorted() == ["bar\tstreams", "bar\tworld", "foo\thello", "foo\tkafka", "foo\tsummit"])
            #expect(consumed.stderr.contains("consumed 5 records"))
            // One partition, in offset order, from an offset.
            let fromOffset = try await broker.ok(["consume", "streams-intro", "--partition", "\(foo)", "--from", "1"])
            #expect(fromOffset.lines == ["kafka", "summit"])

            let listed = try await broker.ok(["topic", "list", "--json"]).json([TopicListingJSON].self)
            #expect(listed.map(\.name) == ["streams-intro"])
            #expect(listed.first?.messages == 5)
            let table = try await broker.ok(["topic", "list"])
            #expect(table.lines.first?.hasPrefix("NAME") == true)
            #expect(table.lines.count == 2)
        }
    }

    /// `topic delete-records` moves the low watermark of the given partitions (every partition when
    /// none is given; -1 = the high watermark), prints a table or JSON, and exits non-zero when a
    /// partition fails.
    @Test func deleteRecords() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "trim", "--partitions", "3"])
            for p in 0..<3 { try await broker.ok(["produce", "trim", "--partition", "\(p)"], stdin: "a\nb\nc\nd\n") }
            let one = try await broker.ok(["topic", "delete-records", "trim", "--partition", "1", "--offset", "2"])
            #expect(
                one.lines.count == 2 && one.lines.first?.hasPrefix("PARTITION  LOW WATERMARK  ERROR") == true, "\(one)")
            #expect(one.lines.last?.split(separator: " ") == ["1", "2", "-"], "\(one)")
            #expect(try await broker.ok(["consume", "trim", "--partition", "1"]).lines == ["c", "d"])

            let all = try await broker.ok(["topic", "delete-records", "trim", "--offset", "-1", "--json"])
            let output = try all.json(DeleteRecordsJSON.self)
            #expect(output.topic == "trim" && output.offset == -1)
            #expect(output.partitions.map(\.partition) == [0, 1, 2])
            #expect(output.partitions.map(\.lowWatermark) == [4, 4, 4])
            let described = try await broker.ok(["topic", "describe", "trim", "--json"]).json(TopicJSON.self)
            #expect(described.partitions.map(\.logStartOffset) == [4, 4, 4])
            #expect(described.partitions.map(\.messages) == [0, 0, 0])

            let failing = try await broker.run([
                "topic", "delete-records", "trim", "--partition", "2", "--partition", "0", "--offset", "9", "--json",
            ])
            #expect(failing.status != 0, "\(failing)")
            let failed = try failing.json(DeleteRecordsJSON.self)
            #expect(failed.partitions.map(\.partition) == [2, 0])
            #expect(failed.partitions.map(\.error) == ["OFFSET_OUT_OF_RANGE", "OFFSET_OUT_OF_RANGE"])
            #expect(
                failing.stderr
                    == "skiff: error: 2 of 2 partitions of 'trim' failed (2, 0): offset 9 is out of range for trim-2: valid offsets are 4 to 4\n",
                "\(failing)")
            let unknown = try await broker.run(["topic", "delete-records", "trim", "--partition", "5", "--offset", "0"])
            #expect(unknown.status != 0 && unknown.stdout.contains("topic 'trim' has no partition 5"), "\(unknown)")
            let negative = try await broker.run(["topic", "delete-records", "trim", "--offset", "-2"])
            #expect(negative.status != 0, "\(negative)")
            #expect(
                negative.stderr.contains("--offset must be 0 or more, or -1 for the high watermark; got -2"),
                "\(negative)")
            let missing = try await broker.run(["topic", "delete-records", "nope", "--offset", "0"])
            #expect(missing.status != 0 && missing.stderr.contains("topic 'nope' does not exist"), "\(missing)")
        }
    }

    /// Empty input produces nothing and succeeds; --key, --header and --partition reach the records.
    @Test func produceOptionsReachTheRecords() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "opts", "--partitions", "2"])
            let empty = try await broker.ok(["produce", "opts"], stdin: "")
            #expect(empty.stdout.isEmpty)
            #expect(empty.stderr.contains("produced 0 records to opts"))

            try await broker.ok(
                [
                    "produce", "opts", "--key", "k", "--header", "source=test", "--header", "trace=1", "--partition",
                    "1",
                ],
                stdin: "one\ntwo")
            let records = try await broker.ok(["consume", "opts", "--json"]).lines.map {
                try JSONDecoder().decode(RecordJSON.self, from: Data($0.utf8))
            }
            #expect(records.map(\.value) == ["one", "two"])
            #expect(records.allSatisfy { $0.partition == 1 && $0.key == "k" })
            #expect(records.first?.headers.map(\.key) == ["source", "trace"])
            #expect(records.first?.headers.first?.value == "test")

            let formatted = try await broker.ok(["consume", "opts", "--format", "%p:%o %k=%v"])
            #expect(formatted.lines == ["1:0 k=one", "1:1 k=two"])
            // kcat's %s is the value too.
            #expect(try await broker.ok(["consume", "opts", "--format", "%s\\n"]).lines == ["one", "two"])
            let missing = try await broker.run(["produce", "opts", "--partition", "5"], stdin: "x\n")
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("no partition 5"))
        }
    }

    /// `--timestamp` stamps every record (milliseconds or ISO-8601); one below -1 gets the broker's
    /// INVALID_TIMESTAMP message, and nothing is written. (Future times: retention would delete
    /// records stamped more than 7 days ago.)
    @Test func produceTimestamps() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "stamped"])
            try await broker.ok(["produce", "stamped", "--timestamp", "2030-01-01T00:00:00Z"], stdin: "a\n")
            try await broker.ok(["produce", "stamped", "--timestamp", "1893456000123"], stdin: "b\n")
            let refused = try await broker.run(["produce", "stamped", "--timestamp", "-5"], stdin: "c\n")
            #expect(refused.status != 0, "\(refused)")
            #expect(
                refused.stderr.hasPrefix(
                    "skiff: error: timestamp -5 of record 0 is not valid: use milliseconds since the epoch (0 or more), or -1 to let the broker stamp the append time"
                ), "\(refused)")
            let bad = try await broker.run(["produce", "stamped", "--timestamp", "yesterday"], stdin: "d\n")
            #expect(bad.status != 0 && bad.stderr.contains("not a timestamp"), "\(bad)")
            let records = try await broker.ok(["consume", "stamped", "--json"]).lines.map {
                try JSONDecoder().decode(RecordJSON.self, from: Data($0.utf8))
            }
            #expect(records.map(\.value) == ["a", "b"])
            #expect(records.map(\.timestamp) == [1_893_456_000_000, 1_893_456_000_123])
        }
    }

    /// `consume --json` says which time each timestamp is: a LogAppendTime topic's records carry the
    /// broker's append time instead of the one sent, a CreateTime topic's the one sent.
    @Test func consumeJSONPrintsTheTimestampType() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "appended", "--config", "message.timestamp.type=LogAppendTime"])
            try await broker.ok(["topic", "create", "created"])
            let described = try await broker.ok(["topic", "describe", "appended"])
            #expect(described.stdout.contains("message.timestamp.type"), "\(described)")
            #expect(described.stdout.contains("LogAppendTime"), "\(described)")
            // A future time: retention (7 days) would delete records stamped further back.
            for topic in ["appended", "created"] {
                try await broker.ok(["produce", topic, "--timestamp", "2030-01-01T00:00:00Z"], stdin: "\(topic)\n")
            }
            let sent: Int64 = 1_893_456_000_000
            let appendedLine = try #require(try await broker.ok(["consume", "appended", "--json"]).lines.first)
            #expect(appendedLine.contains(#""timestampType":"LogAppendTime""#), "\(appendedLine)")
            let appended = try JSONDecoder().decode(RecordJSON.self, from: Data(appendedLine.utf8))
            #expect(appended.timestampType == "LogAppendTime" && appended.timestamp < sent, "\(appendedLine)")
            let created = try await broker.ok(["consume", "created", "--json"]).lines.map {
                try JSONDecoder().decode(RecordJSON.self, from: Data($0.utf8))
            }
            #expect(created.map(\.timestampType) == ["CreateTime"])
            #expect(created.map(\.timestamp) == [sent])
            let refused = try await broker.run(
                ["topic", "alter", "created", "--config", "message.timestamp.type=Now"])
            #expect(refused.status != 0 && refused.stderr.contains("CreateTime, LogAppendTime"), "\(refused)")
        }
    }

    /// A large input streams through in many Produce requests and reads back complete and in order.
    @Test func largeInputIsSentInBatches() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "bulk"])
            let count = 5_000
            let input = (1...count).map { "line \($0)" }.joined(separator: "\n") + "\n"
            let produced = try await broker.ok(["produce", "bulk"], stdin: input)
            #expect(produced.stderr.contains("produced \(count) records"))
            let consumed = try await broker.ok(["consume", "bulk"])
            #expect(consumed.lines.count == count)
            #expect(consumed.lines.first == "line 1")
            #expect(consumed.lines.last == "line \(count)")
            let limited = try await broker.ok(["consume", "bulk", "--count", "7"])
            #expect(limited.lines.count == 7)
        }
    }

    /// Timestamps select where reading starts: a time before everything reads all, one after reads nothing.
    @Test func consumeFromATimestamp() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "times"])
            try await broker.ok(["produce", "times"], stdin: "a\nb\n")
            let all = try await broker.ok(["consume", "times", "--from", "@2020-01-01T00:00:00Z"])
            #expect(all.lines == ["a", "b"])
            let future = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
            let none = try await broker.ok(["consume", "times", "--from", "@\(future)"])
            #expect(none.lines.isEmpty)
        }
    }

    /// `--from -N` is kcat's `-o -N`: the last N records of each partition (all of them when a
    /// partition has fewer; trimmed records are not counted), merged by time.
    @Test func consumeTheLastRecordsOfEachPartition() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "tail", "--partitions", "2"])
            try await broker.ok(["produce", "tail", "--partition", "0"], stdin: "a0\na1\na2\na3\n")
            try await broker.ok(["produce", "tail", "--partition", "1"], stdin: "b0\n")
            let last = try await broker.ok(["consume", "tail", "--from", "-2"])
            #expect(last.lines.sorted() == ["a2", "a3", "b0"], "\(last)")
            let one = try await broker.ok(["consume", "tail", "--from", "-1", "--partition", "0"])
            #expect(one.lines == ["a3"])
            let none = try await broker.ok(["consume", "tail", "--from", "-0"])
            #expect(none.lines.isEmpty)
            let everything = try await broker.ok(["consume", "tail", "--from", "-99999999999999999999"])
            #expect(everything.lines.count == 5)
            try await broker.ok(["topic", "delete-records", "tail", "--partition", "0", "--offset", "3"])
            #expect(try await broker.ok(["consume", "tail", "--from", "-3", "--partition", "0"]).lines == ["a3"])
            let grouped = try await broker.run(["consume", "tail", "--group", "g", "--from", "-2"])
            #expect(grouped.status != 0 && grouped.stderr.contains("with --group, --from takes earliest or latest"))
            let help = try await skiff(["consume", "--help"]).stdout.split(whereSeparator: \.isWhitespace)
                .joined(separator: " ")
            #expect(help.contains("-N for the last N records of each partition (kcat's -o -N"), "\(help)")
            #expect(help.contains("a relative time, which needs a unit: -30s, -15m, -2h, -1d"), "\(help)")
        }
    }

    /// Every form of the one time syntax works for `--from`, `group reset --to` and
    /// `produce --timestamp`; mistakes name the problem and list what is accepted.
    @Test func oneTimeSyntax() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "clock"])
            // Offsets 0, 1, 2: stamped now, at midnight and at 10:00:00.250 UTC on 2030-01-01.
            try await broker.ok(["produce", "clock", "--timestamp", "now"], stdin: "now\n")
            try await broker.ok(["produce", "clock", "--timestamp", "2030-01-01T00:00"], stdin: "midnight\n")
            try await broker.ok(["produce", "clock", "--timestamp", "2030-01-01 12:00:00.250+02:00"], stdin: "ten\n")
            let stamps = try await broker.ok(["consume", "clock", "--format", "%T %v"]).lines
            #expect(stamps.suffix(2) == ["1893456000000 midnight", "1893492000250 ten"], "\(stamps)")
            for (from, expected) in [
                ("@1893456000000", ["midnight", "ten"]),
                ("@2030-01-01T00:00:00Z", ["midnight", "ten"]),
                ("2030-01-01", ["midnight", "ten"]),
                ("2030-01-01T10:00:00.250Z", ["ten"]),
                ("2030-01-01 12:00:00.250+02:00", ["ten"]),
                ("2030-01-01T10:00:00.251", []),
                ("-1h", ["now", "midnight", "ten"]),
                ("now", ["midnight", "ten"]),
                ("@now", ["midnight", "ten"]),
            ] {
                let read = try await broker.ok(["consume", "clock", "--from", from])
                #expect(read.lines == expected, "--from \(from): \(read)")
            }

            try await broker.ok(["consume", "clock", "--group", "g", "--count", "3"])
            let reset = try await broker.ok(["group", "reset", "g", "--to", "2030-01-01T10:00:00.250Z", "--json"])
                .json(ResetJSON.self)
            #expect(reset.entries.map(\.newOffset) == [2])
            let relative = try await broker.ok(["group", "reset", "g", "--to", "-1d", "--json"]).json(ResetJSON.self)
            #expect(relative.entries.map(\.newOffset) == [0])

            for (arguments, message) in [
                (
                    ["consume", "clock", "--from", "2030-13-01"],
                    "'2030-13-01' is not a timestamp (month 13 does not exist)"
                ),
                (["consume", "clock", "--from", "@yesterday"], "'@yesterday' is not a timestamp (not a time)"),
                (["consume", "clock", "--from", "-5y"], "unknown unit 'y' in -5y: use s, m, h or d"),
                (["consume", "clock", "--from", "2030-02-30T10:00"], "2030-02-30 does not exist"),
                (["group", "reset", "g", "--to", "-5"], "shift:-5 moves back 5 records, and -5m is 5 minutes ago"),
                (["group", "reset", "g", "--to", "2030-01-01T25:00"], "hour 25 does not exist"),
                (["produce", "clock", "--timestamp", "2030-01-01T12:00+25:00"], "zone offset +25:00 does not exist"),
            ] {
                let result = try await broker.run(arguments, stdin: "x\n")
                #expect(result.status != 0, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result)")
                #expect(
                    result.stderr.contains("epoch milliseconds") || arguments[1] == "reset" && message.contains("shift")
                )
            }
        }
    }

    /// `consume --follow` without a group prints records produced after it started, and stops cleanly on SIGINT.
    @Test func followTailsNewRecords() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "live", "--partitions", "2"])
            try await broker.ok(["produce", "live"], stdin: "old\n")
            let tail = try broker.background(["consume", "live", "--follow", "--from", "latest"])
            // Records produced before the tail subscribed would be missed with --from latest, so
            // keep producing until the tail shows one, then check it sees later ones in order.
            var sent = 0
            let sawFirst = try await eventually {
                sent += 1
                try await broker.ok(["produce", "live", "--partition", "0"], stdin: "new \(sent)\n")
                return tail.stdout.contains("new ")
            }
            #expect(sawFirst, "\(tail.stderr)")
            try await broker.ok(["produce", "live", "--partition", "1"], stdin: "last\n")
            #expect(try await eventually { tail.stdout.contains("last") }, "\(tail.stdout)\n\(tail.stderr)")
            #expect(!tail.stdout.contains("old"))
            tail.signal(SIGINT)
            #expect(try await tail.wait() == 0, "\(tail.stderr)")
        }
    }

    /// `consume --follow` exits non-zero with the broker's reason when its topic is deleted, and when
    /// it is deleted and created again under the same name: it never goes on with the new topic.
    @Test func followEndsWhenItsTopicGoesAway() async throws {
        try await withBroker { broker in
            for recreate in [false, true] {
                let topic = recreate ? "recreated" : "deleted"
                try await broker.ok(["topic", "create", topic])
                try await broker.ok(["produce", topic], stdin: "before\n")
                let tail = try broker.background(["consume", topic, "--follow"])
                #expect(try await eventually { tail.stdout.contains("before") }, "\(tail.stderr)")
                try await broker.ok(["topic", "delete", topic])
                if recreate {
                    try await broker.ok(["topic", "create", topic])
                    try await broker.ok(["produce", topic], stdin: "after\n")
                }
                let status = try await tail.wait()
                #expect(status != 0, "\(tail.result)")
                // The tail ends on the deletion; had it only looked after the new topic was there, the
                // reason would go on "… and recreated (topic id changed)".
                #expect(
                    tail.stderr.hasPrefix("skiff: error: the broker ended the live tail: topic '\(topic)' was deleted"),
                    "\(tail.result)")
                #expect(tail.stdout == "before\n", "\(tail.result)")
            }
        }
    }

    /// `consume --follow` exits 141 once its output pipe's reader goes away (`| head -1`), even with nothing new to print.
    @Test func closedOutputPipeEndsConsume() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "piped"])
            try await broker.ok(["produce", "piped"], stdin: "first\nsecond\n")
            let consume = Process()
            consume.executableURL = URL(fileURLWithPath: try SkiffBinary.require())
            consume.arguments = ["consume", "piped", "--follow", "--broker", broker.address]
            let output = Pipe()
            consume.standardOutput = output
            consume.standardError = FileHandle.nullDevice
            try consume.run()
            defer { if consume.isRunning { kill(consume.processIdentifier, SIGKILL) } }

            // Read the first line, as `head -1` would, then close the pipe.
            let reader = output.fileHandleForReading
            var received = Data()
            let deadline = ContinuousClock.now + .seconds(15)
            while !received.contains(UInt8(ascii: "\n")) && ContinuousClock.now < deadline {
                var descriptor = pollfd(fd: reader.fileDescriptor, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 0) > 0 {
                    received.append(reader.availableData)
                } else {
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("first\n"))
            try reader.close()

            let ended = try await eventually(timeout: .seconds(15)) { !consume.isRunning }
            #expect(ended, "consume --follow kept running after its reader went away")
            if ended { #expect(consume.terminationStatus == 141) }
        }
    }

    /// Keys and values with control bytes are escaped; wide (CJK, emoji) text keeps table columns aligned.
    @Test func controlBytesAreEscapedAndWideTextStaysAligned() async throws {
        try await withBroker { broker in
            try await broker.ok(["topic", "create", "raw"])
            try await broker.ok(["produce", "raw", "-K", "|"], stdin: "k\u{1b}[31m|v\u{07}al\tue\n日本|漢字😀\n")
            let printed = try await broker.ok(["consume", "raw", "--print-key"])
            #expect(printed.lines == ["k\\x1b[31m\tv\\x07al\\tue", "日本\t漢字😀"])
            #expect(!printed.stdout.contains("\u{1b}"))

            for group in ["日本語グループ", "g😀", "plain"] {
                try await broker.ok(["consume", "raw", "--group", group])
            }
            let table = try await broker.ok(["group", "list"]).lines
            #expect(table.count == 4)
            // Every row's STATE column starts at the same display column as the header's.
            let stateColumns = table.map { line in
                displayWidth(String(line[..<(line.range(of: "STATE") ?? line.range(of: "Empty")!).lowerBound]))
            }
            #expect(Set(stateColumns).count == 1, "\(table.joined(separator: "\n"))")
        }
    }
}

/// Terminal columns of `text` for the characters these tests use (CJK and emoji are two wide).
func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
        switch scalar.value {
        case 0x3000...0x9FFF, 0x1F300...0x1FAFF: width + 2
        default: width + 1
        }
    }
}
