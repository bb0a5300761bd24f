import Foundation
import Testing

/// `skiff broker`'s lifecycle and the CLI's errors.
@Suite struct BrokerAndErrorTests {
    /// SIGTERM exits 0 with the clean-shutdown marker; a restart on the same directory keeps topics, records and offsets.
    @Test func restartKeepsTopicsRecordsAndCommittedOffsets() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skiff-data-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var before: GroupJSON?
        // withBroker stops the broker with SIGTERM and expects exit status 0.
        try await withBroker(dataDirectory: directory) { first in
            try await first.ok(["topic", "create", "durable", "--partitions", "2", "--config", "retention.ms=86400000"])
            try await first.ok(["produce", "durable", "-K:"], stdin: "a:1\nb:2\nc:3\nd:4\n")
            try await first.ok(["consume", "durable", "--group", "keeper", "--count", "2"])
            before = try await first.ok(["group", "describe", "keeper", "--json"]).json(GroupJSON.self)
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/.skiff_cleanshutdown"))

        try await withBroker(dataDirectory: directory) { second in
            let topic = try await second.ok(["topic", "describe", "durable", "--json"]).json(TopicJSON.self)
            #expect(topic.partitions.reduce(0) { $0 + $1.highWatermark } == 4)
            let records = try await second.ok(["consume", "durable", "--print-key"])
            #expect(records.lines.sorted() == ["a\t1", "b\t2", "c\t3", "d\t4"])
            let after = try await second.ok(["group", "describe", "keeper", "--json"]).json(GroupJSON.self)
            #expect(after.committed("durable") == before?.committed("durable"))
            #expect(after.committed("durable").values.reduce(0, +) == 2)
            #expect(after.totalLag == 2)
            // The table says what a duration or size means beside the number; --json keeps the number.
            let config = try await second.ok(["topic", "describe", "durable"])
            #expect(
                config.lines.contains {
                    $0.split(separator: " ", omittingEmptySubsequences: true) == [
                        "retention.ms", "86400000", "(1d)", "topic",
                    ]
                }, "\(config.stdout)")
            #expect(
                config.lines.contains {
                    $0.split(separator: " ", omittingEmptySubsequences: true) == [
                        "segment.bytes", "1073741824", "(1", "GiB)", "default",
                    ]
                }, "\(config.stdout)")
            let json = try await second.ok(["topic", "describe", "durable", "--json"])
            #expect(json.stdout.contains("\"86400000\"") && !json.stdout.contains("(1d)"), "\(json.stdout)")
        }
    }

    /// A second broker on a directory that is in use fails with a clear message and exit code 1.
    @Test func dataDirectoryInUseIsRefused() async throws {
        try await withBroker { broker in
            let second = try await skiff(["broker", "--data-dir", broker.dataDirectory, "--listen", "127.0.0.1:0"])
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.hasPrefix("skiff: error: data directory "), "\(second)")
            #expect(second.stderr.contains("is in use by another Skiff broker"), "\(second)")
            #expect(second.stdout.isEmpty)
        }
    }

    /// A non-loopback listen address gets a loud warning (there is no authentication yet). The
    /// address is 192.0.2.1 (TEST-NET-1, documentation only, never assigned to this machine): the
    /// warning comes before the bind, the bind then fails, and no test ever listens off loopback.
    @Test func nonLoopbackListenWarns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-data-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await skiff(["broker", "--data-dir", directory, "--listen", "192.0.2.1:0"])
        #expect(
            result.stderr.contains("WARNING: listening on 192.0.2.1:0, which is not a loopback address"), "\(result)")
        #expect(result.stderr.contains("no authentication"), "\(result)")
        #expect(result.stderr.contains("cannot listen on 192.0.2.1:0"), "\(result)")
        #expect(result.status != 0)
    }

    /// An unreachable broker fails every client command with "cannot reach broker" and a non-zero exit code.
    @Test func unreachableBrokerFailsClearly() async throws {
        let port = try freePort()
        for arguments in [["topic", "list"], ["group", "list"], ["consume", "t"]] {
            let result = try await skiff(arguments + ["--broker", "127.0.0.1:\(port)"])
            #expect(result.status != 0)
            #expect(
                result.stderr.hasPrefix("skiff: error: cannot reach broker at 127.0.0.1:\(port): connection refused"),
                "\(result)")
        }
        let produce = try await skiff(["produce", "t", "--broker", "127.0.0.1:\(port)"], stdin: "x\n")
        #expect(produce.status != 0)
        #expect(produce.stderr.contains("cannot reach broker"))
    }

    /// Broker-side refusals reach the user verbatim: Kafka's topic name rule, unknown topics and groups.
    @Test func brokerErrorsReadWell() async throws {
        try await withBroker { broker in
            let bad = try await broker.run(["topic", "create", "bad name!"])
            #expect(bad.status != 0)
            #expect(
                bad.stderr.contains("skiff: error: invalid topic name 'bad name!'") == true
                    && bad.stderr.contains("use only ASCII letters, digits, '.', '_' and '-'"), "\(bad)")
            let tooLong = try await broker.run(["topic", "create", String(repeating: "x", count: 250)])
            #expect(tooLong.stderr.contains("at most 249 characters"), "\(tooLong)")
            let valid = try await broker.ok(["topic", "create", "fine", "--validate-only"])
            #expect(valid.stdout.contains("is valid"))
            #expect(try await broker.ok(["topic", "list", "--json"]).json([TopicListingJSON].self).isEmpty)

            let unknown = try await broker.run(["topic", "describe", "nope"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr == "skiff: error: topic 'nope' does not exist\n", "\(unknown)")
            let noGroup = try await broker.run(["group", "describe", "nobody"])
            #expect(noGroup.status != 0)
            #expect(noGroup.stderr.contains("consumer group 'nobody' does not exist"), "\(noGroup)")
        }
    }

    /// Bad arguments are refused before anything is sent, with a message naming the problem.
    @Test func badArgumentsAreRefused() async throws {
        let cases: [([String], String)] = [
            (["topic", "create", "t", "--partitions", "0"], "--partitions must be at least 1"),
            (["topic", "create", "t", "--config", "retention.ms"], "expected key=value"),
            (["topic", "alter", "t"], "nothing to change"),
            (["consume", "t", "--from", "yesterday"], "use earliest, latest, an offset"),
            (["consume", "t", "--from", "@not-a-time"], "not a timestamp"),
            (["consume", "t", "--group", "g", "--from", "5"], "with --group, --from takes earliest or latest"),
            (["group", "reset", "g", "--to", "sideways"], "shift:N"),
            (["group", "reset", "g", "--to", "shift:x"], "shift:N with N like 5 or -5"),
            (["group", "reset", "g", "--to", "latest", "--topic", "t:x"], "'x' is not a partition"),
            (["group", "reset", "g", "--to", "latest", "--topic", ":0"], "the topic name is missing"),
            (["topic", "list", "--broker", "nowhere"], "invalid broker address 'nowhere'"),
            (["topic", "add-partitions", "t", "0"], "at least 1"),
            (["broker", "--listen", "127.0.0.1:99999"], "expected host:port"),
        ]
        for (arguments, message) in cases {
            let result = try await skiff(arguments)
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.hasPrefix("skiff: error: "), "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
        }
        let help = try await skiff(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: skiff <subcommand>"))
    }
}

/// A loopback port nobody listens on (bound, then released).
func freePort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
