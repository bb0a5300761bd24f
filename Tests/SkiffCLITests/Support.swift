import Foundation
import KafkaHash
import SkiffTestSupport
import Testing

// How these tests find the binary: see SkiffTestSupport/SkiffBinary.swift.

/// A failure with a message meant for the test log.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a finished `skiff` invocation did.
struct CommandResult: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String

    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    var description: String {
        "skiff \(arguments.joined(separator: " ")) exited \(status)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
    }

    /// The standard output decoded as JSON.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(stdout.utf8))
        } catch {
            throw TestFailure("cannot decode \(type) from the output of \(self)\n\(error)")
        }
    }
}

/// A child process whose output goes to temporary files (no pipes, so nothing can block).
final class Child: @unchecked Sendable {
    let process = Process()
    let arguments: [String]
    private let directory: URL
    private let stdoutURL: URL
    private let stderrURL: URL

    /// Starts `skiff arguments…`, with `stdin` as its standard input (empty when nil) and
    /// `environment` added to (or replacing) the test's own.
    init(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:]) throws {
        self.arguments = arguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        let stdinURL = directory.appendingPathComponent("stdin")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        try (stdin ?? Data()).write(to: stdinURL)
        process.executableURL = URL(fileURLWithPath: try SkiffBinary.require())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SKIFF_BROKER"] = nil
        environment["SKIFF_DATA_DIR"] = nil
        environment["SKIFF_AUTH_TOKEN"] = nil
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Sends a signal (SIGINT, SIGTERM).
    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; kills it and throws after `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure(
                    "skiff \(arguments.joined(separator: " ")) did not exit within \(timeout)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
                )
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    var result: CommandResult {
        CommandResult(arguments: arguments, status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// Runs `skiff arguments…` to completion.
func skiff(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], timeout: Duration = .seconds(30)
) async throws -> CommandResult {
    let child = try Child(arguments, stdin: stdin.map { Data($0.utf8) }, environment: environment)
    try await child.wait(timeout: timeout)
    return child.result
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}

/// A `skiff broker` child process on a free loopback port.
final class BrokerProcess: Sendable {
    let child: Child
    let dataDirectory: String
    let port: Int

    /// Starts a broker on `dataDirectory` (a fresh temporary one when nil) and waits for its
    /// `listening` line.
    static func start(dataDirectory: String? = nil, extraArguments: [String] = []) async throws -> BrokerProcess {
        let directory =
            dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("skiff-data-\(UUID().uuidString)").path
        let child = try Child(["broker", "--data-dir", directory, "--listen", "127.0.0.1:0"] + extraArguments)
        // Generous: a loaded CI machine starting many debug binaries at once can be slow.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let out = child.stdout
            if let line = out.split(separator: "\n").first(where: { $0.hasPrefix("skiff broker listening on ") }) {
                // skiff broker listening on 127.0.0.1:PORT (data: DIR)
                let expectedTail = " (data: \(directory))"
                guard line.hasSuffix(expectedTail) else {
                    throw TestFailure("unexpected listening line: \(line)")
                }
                let address = line.dropFirst("skiff broker listening on ".count).dropLast(expectedTail.count)
                guard address.hasPrefix("127.0.0.1:"), let port = Int(address.dropFirst("127.0.0.1:".count)) else {
                    throw TestFailure("cannot read the port from: \(line)")
                }
                return BrokerProcess(child: child, dataDirectory: directory, port: port)
            }
            if !child.process.isRunning {
                throw TestFailure("skiff broker exited with \(child.process.terminationStatus)\n\(child.stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.signal(SIGKILL)
        throw TestFailure("skiff broker printed no listening line within 60 s\n--- stderr:\n\(child.stderr)")
    }

    private init(child: Child, dataDirectory: String, port: Int) {
        self.child = child
        self.dataDirectory = dataDirectory
        self.port = port
    }

    var address: String { "127.0.0.1:\(port)" }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async throws -> Int32 {
        child.signal(signal)
        return try await child.wait(timeout: .seconds(20))
    }

    /// Runs `skiff arguments… --broker ADDRESS`.
    func run(_ arguments: [String], stdin: String? = nil) async throws -> CommandResult {
        try await skiff(arguments + ["--broker", address], stdin: stdin)
    }

    /// Runs a command and records an issue (with the broker's log) unless it exits 0.
    @discardableResult
    func ok(
        _ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let result = try await run(arguments, stdin: stdin)
        if result.status != 0 {
            Issue.record("\(result)\n--- broker stderr:\n\(child.stderr)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// `group describe --json`, or nil while the group does not exist (before its first member joins).
    func group(_ id: String) async throws -> GroupJSON? {
        let result = try await run(["group", "describe", id, "--json"])
        if result.status != 0 && result.stderr.contains("does not exist") { return nil }
        guard result.status == 0 else { throw TestFailure("\(result)") }
        return try result.json(GroupJSON.self)
    }

    /// Starts a long-running client command (e.g. `consume --follow`) against this broker.
    func background(_ arguments: [String]) throws -> Child {
        try Child(arguments + ["--broker", address])
    }
}

/// Runs `body` against a broker on `dataDirectory` (a fresh one, deleted afterwards, when nil),
/// stopping it with SIGTERM afterwards whatever happens and expecting exit status 0; the broker's
/// log is attached to any error.
func withBroker(dataDirectory: String? = nil, _ body: (BrokerProcess) async throws -> Void) async throws {
    let broker = try await BrokerProcess.start(dataDirectory: dataDirectory)
    defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: broker.dataDirectory) } }
    do {
        try await body(broker)
    } catch {
        _ = try? await broker.stop()
        throw TestFailure("\(error)\n--- broker stderr:\n\(broker.child.stderr)")
    }
    let status = try await broker.stop()
    #expect(status == 0, "skiff broker exited \(status) on SIGTERM\n\(broker.child.stderr)")
}

/// Kafka's murmur2 (as in the Java client's `Utils.murmur2`), to check partitions independently.
func kafkaPartition(_ key: String, of count: Int32) -> Int32 {
    KafkaPartitioner.partition(forKey: Array(key.utf8), partitionCount: count)
}

// MARK: - The JSON the CLI prints (the parts the tests read)

struct TopicJSON: Decodable {
    struct Partition: Decodable {
        var partition: Int32
        var logStartOffset: Int64
        var highWatermark: Int64
        var messages: Int64
    }
    var name: String
    var partitions: [Partition]
}

struct TopicListingJSON: Decodable {
    var name: String
    var partitions: Int32
    var messages: Int64
    var groups: [String]
}

struct GroupJSON: Decodable {
    struct Member: Decodable {
        var memberId: String
        var clientId: String
        var host: String
        var assignment: [TopicPartitionJSON]
    }
    struct Partition: Decodable {
        var topic: String
        var partition: Int32
        var committedOffset: Int64?
        var highWatermark: Int64?
        var lag: Int64?
        var memberId: String?
    }
    var groupId: String
    var state: String
    var generation: Int32
    var members: [Member]
    var partitions: [Partition]
    var totalLag: Int64

    /// Committed offset per partition of `topic`.
    func committed(_ topic: String) -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for p in partitions where p.topic == topic { result[p.partition] = p.committedOffset }
        return result
    }
}

struct TopicPartitionJSON: Decodable, Hashable {
    var topic: String
    var partition: Int32
}

struct GroupListingJSON: Decodable {
    var groupId: String
    var state: String
    var members: Int32
    var lag: Int64
}

struct ResetJSON: Decodable {
    struct Entry: Decodable {
        var topic: String
        var partition: Int32
        var oldOffset: Int64?
        var newOffset: Int64
    }
    var dryRun: Bool
    var entries: [Entry]
}

struct DeleteRecordsJSON: Decodable {
    struct Partition: Decodable {
        var partition: Int32
        var lowWatermark: Int64?
        var error: String?
        var message: String?
    }
    var topic: String
    var offset: Int64
    var partitions: [Partition]
}

struct RecordJSON: Decodable {
    struct Header: Decodable {
        var key: String
        var value: String?
    }
    var topic: String
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var timestampType: String?
    var key: String?
    var value: String?
    var valueEncoding: String?
    var headers: [Header]
}
